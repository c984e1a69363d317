/** @jsxImportSource hono/jsx */
/**
 * `/security`: a checkup, then one summary card per area; every action opens its own
 * small dialog. The module (client/security/) fills the cards from the API.
 */
import type { Child } from "hono/jsx";
import { BackupCodesPanel } from "./backup_codes.tsx";
import { Dialog, FactorField } from "./dialogs.tsx";
import { Icon, type IconName } from "./icons.tsx";
import {
  AccountForPasswordManagers,
  AccountIdField,
  CodeField,
  Field,
  Form,
  FormMessage,
  Layout,
  NewPasscodeField,
  type PageContext,
  PasscodeField,
} from "./layout.tsx";

/** The icons the module puts into rows (client/security/ui.ts clones them). */
const rowIcons: IconName[] = ["key", "devices", "sessions", "check", "alert"];

/** A summary card: icon, heading, an optional status pill, content, actions. */
function Card(
  { id, icon, title, pill, children, actions, class: className }: {
    id: string;
    icon: IconName;
    title: string;
    pill?: Child;
    children?: Child;
    actions?: Child;
    class?: string;
  },
) {
  return (
    <section
      id={`${id}-card`}
      class={`card area${className ? ` ${className}` : ""}`}
      aria-labelledby={`${id}-title`}
    >
      <div class="area-head">
        <span class="area-icon">
          <Icon name={icon} />
        </span>
        <h2 id={`${id}-title`}>{title}</h2>
        {pill}
      </div>
      <div class="area-body">{children}</div>
      <p class="card-status" id={`${id}-status`} role="status"></p>
      {actions && <div class="area-actions">{actions}</div>}
    </section>
  );
}

/** A button that opens a dialog. */
function Opens(
  { dialog, children, kind = "secondary", id, hidden }: {
    dialog: string;
    children: Child;
    kind?: "secondary" | "primary";
    id?: string;
    hidden?: boolean;
  },
) {
  return (
    <button
      type="button"
      id={id}
      class={kind === "primary" ? "small" : "secondary small"}
      data-open={dialog}
      hidden={hidden}
    >
      {children}
    </button>
  );
}

/** A labelled value row inside a card (`<dl>` pairs). */
function Fact(
  { label, id, children }: { label: string; id: string; children?: Child },
) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd id={id}>{children ?? <span class="skeleton">Loading…</span>}</dd>
    </div>
  );
}

