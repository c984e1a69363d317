/**
 * The structured log: one JSON line per record, written to stdout in batches. Lines wait
 * up to `delayMs` to share one write, so a busy server writes a few times a second, not
 * once per request or per turn of the event loop. Errors go out at once with whatever
 * waits before them, order is kept, and `flush()` drains the rest at shutdown.
 */
/** A structured log sink; records are flat JSON objects. */
export type Log = (record: Record<string, unknown>) => void;

/** A log with its flush. */
export interface LogWriter {
  log: Log;
  flush(): Promise<void>;
}

/** How a writer batches. */
export interface LogWriterOptions {
  /** The clock of the `time` field. */
  now?: () => Date;
  /** How long a line may wait for others to share its write. */
  delayMs?: number;
  /** Waiting text that is written at once, however young. */
  maxPendingChars?: number;
}

/** Batches lines to `write` (stdout in main.ts). */
export function createLogWriter(
  write: (bytes: Uint8Array) => Promise<unknown>,
  { now = () => new Date(), delayMs = 50, maxPendingChars = 64 * 1024 }:
    LogWriterOptions = {},
): LogWriter {
  const encoder = new TextEncoder();
  let pending: string[] = [];
  let pendingChars = 0;
  let writing: Promise<void> = Promise.resolve();
  // The wait is a timeout signal, not setTimeout: Deno 2.9's setTimeout loads Node's
  // timer module on first use, 8 ms of the first answer of a cold start (2.5's did not;
  // bench/NOTES.md). A signal cannot be cleared, so one that fires late does nothing.
  let due: AbortSignal | undefined;
  const flush = (): Promise<void> => {
    due = undefined;
    if (pending.length === 0) return writing;
    const text = pending.join("");
    pending = [];
    pendingChars = 0;
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
      const line = JSON.stringify({ time: now().toISOString(), ...record }) +
        "\n";
      pending.push(line);
      pendingChars += line.length;
      if (record.level === "error" || pendingChars >= maxPendingChars) {
        flush();
      } else if (!due) {
        const signal = due = AbortSignal.timeout(delayMs);
        signal.onabort = () => {
          if (due === signal) flush();
        };
      }
    },
    flush,
  };
}
