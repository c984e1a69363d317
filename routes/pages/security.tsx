/** @jsxImportSource hono/jsx */
/**
 * `/security`: a checkup, then one summary card per area; every action opens its own
 * small dialog. The module (client/security/) fills the cards from the API.
 */
import type { Child } from "hono/jsx";
import { BackupCodesPanel } from "./backup_codes.tsx";
import { Dialog, FactorField, TradingPasscodeField } from "./dialogs.tsx";
import { Icon, type IconName } from "./icons.tsx";
import { Phrase, slot } from "./phrase.tsx";
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
import { useText } from "./texts.tsx";

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
function Fact({ label, id }: { label: string; id: string }) {
  const t = useText();
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd id={id}>
        <span class="skeleton">{t("security.page.loading")}</span>
      </dd>
    </div>
  );
}

function Dialogs({ context }: { context: PageContext }) {
  const t = useText();
  const action = context.path;
  return (
    <>
      <BrakeDialogs action={action} />
      <Dialog
        id="passcode-dialog"
        title={t("security.passcode.title")}
        lead={t("security.passcode.lead")}
        form="passcode-change-form"
        action={action}
        submit={t("security.passcode.submit")}
        busy={t("security.passcode.busy")}
      >
        <AccountForPasswordManagers />
        <PasscodeField
          form="passcode-change-form"
          label={t("security.dialog.currentPasscode")}
          name="currentPasscode"
          autocomplete="current-password"
          missing={t("security.dialog.currentPasscodeMissing")}
        />
        <NewPasscodeField
          form="passcode-change-form"
          label={t("security.passcode.new")}
          name="newPasscode"
        />
        <FactorField form="passcode-change-form" />
      </Dialog>
      <Dialog
        id="backup-codes-dialog"
        title={t("security.backupCodes.title")}
        lead={t("security.backupCodes.lead")}
        form="backup-codes-form"
        action={action}
        submit={t("security.backupCodes.submit")}
        busy={t("security.backupCodes.busy")}
        after={
          <div class="dialog-body" data-dialog-after hidden>
            <BackupCodesPanel
              id="new-codes"
              title={t("security.backupCodes.newTitle")}
              lead={t("security.backupCodes.newLead")}
            />
          </div>
        }
      >
        <FactorField form="backup-codes-form" />
      </Dialog>
      <Dialog
        id="passkey-dialog"
        title={t("security.passkey.title")}
        lead={t("security.passkey.lead")}
        form="passkey-form"
        action={action}
        submit={t("security.passkey.submit")}
        busy={t("security.dialog.waitingForPasskey")}
      >
        <Field
          form="passkey-form"
          label={t("security.passkey.name")}
          name="name"
          autocomplete="off"
          maxlength={64}
          hint={t("security.passkey.nameHint")}
          missing={t("security.passkey.nameMissing")}
          invalid={t("security.dialog.nameInvalid")}
        />
        <FactorField form="passkey-form" />
      </Dialog>
      <Dialog
        id="rename-dialog"
        title={t("security.rename.title")}
        form="rename-form"
        action={action}
        submit={t("security.rename.submit")}
        busy={t("security.dialog.saving")}
      >
        <Field
          form="rename-form"
          label={t("security.rename.name")}
          name="name"
          autocomplete="off"
          maxlength={64}
          missing={t("security.rename.nameMissing")}
          invalid={t("security.dialog.nameInvalid")}
        />
      </Dialog>
      <Dialog
        id="remove-device-dialog"
        title={t("security.removeDevice.title")}
        lead={<span id="remove-device-text"></span>}
        form="remove-device-form"
        action={action}
        submit={t("security.removeDevice.submit")}
        busy={t("security.removeDevice.busy")}
        danger
      >
        <FactorField form="remove-device-form" />
      </Dialog>
      <Dialog
        id="revoke-session-dialog"
        title={t("security.sessions.revokeTitle")}
        lead={<span id="revoke-session-text"></span>}
        form="revoke-session-form"
        action={action}
        submit={t("security.sessions.revokeSubmit")}
        busy={t("security.dialog.signingOut")}
        danger
      />
      <Dialog
        id="sign-out-others-dialog"
        title={t("security.sessions.othersTitle")}
        lead={t("security.sessions.othersLead")}
        form="sign-out-others-form"
        action={action}
        submit={t("security.sessions.othersSubmit")}
        busy={t("security.dialog.signingOut")}
        danger
      />
      <Dialog
        id="trading-dialog"
        title={t("security.trading.title")}
        lead={t("security.trading.lead")}
        form="trading-form"
        action={action}
        submit={t("security.trading.submit")}
        busy={t("security.dialog.saving")}
      >
        <AccountForPasswordManagers />
        <TradingPasscodeField
          form="trading-form"
          label={t("security.trading.new")}
          autocomplete="new-password"
          missing={t("security.trading.missing")}
        />
        <FactorField form="trading-form" />
      </Dialog>
      <Dialog
        id="phishing-dialog"
        title={t("security.phishing.title")}
        lead={t("security.phishing.lead")}
        form="phishing-form"
        action={action}
        submit={t("security.phishing.submit")}
        busy={t("security.dialog.saving")}
      >
        <Field
          form="phishing-form"
          label={t("security.phishing.title")}
          name="code"
          autocomplete="off"
          pattern="[A-Za-z0-9_\-]{4,20}"
          maxlength={20}
          hint={t("security.phishing.hint")}
          missing={t("security.phishing.missing")}
          invalid={t("security.phishing.invalid")}
        />
        <FactorField form="phishing-form" />
      </Dialog>
      <Dialog
        id="account-id-dialog"
        title={t("security.accountId.dialogTitle")}
        lead={t("security.accountId.lead")}
        form="account-id-form"
        action={action}
        submit={t("security.accountId.submit")}
        busy={t("security.accountId.busy")}
        after={
          <div class="dialog-body" data-dialog-after hidden>
            <p class="muted">
              <Phrase
                text={t("security.accountId.enterCode", {
                  address: slot("address"),
                })}
                slots={{ address: <strong id="account-id-new"></strong> }}
              />
            </p>
            <Form id="account-id-verify-form" action={action}>
              <CodeField
                form="account-id-verify-form"
                label={t("security.accountId.code")}
              />
              <FormMessage form="account-id-verify-form" />
              <div class="dialog-actions">
                <button type="button" class="secondary" data-close>
                  {t("security.dialog.cancel")}
                </button>
                <button
                  type="submit"
                  data-busy={t("security.passcode.busy")}
                >
                  {t("security.accountId.change")}
                </button>
              </div>
            </Form>
          </div>
        }
      >
        <AccountIdField
          form="account-id-form"
          name="newAccountId"
          label={t("security.accountId.newLabel")}
          hint={t("security.accountId.newHint")}
        />
        <PasscodeField
          form="account-id-form"
          label={t("security.dialog.currentPasscode")}
          name="passcode"
          autocomplete="current-password"
          missing={t("security.dialog.currentPasscodeMissing")}
        />
        <FactorField form="account-id-form" />
      </Dialog>
    </>
  );
}

