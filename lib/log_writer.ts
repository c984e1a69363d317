/**
 * The structured log: one JSON line per record, written to stdout in batches. Requests
 * handled together share one write instead of a synchronous print each, which under
 * load was a fifth of a request's CPU time; order is kept, and `flush()` drains the
 * rest at shutdown.
 */
import type { Log } from "./deps.ts";

/** A log with its flush. */
export interface LogWriter {
  log: Log;
  flush(): Promise<void>;
}

/** Batches lines to `write` (stdout in main.ts), one write per turn of the event loop. */
export function createLogWriter(
  write: (bytes: Uint8Array) => Promise<unknown>,
  now: () => Date = () => new Date(),
): LogWriter {
  const encoder = new TextEncoder();
  let pending: string[] = [];
  let writing: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return writing;
    const text = pending.join("");
    pending = [];
    writing = writing.then(async () => {
      const bytes = encoder.encode(text);
      for (let written = 0; written < bytes.length;) {
        const result = await write(bytes.subarray(written));
        written += typeof result === "number" ? result : bytes.length;
      }
    });
    return writing;
  };
  return {
    log(record) {
      pending.push(
        JSON.stringify({ time: now().toISOString(), ...record }) + "\n",
      );
      timer ??= setTimeout(flush, 0);
    },
    flush,
  };
}
