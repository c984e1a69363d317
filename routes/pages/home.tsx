/** @jsxImportSource hono/jsx */
/** `/`: what the account area is, where to go, and the three rules that keep it safe. */
import { Icon, type IconName } from "./icons.tsx";
import { Layout, type PageContext } from "./layout.tsx";
import { useText } from "./texts.tsx";

function Tip(
  { icon, title, children }: {
    icon: IconName;
    title: string;
    children: string;
  },
) {
  return (
    <li class="tip">
      <span class="tip-icon">
        <Icon name={icon} />
      </span>
      <div>
        <h3>{title}</h3>
        <p class="muted">{children}</p>
      </div>
    </li>
  );
}

export function HomePage({ context }: { context: PageContext }) {
  const t = useText();
  return (
    <Layout context={context} title="Your account" page="home" width="wide">
      <section class="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">Your {context.brandName} account</h1>
        <p class="lead">
          Sign-in takes your account ID and passcode, then a 6-digit code from
          your authenticator app, or a passkey. Withdrawals, API keys and trades
          also need your separate 6-digit trading passcode.
        </p>
        <div class="hero-actions">
          <a href="/login" class="button">Sign in</a>
          <a href="/register" class="button secondary">Create an account</a>
        </div>
        <p class="muted small">
          <a href="/recover">
            Forgot your passcode or lost your authenticator?
          </a>
          {" · "}
          <a href="/security">Security centre</a>
        </p>
      </section>
      <section aria-labelledby="safe-title">
        <h2 id="safe-title" class="section-title">Stay safe</h2>
        <ul class="tips">
          <Tip icon="lock" title="Use the official address">
            Bookmark this address and always sign in from the bookmark, never
            from a link in a message.
          </Tip>
          <Tip icon="shield" title="Keep codes to yourself">
            {t("common.neverShare")}
          </Tip>
          <Tip icon="mail" title="Set an anti-phishing code">
            Every message we send starts with it, so a message without it is not
            from us.
          </Tip>
        </ul>
      </section>
    </Layout>
  );
}