/** The owner's brakes: the settings lock and passkeys only (API.md). */
function BrakeDialogs({ action }: { action: string }) {
  const t = useText();
  return (
    <>
      <Dialog
        id="lock-dialog"
        title={t("security.lock.dialogTitle")}
        lead={
          <>
            <span>{t("security.lock.lead")}</span>
            <strong id="lock-dialog-again" class="dialog-note" hidden>
              {t("security.lock.again")}
            </strong>
          </>
        }
        form="lock-form"
        action={action}
        submit={t("security.lock.submit")}
        busy={t("security.lock.busy")}
      >
        <Field
          form="lock-form"
          label={t("security.lock.delayLabel")}
          name="unlockDelayDays"
          autocomplete="off"
          inputmode="numeric"
          pattern="[1-9]|[12][0-9]|30"
          maxlength={2}
          value="7"
          hint={t("security.lock.delayHint")}
          missing={t("security.lock.delayMissing")}
          invalid={t("security.lock.delayInvalid")}
        />
        <FactorField form="lock-form" fresh />
      </Dialog>
      <Dialog
        id="unlock-dialog"
        title={t("security.lock.unlockTitle")}
        lead={<span id="unlock-text"></span>}
        form="unlock-form"
        action={action}
        submit={t("security.lock.unlockSubmit")}
        busy={t("security.lock.unlockBusy")}
        danger
      >
        <FactorField form="unlock-form" fresh />
      </Dialog>
      <Dialog
        id="policy-on-dialog"
        title={t("security.policy.onTitle")}
        lead={t("security.policy.onLead")}
        form="policy-on-form"
        action={action}
        submit={t("security.policy.onSubmit")}
        busy={t("security.policy.onBusy")}
      >
        <FactorField form="policy-on-form" backupCode={false} fresh />
      </Dialog>
      <Dialog
        id="policy-off-dialog"
        title={t("security.policy.offTitle")}
        lead={t("security.policy.offLead")}
        form="policy-off-form"
        action={action}
        submit={t("security.policy.offSubmit")}
        busy={t("security.dialog.waitingForPasskey")}
      >
        <FactorField form="policy-off-form" fresh only="passkey" />
      </Dialog>
    </>
  );
}

