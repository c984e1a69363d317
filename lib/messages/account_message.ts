/** Messages to an account's own address, stamped now, with its anti-phishing code. */
import type { Account } from "../../kv/accounts.ts";
import type { Deps } from "../deps.ts";
import { timeOrderedId } from "../runtime/ids.ts";
import {
  composeMessage,
  type Message,
  type MessageKind,
  type MessageParameters,
} from "./messages.ts";

/** Composes a message of `kind` to the account's address. */
export function composeAccountMessage<K extends MessageKind>(
  deps: Deps,
  account: Pick<Account, "channel" | "accountId" | "antiPhishingCode">,
  kind: K,
  parameters: MessageParameters[K],
): Message {
  return composeMessage(kind, parameters, {
    id: timeOrderedId(deps.clock, deps.random),
    channel: account.channel,
    to: account.accountId,
    antiPhishingCode: account.antiPhishingCode,
    createdAt: deps.clock.now(),
  }, deps.config.appOrigins[0]);
}
