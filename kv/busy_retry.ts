/**
 * Several processes on one SQLite KV file (what `deno task dev` with a few workers, or a
 * test of edge isolates, does) see "database is locked" when writers collide. That is
 * contention, not failure: this wrapper retries such calls with jittered backoff, so
 * callers see only real errors and ordinary `check` conflicts. Deno Deploy's KV and KV
 * Connect never raise it; there the wrapper only passes calls through.
 */

const maxBusyRetries = 50;

function isBusy(error: unknown): boolean {
  return error instanceof Error &&
    /database is (locked|busy)/i.test(error.message);
}

async function retryBusy<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0;; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isBusy(error) || attempt >= maxBusyRetries) throw error;
      const ceilingMs = Math.min(100, 2 ** Math.min(attempt, 7));
      await new Promise((resolve) =>
        setTimeout(resolve, Math.random() * ceilingMs)
      );
    }
  }
}

/** Wraps a KV handle so its reads, writes and commits retry on SQLite busy errors. */
export function retryingBusyDatabase(kv: Deno.Kv): Deno.Kv {
  return new Proxy(kv, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (property === "atomic") {
        return () => {
          const operation = target.atomic();
          const commit = operation.commit.bind(operation);
          operation.commit = () => retryBusy(commit);
          return operation;
        };
      }
      if (["get", "getMany", "set", "delete"].includes(String(property))) {
        return (...args: unknown[]) =>
          retryBusy(() =>
            (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
          );
      }
      return value.bind(target);
    },
  });
}
