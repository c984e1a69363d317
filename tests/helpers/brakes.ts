/** Helpers for the owner's brakes: links in messages, an account signed in with a token. */
import { totpCodeAt } from "../../lib/crypto/totp.ts";
import { assertEquals } from "./assert.ts";
import {
  enrollAndLogIn,
  json,
  lastCodeSentTo,
  registerAccount,
  requestRecovery,
  type TestService,
} from "./service.ts";

/** The token of the link to `path` in a message's text. */
export function linkToken(text: string, path: string): string {
  const token = new RegExp(`/${path}\\?token=([A-Za-z0-9_-]{43})`).exec(text)
    ?.[1];
  if (!token) throw new Error(`no ${path} link in: ${text}`);
  return token;
}

/** The freeze token of the newest message of `kind`. */
export function freezeTokenOf(service: TestService, kind: string): string {
  const message = service.sent.findLast((sent) => sent.kind === kind);
  if (!message) throw new Error(`no ${kind} message`);
  return linkToken(message.text, "freeze");
}

/** A registered, enrolled account signed in with a bearer token. */
export async function signedInAccount(service: TestService) {
  const accountId = await registerAccount(service);
  const { secret, body, backupCodes } = await enrollAndLogIn(
    service,
    accountId,
  );
  const authorization = `Bearer ${body.accessToken}`;
  return {
    accountId,
    secret,
    backupCodes,
    authorization,
    /** A TOTP code of the next time step (the clock moves 30 seconds). */
    totp() {
      service.clock.advanceSeconds(30);
      return totpCodeAt(secret, service.clock.now());
    },
    /** A request with this session. */
    send(path: string, body: unknown, method = "POST") {
      return service.request(
        path,
        json(body, method, { authorization }),
      );
    },
  };
}

/** A recovery code for the account, as its owner would read it. */
export async function recoveryCode(
  service: TestService,
  accountId: string,
): Promise<string> {
  const response = await requestRecovery(service, accountId);
  assertEquals(response.status, 202);
  await response.body?.cancel();
  return lastCodeSentTo(service, accountId);
}

/** `POST /v1/account/freeze`. */
export function freeze(service: TestService, token: string) {
  return service.request("/v1/account/freeze", json({ token }));
}
