/**
 * A stand-in for the Have I Been Pwned range API on loopback: it answers
 * `GET /range/ABCDE` with the `SUFFIX:COUNT` lines of its corpus in that range, padded
 * with zero-count lines as the real API does for `Add-Padding: true`.
 */

/** A request as the fake saw it. */
export interface RangeRequest {
  path: string;
  padding: string | null;
}

/** The running fake. */
export interface FakeRangeApi extends AsyncDisposable {
  /** Where a client appends the 5-hex prefix. */
  rangeUrl: string;
  requests: RangeRequest[];
}

/** Starts the fake with `breached` passcodes in its corpus. */
export async function startFakeRangeApi(
  breached: string[],
  options: { delayMs?: number } = {},
): Promise<FakeRangeApi> {
  const hashes = await Promise.all(breached.map(sha1Hex));
  const requests: RangeRequest[] = [];
  const stopping = new AbortController();
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: stopping.signal,
    onListen: () => {},
  }, async (request) => {
    const path = new URL(request.url).pathname;
    requests.push({ path, padding: request.headers.get("add-padding") });
    if (options.delayMs) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, options.delayMs);
        stopping.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve(null);
        });
      });
    }
    const prefix = path.split("/").pop() ?? "";
    const lines = hashes.filter((hash) => hash.startsWith(prefix))
      .map((hash) => `${hash.slice(5)}:42`);
    for (let i = 0; i < 3; i++) {
      lines.push(`${"0".repeat(34)}${i}:0`);
    }
    return new Response(lines.join("\r\n"));
  });
  const { port } = server.addr;
  return {
    rangeUrl: `http://127.0.0.1:${port}/range/`,
    requests,
    async [Symbol.asyncDispose]() {
      stopping.abort();
      await server.finished;
    },
  };
}

async function sha1Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-1",
    new TextEncoder().encode(text),
  );
  return [...new Uint8Array(digest)]
    .map((byte) => byte.toString(16).padStart(2, "0")).join("").toUpperCase();
}
