/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * The pages' one module: the header's account and language switch, then the behaviour
 * `data-page` names.
 */
import { accountMenu, type Session } from "./account_menu.ts";
import { attachLanguageSwitch } from "./language_switch.ts";
import { loginPage } from "./login.ts";
import { showLeftNotice } from "./notice.ts";
import { recoverPage } from "./recover.ts";
import { registerPage } from "./register.ts";
import { attachRevealButtons } from "./reveal.ts";
import { securityPage } from "./security/page.ts";
import { stepUpPage } from "./step_up.ts";

const pages: Record<string, (session: Session | null) => unknown> = {
  login: loginPage,
  register: registerPage,
  recover: recoverPage,
  security: securityPage,
  "step-up": stepUpPage,
};

showLeftNotice();
attachRevealButtons();
const session = await accountMenu();
attachLanguageSwitch(session);
await pages[document.body.dataset.page ?? ""]?.(session);
document.body.dataset.ready = "true";
