/** Messages to an account's own address, stamped now, with its anti-phishing code. */
import type { Account } from "../../kv/accounts.ts";
import type { Deps } from "../deps.ts";
import { generateLinkToken } from "../crypto/link_token.ts";
import { timeOrderedId } from "../runtime/ids.ts";
import { chooseLanguage } from "../i18n/languages.ts";
import {
  carriesFreezeLink,
  composeMessage,
  type Message,
  type MessageKind,
  type MessageParameters,
  type Sender,
} from "./messages.ts";

/** The service as its messages name it: its address and its brand. */
export function messageSender(deps: Pick<Deps, "config">): Sender {
  return {
    appOrigin: deps.config.appOrigins[0],
    brandName: deps.config.brand.name,
    brandColor: deps.config.brand.color,
  };
}

/** API.md, Freeze: a freeze link works once, for 7 days. */
export const freezeLinkTtlSeconds = 7 * 24 * 60 * 60;

/**
 * Composes a message of `kind` to the account's address. A kind that carries the
 * freeze link gets a fresh token bound to the account; the message takes the token's
 * record along, and enqueueing it stores both in one operation.
 */
export function composeAccountMessage<K extends MessageKind>(
  deps: Deps,
  account: Pick<
    Account,
    "id" | "channel" | "accountId" | "antiPhishingCode" | "language"
  >,
  kind: K,
  parameters: MessageParameters[K],
): Message {
  const now = deps.clock.now();
  const link = carriesFreezeLink(kind)
    ? generateLinkToken(deps.keyring.linkTokenKey, deps.random)
    : null;
  const message = composeMessage(kind, parameters, {
    id: timeOrderedId(deps.clock, deps.random),
    channel: account.channel,
    to: account.accountId,
    antiPhishingCode: account.antiPhishingCode,
    createdAt: now,
    language: chooseLanguage(account.language),
    freezeToken: link?.token,
  }, messageSender(deps));
  if (!link) return message;
  return {
    ...message,
    linkToken: {
      hash: link.hash,
      record: {
        purpose: "freeze",
        accountUuid: account.id,
        expiresAt: now + freezeLinkTtlSeconds * 1000,
      },
    },
  };
}
