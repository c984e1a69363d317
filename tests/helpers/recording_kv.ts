/**
 * The real Deno KV, with a record of what the code asked of it: each read, and each
 * commit with its checks and mutations by key prefix. Everything is passed through;
 * nothing is faked. Tests compare the records of two requests to show they did the
 * same work.
 */

/** The real KV and the record of what it was asked. */
export interface RecordingKv {
  kv: Deno.Kv;
  /** One line per read or commit, in the order they were made. */
  operations: string[];
  /**
   * Every key read (`get`, and each key of a `getMany`), whole, in order; a `list` as
   * its prefix and `*`.
   */
  reads: string[];
}

const prefixOf = (key: Deno.KvKey) => String(key[0]);

/** A key written out whole: `login_failures/a@example.com/null`. */
export const keyText = (key: Deno.KvKey): string => key.map(String).join("/");

/** Wraps `kv`; every call reaches it unchanged. */
export function recordingKv(kv: Deno.Kv): RecordingKv {
  const operations: string[] = [];
  const reads: string[] = [];
  const wrapOperation = (operation: Deno.AtomicOperation) => {
    const parts: string[] = [];
    const proxy: Deno.AtomicOperation = new Proxy(operation, {
      get(target, name) {
        const value = Reflect.get(target, name, target);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (name === "commit") {
            operations.push(`commit[${parts.sort().join(", ")}]`);
            return value.apply(target, args);
          }
          const first = args[0] as
            | { key: Deno.KvKey }
            | Deno.KvKey
            | undefined;
          const key = Array.isArray(first)
            ? first
            : (first as { key?: Deno.KvKey } | undefined)?.key;
          parts.push(`${String(name)} ${key ? prefixOf(key) : ""}`.trim());
          value.apply(target, args);
          return proxy;
        };
      },
    });
    return proxy;
  };
  const proxy = new Proxy(kv, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (name === "atomic") return wrapOperation(value.apply(target, args));
        if (name === "get") {
          operations.push(`get ${prefixOf(args[0] as Deno.KvKey)}`);
          reads.push(keyText(args[0] as Deno.KvKey));
        } else if (name === "getMany") {
          const keys = args[0] as Deno.KvKey[];
          operations.push(`getMany ${keys.map(prefixOf).join(", ")}`);
          reads.push(...keys.map(keyText));
        } else if (name === "list") {
          operations.push("list");
          const selector = args[0] as { prefix?: Deno.KvKey };
          reads.push(`${keyText(selector.prefix ?? [])}/*`);
        } else if (name !== "close") {
          operations.push(String(name));
        }
        return value.apply(target, args);
      };
    },
  });
  return { kv: proxy, operations, reads };
}