function Dialogs({ context }: { context: PageContext }) {
  const action = context.path;
  return (
    <>
      <BrakeDialogs action={action} />
      <Dialog
        id="passcode-dialog"
        title="Change your passcode"
        lead="Every other session is signed out, and withdrawals pause for 24 hours."
        form="passcode-change-form"
        action={action}
        submit="Change passcode"
        busy="Changing…"
      >
        <AccountForPasswordManagers />
        <PasscodeField
          form="passcode-change-form"
          label="Current passcode"
          name="currentPasscode"
          autocomplete="current-password"
          missing="Enter your current passcode."
        />
        <NewPasscodeField
          form="passcode-change-form"
          label="New passcode"
          name="newPasscode"
        />
        <FactorField form="passcode-change-form" />
      </Dialog>
      <Dialog
        id="backup-codes-dialog"
        title="Make new backup codes"
        lead="Your ten current codes stop working, ten new ones are shown once, and withdrawals pause for 24 hours."
        form="backup-codes-form"
        action={action}
        submit="Make new codes"
        busy="Making codes…"
        after={
          <div class="dialog-body" data-dialog-after hidden>
            <BackupCodesPanel
              id="new-codes"
              title="Your new backup codes"
              lead="Each signs you in once if you lose your phone. Keep them offline; they are not shown again. The old codes no longer work."
            />
          </div>
        }
      >
        <FactorField form="backup-codes-form" />
      </Dialog>
      <Dialog
        id="passkey-dialog"
        title="Add a passkey"
        lead="A passkey signs you in with your fingerprint, face or device PIN, and cannot be phished. Your browser will ask you to create it. A new way in pauses withdrawals for 24 hours."
        form="passkey-form"
        action={action}
        submit="Create passkey"
        busy="Waiting for your passkey…"
      >
        <Field
          form="passkey-form"
          label="Passkey name"
          name="name"
          autocomplete="off"
          maxlength={64}
          hint="So you can tell it apart later, like “Work laptop”."
          missing="Give the passkey a name."
          invalid="Use 1 to 64 characters, without line breaks."
        />
        <FactorField form="passkey-form" />
      </Dialog>
      <Dialog
        id="rename-dialog"
        title="Rename"
        form="rename-form"
        action={action}
        submit="Save name"
        busy="Saving…"
      >
        <Field
          form="rename-form"
          label="Name"
          name="name"
          autocomplete="off"
          maxlength={64}
          missing="Enter a name."
          invalid="Use 1 to 64 characters, without line breaks."
        />
      </Dialog>
      <Dialog
        id="remove-device-dialog"
        title="Remove this device?"
        lead={<span id="remove-device-text"></span>}
        form="remove-device-form"
        action={action}
        submit="Remove"
        busy="Removing…"
        danger
      >
        <FactorField form="remove-device-form" />
      </Dialog>
      <Dialog
        id="revoke-session-dialog"
        title="Sign out this session?"
        lead={<span id="revoke-session-text"></span>}
        form="revoke-session-form"
        action={action}
        submit="Sign it out"
        busy="Signing out…"
        danger
      />
      <Dialog
        id="sign-out-others-dialog"
        title="Sign out all other sessions?"
        lead="Every browser and app signed in to your account, except this one, is signed out at once. Recognised browsers stay recognised."
        form="sign-out-others-form"
        action={action}
        submit="Sign out others"
        busy="Signing out…"
        danger
      />
      <Dialog
        id="trading-dialog"
        title="Trading passcode"
        lead="Six digits that authorise withdrawals, API keys and trades. Not your birthday, not a run like 123456. Replacing one pauses withdrawals for 24 hours."
        form="trading-form"
        action={action}
        submit="Save trading passcode"
        busy="Saving…"
      >
        <AccountForPasswordManagers />
        <PasscodeField
          form="trading-form"
          label="New trading passcode"
          name="tradingPasscode"
          autocomplete="new-password"
          inputmode="numeric"
          pattern="[0-9]{6}"
          maxlength={6}
          missing="Enter 6 digits."
          invalid="The trading passcode is exactly 6 digits."
        />
        <FactorField form="trading-form" />
      </Dialog>
      <Dialog
        id="phishing-dialog"
        title="Anti-phishing code"
        lead="A word only you and we know. Every message we send starts with it: a message without it, or with another one, is not from us."
        form="phishing-form"
        action={action}
        submit="Save code"
        busy="Saving…"
      >
        <Field
          form="phishing-form"
          label="Anti-phishing code"
          name="code"
          autocomplete="off"
          pattern="[A-Za-z0-9_\-]{4,20}"
          maxlength={20}
          hint="4 to 20 letters, digits, - or _. Not a passcode you use anywhere."
          missing="Enter a code of 4 to 20 characters."
          invalid="Use 4 to 20 letters, digits, - or _."
        />
        <FactorField form="phishing-form" />
      </Dialog>
      <Dialog
        id="account-id-dialog"
        title="Change your account ID"
        lead="We send a code to the new address. Both addresses are told, other sessions are signed out, and withdrawals pause for 24 hours."
        form="account-id-form"
        action={action}
        submit="Send code"
        busy="Sending…"
        after={
          <div class="dialog-body" data-dialog-after hidden>
            <p class="muted">
              Enter the 6-digit code we sent to{" "}
              <strong id="account-id-new"></strong>.
            </p>
            <Form id="account-id-verify-form" action={action}>
              <CodeField form="account-id-verify-form" label="Code" />
              <FormMessage form="account-id-verify-form" />
              <div class="dialog-actions">
                <button type="button" class="secondary" data-close>
                  Cancel
                </button>
                <button type="submit" data-busy="Changing…">
                  Change account ID
                </button>
              </div>
            </Form>
          </div>
        }
      >
        <AccountIdField
          form="account-id-form"
          name="newAccountId"
          label="New account ID (e-mail or phone)"
          hint="Phone numbers in international form: +49 170 1234567."
        />
        <PasscodeField
          form="account-id-form"
          label="Current passcode"
          name="passcode"
          autocomplete="current-password"
          missing="Enter your current passcode."
        />
        <FactorField form="account-id-form" />
      </Dialog>
    </>
  );
}

/** What a settings lock stops, said before it is switched on. */
const lockedChanges =
  "your passcode, account ID, trading passcode, anti-phishing code, passkeys, browsers, backup codes and the passkeys-only setting";

