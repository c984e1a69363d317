/** @jsxImportSource hono/jsx */
/**
 * `/step-up`: the exchange's front end opens it (a popup, at best) before a
 * withdrawal, a trade or a new API key, naming the action and its details in the
 * query. The page shows them plainly ("You are approving: withdraw 0.25 BTC to
 * bc1q…"), asks for the trading passcode or a passkey, and the module
 * (client/step_up.ts) sends them with the request, so the action token is bound to
 * exactly what was shown (API.md, Step-up details).
 */
import type { Language } from "../../lib/i18n/languages.ts";
import { formattingLocales } from "../../lib/i18n/formatting_locales.ts";
import type { CatalogKey } from "../../lib/i18n/translator.ts";
import { TradingPasscodeField } from "./dialogs.tsx";
import { Icon } from "./icons.tsx";
import {
  AuthCard,
  Form,
  FormMessage,
  Layout,
  type PageContext,
  SubmitButton,
} from "./layout.tsx";
import { Phrase, slot } from "./phrase.tsx";
import { parseStepUpRequest, type StepUpRequest } from "./step_up_request.ts";
import { usePageLanguage, useText } from "./texts.tsx";

const titles: Record<StepUpRequest["action"], CatalogKey> = {
  withdrawal: "security.stepUp.title.withdrawal",
  trade: "security.stepUp.title.trade",
  "api_key.create": "security.stepUp.title.apiKey",
};

/** The details' names, in the order they are listed. */
const labels: Record<string, CatalogKey> = {
  side: "security.stepUp.detail.side",
  amount: "security.stepUp.detail.amount",
  asset: "security.stepUp.detail.asset",
  destination: "security.stepUp.detail.destination",
  memo: "security.stepUp.detail.memo",
  name: "security.stepUp.detail.name",
  permissions: "security.stepUp.detail.permissions",
};

/** The words for the values of the details that are words (the request's shapes). */
const valueWords: Record<string, Record<string, CatalogKey>> = {
  side: { buy: "security.stepUp.side.buy", sell: "security.stepUp.side.sell" },
  permissions: {
    read: "security.stepUp.permission.read",
    trade: "security.stepUp.permission.trade",
    withdraw: "security.stepUp.permission.withdraw",
  },
};

/**
 * A detail as the page's language says it: words translated (a list as a list), while
 * amounts, assets, addresses and names stay exactly as they are bound to the token.
 */
function shownValue(
  name: string,
  value: string,
  t: ReturnType<typeof useText>,
  language: Language,
): string {
  const words = valueWords[name];
  if (!words) return value;
  return new Intl.ListFormat(formattingLocales[language], {
    type: "conjunction",
  })
    .format(value.split(",").map((word) => t(words[word])));
}

/** What the action does, as one plain sentence after "You are approving:". */
function Sentence({ request }: { request: StepUpRequest }) {
  const t = useText();
  const language = usePageLanguage();
  const d = request.details;
  const amount = <strong>{d.amount} {d.asset}</strong>;
  switch (request.action) {
    case "withdrawal":
      return (
        <Phrase
          text={t(
            d.memo
              ? "security.stepUp.sentence.withdrawalMemo"
              : "security.stepUp.sentence.withdrawal",
            {
              amount: slot("amount"),
              destination: slot("destination"),
              memo: slot("memo"),
            },
          )}
          slots={{
            amount,
            destination: <strong class="mono">{d.destination}</strong>,
            memo: <strong class="mono">{d.memo}</strong>,
          }}
        />
      );
    case "trade":
      return (
        <Phrase
          text={t(
            d.side === "buy"
              ? "security.stepUp.sentence.buy"
              : "security.stepUp.sentence.sell",
            { amount: slot("amount") },
          )}
          slots={{ amount }}
        />
      );
    case "api_key.create":
      return (
        <Phrase
          text={t(
            d.permissions
              ? "security.stepUp.sentence.apiKeyAllowed"
              : "security.stepUp.sentence.apiKey",
            {
              name: slot("name"),
              permissions: d.permissions
                ? shownValue("permissions", d.permissions, t, language)
                : "",
            },
          )}
          slots={{
            name: (
              <strong>{t("security.stepUp.keyName", { name: d.name })}</strong>
            ),
          }}
        />
      );
  }
}

