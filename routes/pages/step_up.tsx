/** @jsxImportSource hono/jsx */
/**
 * `/step-up`: the exchange's front end opens it (a popup, at best) before a
 * withdrawal, a trade or a new API key, naming the action and its details in the
 * query. The page shows them plainly ("You are approving: withdraw 0.25 BTC to
 * bc1q…"), asks for the trading passcode or a passkey, and the module
 * (client/step_up.ts) sends them with the request, so the action token is bound to
 * exactly what was shown (API.md, Step-up details).
 */
import { Icon } from "./icons.tsx";
import {
  AuthCard,
  Form,
  FormMessage,
  Layout,
  type PageContext,
  PasscodeField,
  SubmitButton,
} from "./layout.tsx";
import { parseStepUpRequest, type StepUpRequest } from "./step_up_request.ts";

const titles: Record<StepUpRequest["action"], string> = {
  withdrawal: "Approve this withdrawal",
  trade: "Approve this trade",
  "api_key.create": "Approve this API key",
};

/** The details' names, in the order they are listed. */
const labels: Record<string, string> = {
  side: "Order",
  amount: "Amount",
  asset: "Asset",
  destination: "To address",
  memo: "Memo or tag",
  name: "Key name",
  permissions: "Permissions",
};

/** What the action does, as one plain sentence after "You are approving:". */
function Sentence({ request }: { request: StepUpRequest }) {
  const d = request.details;
  switch (request.action) {
    case "withdrawal":
      return (
        <>
          withdraw <strong>{d.amount} {d.asset}</strong> to{" "}
          <strong class="mono">{d.destination}</strong>
          {d.memo && (
            <>
              {" "}with memo <strong class="mono">{d.memo}</strong>
            </>
          )}
        </>
      );
    case "trade":
      return (
        <>
          {d.side} <strong>{d.amount} {d.asset}</strong>
        </>
      );
    case "api_key.create":
      return (
        <>
          create the API key <strong>“{d.name}”</strong>
          {d.permissions && (
            <>, allowed to {d.permissions.replaceAll(",", ", ")}</>
          )}
        </>
      );
  }
}

/** What to check before approving, where a mistake cannot be taken back. */
function warning(request: StepUpRequest): string | null {
  if (request.action === "withdrawal") {
    return "A withdrawal cannot be undone. Compare the address with the one you meant, character by character: malware can swap an address you copied.";
  }
  if (request.details.permissions?.split(",").includes("withdraw")) {
    return "This key can withdraw: whoever holds it can move your funds.";
  }
  return null;
}

/** The request, shown plainly, with each detail the module sends (`data-detail`). */
function Approval({ request }: { request: StepUpRequest }) {
  const check = warning(request);
  return (
    <section
      class="approval"
      aria-labelledby="approval-sentence"
      data-action={request.action}
    >
      <p class="approval-sentence" id="approval-sentence">
        You are approving: <Sentence request={request} />
      </p>
      <dl class="facts approval-details">
        {Object.keys(labels).filter((name) => name in request.details).map((
          name,
        ) => (
          <div class="fact">
            <dt>{labels[name]}</dt>
            <dd
              class={name === "destination" || name === "memo"
                ? "mono"
                : undefined}
              data-detail={name}
              data-value={request.details[name]}
            >
              {request.details[name]}
            </dd>
          </div>
        ))}
      </dl>
      {check && (
        <p class="approval-warning">
          <Icon name="alert" />
          <span>{check}</span>
        </p>
      )}
    </section>
  );
}

export function StepUpPage({ context }: { context: PageContext }) {
  const request = parseStepUpRequest(context.query);
  if (!request) {
    return (
      <Layout context={context} title="Nothing to approve" page="step-up">
        <AuthCard title="Nothing to approve">
          <p>
            This link does not say plainly what to approve, so nothing can be
            approved here, and nothing was. Start again from the exchange.
          </p>
        </AuthCard>
      </Layout>
    );
  }
  return (
    <Layout context={context} title={titles[request.action]} page="step-up">
      <AuthCard
        title={titles[request.action]}
        lead="Check every detail. Approve only what you started yourself."
      >
        <Approval request={request} />
        <section id="step-approve" class="step">
          <p class="muted small approving-as">
            Approving as <strong id="step-up-account">…</strong>
          </p>
          <Form id="step-up-form" action={context.path}>
            <PasscodeField
              form="step-up-form"
              label="Trading passcode"
              name="tradingPasscode"
              autocomplete="off"
              inputmode="numeric"
              pattern="[0-9]{6}"
              maxlength={6}
              hint="The 6 digits you chose for withdrawals, trades and API keys: not your sign-in passcode."
              missing="Enter your 6-digit trading passcode."
              invalid="The trading passcode is exactly 6 digits."
            />
            <FormMessage form="step-up-form" />
            <SubmitButton label="Approve" busy="Approving…" />
          </Form>
          <div class="alternatives" id="approve-passkey-choice" hidden>
            <p class="divider">
              <span>or</span>
            </p>
            <button
              type="button"
              id="approve-passkey"
              class="secondary block"
              data-busy="Waiting for your passkey…"
            >
              <Icon name="key" /> Approve with a passkey
            </button>
            <p class="form-message" id="approve-passkey-message" role="alert">
            </p>
          </div>
          <p class="muted small not-you">
            Did not start this? Do not approve it. Close this window and change
            your passcode.
          </p>
        </section>
        <section id="step-approved" class="step" hidden>
          <div class="success-mark" aria-hidden="true">✓</div>
          <div class="step-head">
            <h2 id="approved-title" tabindex={-1}>Approved</h2>
            <p class="muted" id="approved-sent" hidden>
              Your approval went back to the window that asked for it. You can
              close this one.
            </p>
            <p class="muted" id="approved-shown" hidden>
              Your approval code works once, for exactly these details, for the
              next 5 minutes. Paste it where the exchange asks for it.
            </p>
          </div>
          <div id="approved-token" class="token-box" hidden>
            <code id="action-token" class="secret"></code>
            <button type="button" class="secondary small" id="copy-token">
              <Icon name="copy" /> Copy
            </button>
            <p class="form-status" id="copy-token-status" role="status"></p>
          </div>
          <button type="button" class="block" id="close-window" hidden>
            Close this window
          </button>
        </section>
      </AuthCard>
    </Layout>
  );
}