/** The owner's brakes: the settings lock and passkeys only (API.md). */
function BrakeDialogs({ action }: { action: string }) {
  return (
    <>
      <Dialog
        id="lock-dialog"
        title="Lock your security settings"
        lead={
          <>
            <span>
              Nobody can change {lockedChanges}{" "}
              until you unlock them, and unlocking takes the delay you choose.
              Signing in and withdrawals work as usual.
            </span>
            <strong id="lock-dialog-again" class="dialog-note" hidden>
              Locking again stops the unlock countdown.
            </strong>
          </>
        }
        form="lock-form"
        action={action}
        submit="Lock settings"
        busy="Locking…"
      >
        <Field
          form="lock-form"
          label="Unlock delay in days"
          name="unlockDelayDays"
          autocomplete="off"
          inputmode="numeric"
          pattern="[1-9]|[12][0-9]|30"
          maxlength={2}
          value="7"
          hint="1 to 30 days. Long enough to notice a message from us and lock again if it was not you."
          missing="Choose a delay of 1 to 30 days."
          invalid="Choose a whole number of days from 1 to 30."
        />
        <FactorField form="lock-form" fresh />
      </Dialog>
      <Dialog
        id="unlock-dialog"
        title="Start unlocking?"
        lead={<span id="unlock-text"></span>}
        form="unlock-form"
        action={action}
        submit="Start unlocking"
        busy="Starting…"
        danger
      >
        <FactorField form="unlock-form" fresh />
      </Dialog>
      <Dialog
        id="policy-on-dialog"
        title="Accept passkeys only?"
        lead="App codes and backup codes stop working for signing in, confirming changes and recovering your account: only your passkeys do, and a fake site cannot trick a passkey out of you. Turning this off again takes one of your passkeys."
        form="policy-on-form"
        action={action}
        submit="Accept passkeys only"
        busy="Switching…"
      >
        <FactorField form="policy-on-form" backupCode={false} fresh />
      </Dialog>
      <Dialog
        id="policy-off-dialog"
        title="Accept app codes again?"
        lead="Codes from your authenticator app and your backup codes work again for signing in and for changes. Confirm with one of your passkeys."
        form="policy-off-form"
        action={action}
        submit="Accept codes again"
        busy="Waiting for your passkey…"
      >
        <FactorField form="policy-off-form" fresh only="passkey" />
      </Dialog>
    </>
  );
}

