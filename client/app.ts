/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/** The pages' one module: each page names its behaviour in `data-page`. */
import { loginPage } from "./login.ts";
import { recoverPage } from "./recover.ts";
import { registerPage } from "./register.ts";
import { securityPage } from "./security.ts";

const pages: Record<string, () => unknown> = {
  login: loginPage,
  register: registerPage,
  recover: recoverPage,
  security: securityPage,
};

await pages[document.body.dataset.page ?? ""]?.();
document.body.dataset.ready = "true";
