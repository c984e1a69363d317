/** @jsxImportSource hono/jsx */
/**
 * The five pages. Each step of a flow is a `<section>` the client module shows in
 * turn; without the module the first step's form still names every field properly, and
 * sending it posts to the page, which answers that JavaScript is needed.
 */
import type { Child } from "hono/jsx";
import {
  Captcha,
  CodeField,
  Field,
  Form,
  Layout,
  neverShare,
  type PageContext,
} from "./layout.tsx";

const passcodeHint =
  "At least 10 characters. A few unrelated words are strong and easy to remember.";

export function HomePage({ context }: { context: PageContext }) {
  return (
    <Layout context={context} title="Your exchange account" page="home">
      <p>
        Sign-in takes your account ID and passcode, then a 6-digit code from
        your authenticator app, or a passkey. Withdrawals, API keys and trades
        also need your separate 6-digit trading passcode.
      </p>
      <ul class="actions">
        <li>
          <a href="/login">Sign in</a>
        </li>
        <li>
          <a href="/register">Create an account</a>
        </li>
        <li>
          <a href="/recover">
            Forgot your passcode or lost your authenticator?
          </a>
        </li>
        <li>
          <a href="/security">Security centre</a>
        </li>
      </ul>
      <h2>Stay safe</h2>
      <ul>
        <li>Bookmark this address and always sign in from the bookmark.</li>
        <li>{neverShare}</li>
        <li>
          Set an anti-phishing code: every message we send starts with it, so a
          message without it is not from us.
        </li>
      </ul>
    </Layout>
  );
}

export function LoginPage({ context }: { context: PageContext }) {
  return (
    <Layout context={context} title="Sign in" page="login">
      <section id="step-passcode">
        <Form id="passcode-form" action={context.path}>
          <Field
            form="passcode-form"
            label="Account ID (e-mail or phone)"
            name="accountId"
            autocomplete="username"
          />
          <Field
            form="passcode-form"
            label="Passcode"
            name="passcode"
            type="password"
            autocomplete="current-password"
          />
          <Captcha />
          <button type="submit">Continue</button>
        </Form>
      </section>
      <section id="step-device" hidden>
        <h2>Confirm this device</h2>
        <p>
          This browser or network is new to your account. We sent a code to your
          address; the message starts with your anti-phishing code.
        </p>
        <Form id="device-form" action={context.path}>
          <CodeField form="device-form" label="Code" hint={neverShare} />
          <button type="submit">Confirm</button>
        </Form>
      </section>
      <section id="step-enroll" hidden>
        <h2>Set up your authenticator app</h2>
        <p>
          Scan the QR code with an authenticator app, or type the key into it,
          then enter the 6-digit code it shows.
        </p>
        <div id="enroll-qr" class="qr" role="img" aria-label="QR code"></div>
        <p>
          Key: <code id="enroll-secret"></code>
        </p>
        <Form id="enroll-form" action={context.path}>
          <CodeField form="enroll-form" label="Code from the app" />
          <button type="submit">Confirm</button>
        </Form>
      </section>
      <section id="step-backup-codes" hidden>
        <h2>Your backup codes</h2>
        <p>
          Each code signs you in once if you lose your phone. Print them or keep
          them offline; they are not shown again.
        </p>
        <ol id="backup-codes" class="codes"></ol>
        <a href="/security" class="button">I have saved them</a>
      </section>
      <section id="step-mfa" hidden>
        <h2>Second step</h2>
        <Form id="totp-form" action={context.path}>
          <CodeField
            form="totp-form"
            label="Code from your authenticator app"
          />
          <button type="submit">Sign in</button>
        </Form>
        <p>
          <button type="button" id="use-passkey" hidden>Use a passkey</button>
          <button type="button" id="use-backup-code" class="secondary">
            Use a backup code
          </button>
        </p>
      </section>
      <section id="step-backup" hidden>
        <h2>Backup code</h2>
        <Form id="backup-form" action={context.path}>
          <Field
            form="backup-form"
            label="Backup code"
            name="code"
            autocomplete="one-time-code"
          />
          <button type="submit">Sign in</button>
        </Form>
      </section>
      <p>
        <a href="/recover">Forgot your passcode?</a>
      </p>
    </Layout>
  );
}