export function SecurityPage({ context }: { context: PageContext }) {
  return (
    <Layout context={context} title="Security" page="security" width="wide">
      <div class="page-head">
        <div>
          <h1>Security</h1>
          <p class="muted">
            Signed in as <strong id="signed-in-as">…</strong>
          </p>
        </div>
        {/* The confirmation window (client/security/confirmation.ts). */}
        <div class="confirmation-state">
          <p id="confirmation" class="confirmation" hidden>
            <Icon name="check" />
            <span>
              Confirmed for <strong data-confirmed-left>5:00</strong> more
            </span>
          </p>
          <p id="confirmation-status" class="muted small" role="status"></p>
        </div>
      </div>
      <section class="card checkup" aria-labelledby="audit-title">
        <div class="checkup-head">
          <span class="checkup-score" id="audit-score" data-status="loading">
            <Icon name="shield" />
          </span>
          <div>
            <h2 id="audit-title">Security checkup</h2>
            <p id="audit-summary" class="muted">Checking your account…</p>
          </div>
        </div>
        <ul id="audit" class="checklist"></ul>
        <ul id="audit-passed" class="passed" aria-label="Checks passed"></ul>
        <div class="checkup-foot">
          {/* Opening the whole checklist is the review the history records. */}
          <button
            type="button"
            id="audit-review"
            class="secondary small"
            aria-expanded="false"
            aria-controls="audit-passed"
            data-busy="Opening…"
          >
            Review all checks
          </button>
          <p id="audit-next" class="muted small"></p>
        </div>
      </section>
      <div class="areas">
        <div class="column">
          <Card
            id="signin"
            icon="shield"
            title="Sign-in and two-step verification"
            actions={
              <>
                <Opens dialog="passcode-dialog">Change passcode</Opens>
                <Opens dialog="backup-codes-dialog">New backup codes</Opens>
              </>
            }
          >
            <dl class="facts">
              <Fact label="Passcode" id="passcode-fact" />
              <Fact label="Authenticator app" id="mfa-fact" />
              <Fact label="Backup codes" id="backup-fact" />
            </dl>
          </Card>
          <Card
            id="devices"
            icon="key"
            title="Passkeys and browsers"
            actions={
              <Opens dialog="passkey-dialog" kind="primary" id="add-passkey">
                Add a passkey
              </Opens>
            }
          >
            <ul id="devices" class="rows"></ul>
            <div class="switch-row">
              <div>
                <p class="switch-label" id="policy-label">Passkeys only</p>
                <p class="muted small" id="policy-hint">
                  Switch off app codes and backup codes, which a fake site can
                  trick you into typing. Needs two passkeys, so that losing one
                  does not lock you out.
                </p>
              </div>
              <button
                type="button"
                role="switch"
                id="policy-switch"
                class="switch"
                aria-checked="false"
                aria-labelledby="policy-label"
                aria-describedby="policy-hint"
              >
                <span class="switch-thumb"></span>
              </button>
            </div>
          </Card>
          <Card
            id="sessions"
            icon="sessions"
            title="Sessions"
            actions={
              <Opens dialog="sign-out-others-dialog" id="sign-out-others">
                Sign out all other sessions
              </Opens>
            }
          >
            <ul id="sessions" class="rows"></ul>
          </Card>
        </div>
        <div class="column">
          <Card
            id="trading"
            icon="passcode"
            title="Trading passcode"
            pill={<span class="pill" id="trading-pill" hidden></span>}
            actions={
              <Opens dialog="trading-dialog" id="trading-open">
                Set trading passcode
              </Opens>
            }
          >
            <p class="muted">
              Six digits that authorise withdrawals, API keys and trades,
              separate from your sign-in passcode.
            </p>
          </Card>
          <Card
            id="phishing"
            icon="mail"
            title="Anti-phishing code"
            pill={<span class="pill" id="phishing-pill" hidden></span>}
            actions={
              <Opens dialog="phishing-dialog" id="phishing-open">
                Set code
              </Opens>
            }
          >
            <p class="muted" id="phishing-set" hidden>
              Every message we send starts with your code{" "}
              <strong id="phishing-current" class="mono"></strong>. A message
              without it is not from us.
            </p>
            <p class="muted" id="phishing-unset">
              Choose a word only you know: every message we send will start with
              it, so you can tell our messages from fakes.
            </p>
          </Card>
          <Card
            id="account"
            icon="account"
            title="Account ID"
            actions={
              <Opens dialog="account-id-dialog">Change account ID</Opens>
            }
          >
            <p class="muted">
              Where we send codes and security messages:{" "}
              <strong id="account-current">…</strong>
            </p>
          </Card>
          <Card
            id="lock"
            icon="settingsLock"
            title="Settings lock"
            pill={<span class="pill" id="lock-pill" hidden></span>}
            actions={
              <>
                <Opens dialog="lock-dialog" kind="primary" id="lock-open">
                  Lock settings
                </Opens>
                <Opens dialog="unlock-dialog" id="unlock-open" hidden>
                  Start unlocking
                </Opens>
              </>
            }
          >
            <p class="muted" id="lock-off">
              Lock every security setting: a change of your passcode, address,
              passkeys or codes then waits for a delay you choose, 1 to 30 days,
              and we tell you the moment it starts. Nobody holding your codes
              can change them before you notice.
            </p>
            <p class="muted" id="lock-on" hidden>
              Your security settings are locked. Unlocking them takes{" "}
              <strong id="lock-delay"></strong>{" "}
              from when you ask, and we tell you when it starts and when it
              ends.
            </p>
            <p class="muted" id="lock-countdown" hidden>
              Your settings unlock{" "}
              <strong id="lock-until"></strong>. Until then they stay locked. If
              you did not ask for this, lock them again now: that stops the
              countdown.
            </p>
          </Card>
        </div>
        <Card id="history" icon="history" title="Security history" class="wide">
          <ol id="history" class="rows history"></ol>
          <button
            type="button"
            id="history-more"
            class="secondary small"
            data-busy="Loading…"
            hidden
          >
            Older events
          </button>
        </Card>
      </div>
      <Dialogs context={context} />
      {rowIcons.map((name) => (
        <template id={`icon-${name}`}>
          <Icon name={name} />
        </template>
      ))}
    </Layout>
  );
}