/** What to check before approving, where a mistake cannot be taken back. */
function warning(request: StepUpRequest): CatalogKey | null {
  if (request.action === "withdrawal") {
    return "security.stepUp.warning.withdrawal";
  }
  if (request.details.permissions?.split(",").includes("withdraw")) {
    return "security.stepUp.warning.withdrawKey";
  }
  return null;
}

/** The request, shown plainly, with each detail the module sends (`data-detail`). */
function Approval({ request }: { request: StepUpRequest }) {
  const t = useText();
  const language = usePageLanguage();
  const check = warning(request);
  return (
    <section
      class="approval"
      aria-labelledby="approval-sentence"
      data-action={request.action}
    >
      <p class="approval-sentence" id="approval-sentence">
        <Phrase
          text={t("security.stepUp.approving", { what: slot("what") })}
          slots={{ what: <Sentence request={request} /> }}
        />
      </p>
      <dl class="facts approval-details">
        {Object.keys(labels).filter((name) => name in request.details).map((
          name,
        ) => (
          <div class="fact">
            <dt>{t(labels[name])}</dt>
            <dd
              class={name === "destination" || name === "memo"
                ? "mono"
                : undefined}
              data-detail={name}
              data-value={request.details[name]}
            >
              {shownValue(name, request.details[name], t, language)}
            </dd>
          </div>
        ))}
      </dl>
      {check && (
        <p class="approval-warning">
          <Icon name="alert" />
          <span>{t(check)}</span>
        </p>
      )}
    </section>
  );
}

export function StepUpPage({ context }: { context: PageContext }) {
  const t = useText();
  const request = parseStepUpRequest(context.query);
  if (!request) {
    const nothing = t("security.stepUp.nothing.title");
    return (
      <Layout context={context} title={nothing} page="step-up">
        <AuthCard title={nothing}>
          <p>{t("security.stepUp.nothing.text")}</p>
        </AuthCard>
      </Layout>
    );
  }
  const title = t(titles[request.action]);
  return (
    <Layout context={context} title={title} page="step-up">
      <AuthCard title={title} lead={t("security.stepUp.lead")}>
        <Approval request={request} />
        <section id="step-approve" class="step">
          <p class="muted small approving-as">
            <Phrase
              text={t("security.stepUp.approvingAs", {
                account: slot("account"),
              })}
              slots={{ account: <strong id="step-up-account">…</strong> }}
            />
          </p>
          <Form id="step-up-form" action={context.path}>
            <TradingPasscodeField
              form="step-up-form"
              label={t("security.trading.title")}
              autocomplete="off"
              hint={t("security.stepUp.passcodeHint")}
              missing={t("security.stepUp.passcodeMissing")}
            />
            <FormMessage form="step-up-form" />
            <SubmitButton
              label={t("security.stepUp.approve")}
              busy={t("security.stepUp.approvingBusy")}
            />
          </Form>
          <div class="alternatives" id="approve-passkey-choice" hidden>
            <p class="divider">
              <span>{t("security.stepUp.or")}</span>
            </p>
            <button
              type="button"
              id="approve-passkey"
              class="secondary block"
              data-busy={t("security.dialog.waitingForPasskey")}
            >
              <Icon name="key" /> {t("security.stepUp.withPasskey")}
            </button>
            <p class="form-message" id="approve-passkey-message" role="alert">
            </p>
          </div>
          <p class="muted small not-you">{t("security.stepUp.notYou")}</p>
        </section>
        <section id="step-approved" class="step" hidden>
          <div class="success-mark" aria-hidden="true">✓</div>
          <div class="step-head">
            <h2 id="approved-title" tabindex={-1}>
              {t("security.stepUp.approved")}
            </h2>
            <p class="muted" id="approved-sent" hidden>
              {t("security.stepUp.sent")}
            </p>
            <p class="muted" id="approved-shown" hidden>
              {t("security.stepUp.shown")}
            </p>
          </div>
          <div id="approved-token" class="token-box" hidden>
            <code id="action-token" class="secret"></code>
            <button type="button" class="secondary small" id="copy-token">
              <Icon name="copy" /> {t("security.stepUp.copy")}
            </button>
            <p class="form-status" id="copy-token-status" role="status"></p>
          </div>
          <button type="button" class="block" id="close-window" hidden>
            {t("security.stepUp.close")}
          </button>
        </section>
      </AuthCard>
    </Layout>
  );
}