export function RegisterPage({ context }: { context: PageContext }) {
  return (
    <Layout context={context} title="Create an account" page="register">
      <section id="step-register">
        <Form id="register-form" action={context.path}>
          <Field
            form="register-form"
            label="Account ID (e-mail or phone)"
            name="accountId"
            autocomplete="username"
            hint="Phone numbers in international form: +49 170 1234567."
          />
          <Field
            form="register-form"
            label="Passcode"
            name="passcode"
            type="password"
            autocomplete="new-password"
            hint={passcodeHint}
          />
          <Captcha />
          <button type="submit">Register</button>
        </Form>
      </section>
      <section id="step-verify" hidden>
        <h2>Verify your address</h2>
        <p>We sent a 6-digit code to your address. It is valid 10 minutes.</p>
        <Form id="verify-form" action={context.path}>
          <CodeField form="verify-form" label="Code" hint={neverShare} />
          <button type="submit">Verify</button>
        </Form>
      </section>
      <section id="step-registered" hidden>
        <h2>Your account is ready</h2>
        <p>
          Sign in now: the first sign-in sets up your authenticator app.
        </p>
        <a href="/login" class="button">Sign in</a>
      </section>
    </Layout>
  );
}

export function RecoverPage({ context }: { context: PageContext }) {
  return (
    <Layout context={context} title="Recover your account" page="recover">
      <section id="step-request">
        <p>
          We send a recovery code to your address if it has an account.
        </p>
        <Form id="request-form" action={context.path}>
          <Field
            form="request-form"
            label="Account ID (e-mail or phone)"
            name="accountId"
            autocomplete="username"
          />
          <Captcha />
          <button type="submit">Send a recovery code</button>
        </Form>
      </section>
      <section id="step-reset" hidden>
        <h2>Set a new passcode</h2>
        <p>
          Enter the code from the message, a new passcode, and a code from your
          authenticator app or one of your backup codes.
        </p>
        <Form id="reset-form" action={context.path}>
          <CodeField
            form="reset-form"
            label="Recovery code"
            hint={neverShare}
          />
          <Field
            form="reset-form"
            label="New passcode"
            name="newPasscode"
            type="password"
            autocomplete="new-password"
            hint={passcodeHint}
          />
          <Field
            form="reset-form"
            name="totp"
            label="Code from your authenticator app, or a backup code"
            autocomplete="one-time-code"
          />
          <button type="submit">Reset passcode</button>
        </Form>
        <p>
          <button type="button" id="lost-authenticator" class="secondary">
            I lost my authenticator and have no backup code
          </button>
        </p>
      </section>
      <section id="step-mfa-reset" hidden>
        <h2>Lost authenticator</h2>
        <p>
          Your authenticator app will be removed after 48 hours, and the new
          passcode takes effect then. We tell you at once and again at the end.
          Signing in with your current passcode and second factor in the
          meantime cancels it.
        </p>
        <Form id="mfa-reset-form" action={context.path}>
          <CodeField
            form="mfa-reset-form"
            label="Recovery code"
            hint={neverShare}
          />
          <Field
            form="mfa-reset-form"
            label="New passcode"
            name="newPasscode"
            type="password"
            autocomplete="new-password"
            hint={passcodeHint}
          />
          <button type="submit">Start the 48-hour reset</button>
        </Form>
      </section>
      <section id="step-done" hidden>
        <h2 id="done-title">Done</h2>
        <p id="done-text"></p>
        <a href="/login" class="button">Sign in</a>
      </section>
    </Layout>
  );
}

