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
    <Layout
      context={context}
      title={t("signIn.home.pageTitle")}
      page="home"
      width="wide"
    >
      <section class="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">
          {t("signIn.home.heading", { brand: context.brandName })}
        </h1>
        <p class="lead">{t("signIn.home.lead")}</p>
        <div class="hero-actions">
          <a href="/login" class="button">{t("signIn.signIn")}</a>
          <a href="/register" class="button secondary">
            {t("signIn.createAccount")}
          </a>
        </div>
        <p class="muted small">
          <a href="/recover">{t("signIn.home.recover")}</a>
          {" · "}
          <a href="/security">{t("signIn.home.securityCentre")}</a>
        </p>
      </section>
      <section aria-labelledby="safe-title">
        <h2 id="safe-title" class="section-title">
          {t("signIn.home.staySafe")}
        </h2>
        <ul class="tips">
          <Tip icon="lock" title={t("signIn.home.officialTitle")}>
            {t("signIn.home.officialText")}
          </Tip>
          <Tip icon="shield" title={t("signIn.home.codesTitle")}>
            {t("common.neverShare")}
          </Tip>
          <Tip icon="mail" title={t("signIn.home.antiPhishingTitle")}>
            {t("signIn.home.antiPhishingText")}
          </Tip>
        </ul>
      </section>
    </Layout>
  );
}