export function SecurityPage({ context }: { context: PageContext }) {
  const t = useText();
  const title = t("security.page.title");
  return (
    <Layout context={context} title={title} page="security" width="wide">
      <div class="page-head">
        <div>
          <h1>{title}</h1>
          <p class="muted">
            <Phrase
              text={t("security.page.signedInAs", { account: slot("account") })}
              slots={{ account: <strong id="signed-in-as">…</strong> }}
            />
          </p>
        </div>
        {/* The confirmation window (client/security/confirmation.ts). */}
        <div class="confirmation-state">
          <p id="confirmation" class="confirmation" hidden>
            <Icon name="check" />
            <span>
              <Phrase
                text={t("security.confirmation.left", { left: slot("left") })}
                slots={{ left: <strong data-confirmed-left>5:00</strong> }}
              />
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
            <h2 id="audit-title">{t("security.checkup.title")}</h2>
            <p id="audit-summary" class="muted">
              {t("security.checkup.checking")}
            </p>
          </div>
        </div>
        <ul id="audit" class="checklist"></ul>
        <ul
          id="audit-passed"
          class="passed"
          aria-label={t("security.checkup.passed")}
        >
        </ul>
        <div class="checkup-foot">
          {/* Opening the whole checklist is the review the history records. */}
          <button
            type="button"
            id="audit-review"
            class="secondary small"
            aria-expanded="false"
            aria-controls="audit-passed"
            data-busy={t("security.checkup.opening")}
          >
            {t("security.checkup.review")}
          </button>
          <p id="audit-next" class="muted small"></p>
        </div>
      </section>
      <div class="areas">
        <div class="column">
          <Card
            id="signin"
            icon="shield"
            title={t("security.signin.title")}
            actions={
              <>
                <Opens dialog="passcode-dialog">
                  {t("security.signin.changePasscode")}
                </Opens>
                <Opens dialog="backup-codes-dialog">
                  {t("security.signin.newBackupCodes")}
                </Opens>
              </>
            }
          >
            <dl class="facts">
              <Fact label={t("security.signin.passcode")} id="passcode-fact" />
              <Fact label={t("security.signin.app")} id="mfa-fact" />
              <Fact label={t("security.signin.backupCodes")} id="backup-fact" />
            </dl>
          </Card>
          <Card
            id="devices"
            icon="key"
            title={t("security.devices.title")}
            actions={
              <Opens dialog="passkey-dialog" kind="primary" id="add-passkey">
                {t("security.devices.add")}
              </Opens>
            }
          >
            <ul id="devices" class="rows"></ul>
            <div class="switch-row">
              <div>
                <p class="switch-label" id="policy-label">
                  {t("security.policy.label")}
                </p>
                <p class="muted small" id="policy-hint">
                  {t("security.policy.hint")}
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
            title={t("security.sessions.title")}
            actions={
              <Opens dialog="sign-out-others-dialog" id="sign-out-others">
                {t("security.sessions.signOutOthers")}
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
            title={t("security.trading.title")}
            pill={<span class="pill" id="trading-pill" hidden></span>}
            actions={
              <Opens dialog="trading-dialog" id="trading-open">
                {t("security.trading.set")}
              </Opens>
            }
          >
            <p class="muted">{t("security.trading.card")}</p>
          </Card>
          <Card
            id="phishing"
            icon="mail"
            title={t("security.phishing.title")}
            pill={<span class="pill" id="phishing-pill" hidden></span>}
            actions={
              <Opens dialog="phishing-dialog" id="phishing-open">
                {t("security.phishing.set")}
              </Opens>
            }
          >
            <p class="muted" id="phishing-set" hidden>
              <Phrase
                text={t("security.phishing.current", { code: slot("code") })}
                slots={{
                  code: <strong id="phishing-current" class="mono"></strong>,
                }}
              />
            </p>
            <p class="muted" id="phishing-unset">
              {t("security.phishing.unset")}
            </p>
          </Card>
          <Card
            id="account"
            icon="account"
            title={t("security.accountId.title")}
            actions={
              <Opens dialog="account-id-dialog">
                {t("security.accountId.change")}
              </Opens>
            }
          >
            <p class="muted">
              <Phrase
                text={t("security.accountId.current", {
                  account: slot("account"),
                })}
                slots={{ account: <strong id="account-current">…</strong> }}
              />
            </p>
          </Card>
          <Card
            id="lock"
            icon="settingsLock"
            title={t("security.lock.title")}
            pill={<span class="pill" id="lock-pill" hidden></span>}
            actions={
              <>
                <Opens dialog="lock-dialog" kind="primary" id="lock-open">
                  {t("security.lock.submit")}
                </Opens>
                <Opens dialog="unlock-dialog" id="unlock-open" hidden>
                  {t("security.lock.unlockSubmit")}
                </Opens>
              </>
            }
          >
            <p class="muted" id="lock-off">{t("security.lock.off")}</p>
            <p class="muted" id="lock-on" hidden>
              <Phrase
                text={t("security.lock.on", { delay: slot("delay") })}
                slots={{ delay: <strong id="lock-delay"></strong> }}
              />
            </p>
            <p class="muted" id="lock-countdown" hidden>
              <Phrase
                text={t("security.lock.countdown", { until: slot("until") })}
                slots={{ until: <strong id="lock-until"></strong> }}
              />
            </p>
          </Card>
        </div>
        <Card
          id="history"
          icon="history"
          title={t("security.history.title")}
          class="wide"
        >
          <ol id="history" class="rows history"></ol>
          <button
            type="button"
            id="history-more"
            class="secondary small"
            data-busy={t("security.page.loading")}
            hidden
          >
            {t("security.history.more")}
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