/** A form that needs a current code from the authenticator app. */
function ConfirmedForm(
  { id, action, children, button }: {
    id: string;
    action: string;
    children?: Child;
    button: string;
  },
) {
  return (
    <Form id={id} action={action}>
      {children}
      <CodeField
        form={id}
        name="totp"
        label="Code from your authenticator app"
      />
      <button type="submit">{button}</button>
    </Form>
  );
}

export function SecurityPage({ context }: { context: PageContext }) {
  return (
    <Layout context={context} title="Security centre" page="security">
      <p>
        <span id="signed-in-as"></span>{" "}
        <button type="button" id="logout" class="secondary">Sign out</button>
      </p>
      <section aria-labelledby="audit-title">
        <h2 id="audit-title">Security checklist</h2>
        <ul id="audit" class="checklist"></ul>
        <p id="audit-next" class="hint"></p>
      </section>
      <section aria-labelledby="mfa-title">
        <h2 id="mfa-title">Authenticator app and backup codes</h2>
        <p id="mfa-status"></p>
        <ConfirmedForm
          id="backup-codes-form"
          action={context.path}
          button="Make new backup codes"
        />
        <ol id="new-backup-codes" class="codes" hidden></ol>
      </section>
      <section aria-labelledby="devices-title">
        <h2 id="devices-title">Passkeys and recognised browsers</h2>
        <ul id="devices" class="rows"></ul>
        <ConfirmedForm
          id="passkey-form"
          action={context.path}
          button="Add a passkey"
        >
          <Field
            form="passkey-form"
            label="Passkey name"
            name="name"
            autocomplete="off"
          />
        </ConfirmedForm>
        <ConfirmedForm
          id="remove-device-form"
          action={context.path}
          button="Remove selected device"
        >
          <p id="remove-device-name" class="hint"></p>
        </ConfirmedForm>
      </section>
      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">Active sessions</h2>
        <ul id="sessions" class="rows"></ul>
      </section>
      <section aria-labelledby="trading-title">
        <h2 id="trading-title">Trading passcode</h2>
        <p>
          Six digits that authorise withdrawals, API keys and trades. Not your
          birthday, not a run like 123456.
        </p>
        <ConfirmedForm
          id="trading-form"
          action={context.path}
          button="Set trading passcode"
        >
          <Field
            form="trading-form"
            label="New trading passcode"
            name="tradingPasscode"
            type="password"
            autocomplete="new-password"
            inputmode="numeric"
            pattern="[0-9]{6}"
            maxlength={6}
          />
        </ConfirmedForm>
      </section>
      <section aria-labelledby="phishing-title">
        <h2 id="phishing-title">Anti-phishing code</h2>
        <p>
          A word only you and we know. Every message we send starts with it: a
          message without it, or with another one, is not from us.
        </p>
        <p>
          Current code: <strong id="phishing-current"></strong>
        </p>
        <ConfirmedForm
          id="phishing-form"
          action={context.path}
          button="Set anti-phishing code"
        >
          <Field
            form="phishing-form"
            label="Anti-phishing code (4 to 20 letters, digits, - or _)"
            name="code"
            autocomplete="off"
            pattern="[A-Za-z0-9_\-]{4,20}"
            maxlength={20}
          />
        </ConfirmedForm>
      </section>
      <section aria-labelledby="passcode-title">
        <h2 id="passcode-title">Passcode</h2>
        <ConfirmedForm
          id="passcode-change-form"
          action={context.path}
          button="Change passcode"
        >
          <Field
            form="passcode-change-form"
            label="Current passcode"
            name="currentPasscode"
            type="password"
            autocomplete="current-password"
          />
          <Field
            form="passcode-change-form"
            label="New passcode"
            name="newPasscode"
            type="password"
            autocomplete="new-password"
            hint={passcodeHint}
          />
        </ConfirmedForm>
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">Security history</h2>
        <ol id="history" class="rows"></ol>
        <button type="button" id="history-more" class="secondary" hidden>
          Older events
        </button>
      </section>
    </Layout>
  );
}
