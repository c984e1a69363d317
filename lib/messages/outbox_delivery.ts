/**
 * Delivers outbox entries: right after the request that wrote them, and from the
 * once-a-minute cron sweep for anything that failed or was never attempted.
 */
import {
  completeOutboxEntry,
  countOutboxEntries,
  failOutboxEntry,
  leaseOutboxEntry,
  listDueOutboxIds,
} from "../../kv/outbox.ts";
import type { Clock } from "../runtime/clock.ts";
import { deliveries, outboxBacklog } from "../runtime/telemetry.ts";
import type { OutboxDeliverer } from "../deps.ts";
import type { MessageTransport } from "./message_transport.ts";

/** After this many failed attempts an entry becomes a dead letter (about 17 hours). */
export const maxDeliveryAttempts = 10;
/** The first retry waits 30 seconds; each later one twice as long, at most an hour. */
const baseRetryDelayMs = 30 * 1000;
const maxRetryDelayMs = 60 * 60 * 1000;
/** A deliverer owns an entry this long; a crashed one's entries come back after it. */
const leaseMs = 60 * 1000;

/** Dependencies of {@link createOutboxDeliverer}. */
export interface OutboxDelivererOptions {
  kv: Deno.Kv;
  transport: MessageTransport;
  clock: Clock;
  /** Where delivery failures are reported (never the message body: it holds codes). */
  onFailure?: (messageId: string, error: string) => void;
}

/** Exponential backoff with ±20 % jitter, so retries of a burst spread out. */
export function retryDelayMs(failedAttempts: number, jitter: number): number {
  const delay = Math.min(
    baseRetryDelayMs * 2 ** (failedAttempts - 1),
    maxRetryDelayMs,
  );
  return Math.round(delay * (0.8 + 0.4 * jitter));
}

/** Builds a deliverer. */
export function createOutboxDeliverer(
  { kv, transport, clock, onFailure }: OutboxDelivererOptions,
): OutboxDeliverer {
  const deliverOne = async (messageId: string): Promise<boolean> => {
    const leased = await leaseOutboxEntry(kv, messageId, clock.now(), leaseMs);
    if (!leased) return false;
    try {
      await transport(leased.value.message);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      const failedAttempts = leased.value.attempts + 1;
      const nowMs = clock.now();
      const dead = failedAttempts >= maxDeliveryAttempts;
      await failOutboxEntry(kv, leased, {
        error: text,
        nowMs,
        dead,
        nextAttemptAt: nowMs + retryDelayMs(failedAttempts, Math.random()),
      });
      deliveries.add(1, { outcome: dead ? "dead_lettered" : "failed" });
      onFailure?.(messageId, text);
      return false;
    }
    await completeOutboxEntry(kv, messageId);
    deliveries.add(1, { outcome: "delivered" });
    return true;
  };

  const deliver = async (messageIds: string[]) => {
    await Promise.all(messageIds.map(deliverOne));
  };
  const inBackground = new Set<Promise<void>>();
  return {
    deliver,
    deliverInBackground(messageIds) {
      if (messageIds.length === 0) return;
      const delivery: Promise<void> = deliver(messageIds)
        .catch((error) => onFailure?.(messageIds.join(","), String(error)))
        .finally(() => inBackground.delete(delivery));
      inBackground.add(delivery);
    },
    async settled() {
      while (inBackground.size > 0) await Promise.all(inBackground);
    },
    async sweep() {
      const ids = await listDueOutboxIds(kv, clock.now(), 200);
      const results = await Promise.all(ids.map(deliverOne));
      const delivered = results.filter(Boolean).length;
      outboxBacklog.record(await countOutboxEntries(kv, 1000));
      return { delivered, failed: results.length - delivered };
    },
  };
}
