/**
 * main.ts as `deno task dev` runs it: a real process on loopback with a file KV, the
 * permissions of the task, a registration verified with the code from /dev/outbox, and a
 * graceful stop on SIGTERM.
 */
import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/sha";
import { assert, assertEquals } from "./helpers/assert.ts";
import { freePort, waitForServer } from "./helpers/net.ts";

const taskPermissions = [
  "--allow-net",
  "--allow-env",
  "--allow-read=.",
  "--allow-write=.data",
];

function startServer(env: Record<string, string>, args: string[] = []) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", ...taskPermissions, "main.ts", ...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

Deno.test("the dev server registers and verifies a user with the code from /dev/outbox", async () => {
  const port = freePort();
  const kvFile = `.data/test-${crypto.randomUUID()}.sqlite3`;
  await Deno.mkdir(".data", { recursive: true });
  const child = startServer({
    PORT: String(port),
    DENO_KV_PATH: kvFile,
    CAPTCHA_MAX_NUMBER: "500",
  }, ["--dev"]);
  const base = `http://127.0.0.1:${port}`;
  try {
    const health = await waitForServer(`${base}/health`);
    assertEquals(health.status, 200);
    assertEquals(await health.json(), { status: "ok", kv: "ok" });

    const challenge = await (await fetch(`${base}/v1/captcha`)).json();
    const solution = await solveChallenge({ challenge, deriveKey });
    const accountId = "walter@example.com";
    const registered = await fetch(`${base}/v1/accounts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        accountId,
        passcode: "a long and unguessable passcode 7!",
        captcha: btoa(JSON.stringify({ challenge, solution })),
      }),
    });
    assertEquals(registered.status, 202);
    await registered.body?.cancel();

    const outbox = await (await fetch(`${base}/dev/outbox`)).json();
    assertEquals(outbox[0].to, accountId);
    const code = outbox[0].text.match(/\b(\d{6})\b/)[1];
    const verified = await fetch(`${base}/v1/accounts/verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ accountId, code }),
    });
    assertEquals(verified.status, 200);
    await verified.body?.cancel();
  } finally {
    child.kill("SIGTERM");
    const { code, stdout } = await child.output();
    const log = new TextDecoder().decode(stdout);
    await Deno.remove(kvFile).catch(() => {});
    assertEquals(code, 0, log);
    assert(log.includes('"msg":"stopped"'), "a graceful stop is logged");
  }
});

Deno.test("a production start without secrets stops with one message naming them all", async () => {
  const child = startServer({
    APP_ENV: "production",
    PORT: String(freePort()),
  });
  const { code, stderr } = await child.output();
  const message = new TextDecoder().decode(stderr);
  assertEquals(code, 1);
  for (
    const name of [
      "APP_ORIGIN",
      "RP_ID",
      "JWT_SIGNING_KEYS",
      "HMAC_KEY",
      "DATA_ENCRYPTION_KEY",
    ]
  ) {
    assert(message.includes(name), `${name} missing from: ${message}`);
  }
});

Deno.test("a brand logo that cannot be read stops the start, before it listens", async () => {
  const child = startServer({
    PORT: String(freePort()),
    DENO_KV_PATH: ":memory:",
    BRAND_LOGO: "static/missing.svg",
  }, ["--dev"]);
  // A start that goes on to listen is the failure: ended after a bounded wait.
  const bound = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const { code, stdout, stderr } = await child.output();
  clearTimeout(bound);
  const message = new TextDecoder().decode(stderr);
  assertEquals(code, 1, message);
  assert(
    message.includes("BRAND_LOGO: cannot read static/missing.svg"),
    message,
  );
  assert(!new TextDecoder().decode(stdout).includes("listening"));
});

Deno.test("a database outside .data/ stops the start with one line saying what to do", async () => {
  for (
    const kvPath of [
      // Neither readable nor writable under the task's permissions.
      `/tmp/exchange-login-${crypto.randomUUID()}/kv.sqlite3`,
      // Readable (the project folder) but not writable.
      `kv-${crypto.randomUUID()}.sqlite3`,
    ]
  ) {
    const child = startServer({
      PORT: String(freePort()),
      DENO_KV_PATH: kvPath,
    }, ["--dev"]);
    const { code, stderr } = await child.output();
    const message = new TextDecoder().decode(stderr).trim();
    assertEquals(code, 1, message);
    assertEquals(message.split("\n").length, 1, message);
    for (const part of ["DENO_KV_PATH", kvPath, ".data/", "deno task dev"]) {
      assert(message.includes(part), `${part} missing from: ${message}`);
    }
    assert(!/NotCapable|Uncaught/.test(message), message);
  }
});

Deno.test("50 wrong passcodes spread over 3 processes sharing one KV file check at most 5", async () => {
  const kvFile = `.data/test-${crypto.randomUUID()}.sqlite3`;
  await Deno.mkdir(".data", { recursive: true });
  const ports = [freePort(), freePort(), freePort()];
  const children = ports.map((port) =>
    startServer({
      PORT: String(port),
      DENO_KV_PATH: kvFile,
      CAPTCHA_MODE: "off",
      RATE_LIMIT_LOGIN: "1000/60s",
    }, ["--dev"])
  );
  const bases = ports.map((port) => `http://127.0.0.1:${port}`);
  try {
    for (const base of bases) {
      await (await waitForServer(`${base}/health`)).body?.cancel();
    }
    const post = (base: string, path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const accountId = "shared@example.com";
    const passcode = "a long and unguessable passcode 7!";
    await (await post(bases[0], "/v1/accounts", { accountId, passcode })).body
      ?.cancel();
    const outbox = await (await fetch(`${bases[1]}/dev/outbox`)).json();
    const code = outbox[0].text.match(/\b(\d{6})\b/)[1];
    const verified = await post(bases[2], "/v1/accounts/verify", {
      accountId,
      code,
    });
    assertEquals(verified.status, 200);
    await verified.body?.cancel();

    const responses = await Promise.all(
      Array.from(
        { length: 50 },
        (_, i) =>
          post(bases[i % 3], "/v1/login", {
            accountId,
            passcode: `wrong guess ${i}!`,
          }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    await Promise.all(responses.map((response) => response.body?.cancel()));
    const checked = statuses.filter((status) => status === 401).length;
    assert(checked <= 5, `${checked} guesses were checked`);
    assertEquals(
      checked + statuses.filter((status) => status === 423).length,
      50,
    );
    const right = await post(bases[1], "/v1/login", { accountId, passcode });
    assertEquals(right.status, 423);
    await right.body?.cancel();
  } finally {
    const outputs = children.map((child) => child.output());
    const stoppedEarly = children.map((child) => {
      try {
        child.kill("SIGTERM");
        return false;
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        return true;
      }
    });
    // No process may have stopped by itself or failed a request: contention is
    // retried, never a 500.
    for (
      const [i, { stdout, stderr }] of (await Promise.all(outputs)).entries()
    ) {
      const text = new TextDecoder().decode(stdout) +
        new TextDecoder().decode(stderr);
      assert(!stoppedEarly[i], `server ${i} stopped by itself:\n${text}`);
      assert(!text.includes('"status":500'), text);
    }
    await Deno.remove(kvFile).catch(() => {});
  }
});
