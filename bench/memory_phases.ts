/**
 * Where the memory goes: the process's resident set, the V8 heap and the memory V8
 * knows is held outside it (`Deno.memoryUsage()`), after each phase of a service's
 * life, each read after two full collections. The app runs in this process
 * (bench/in_process_service.ts), imported only once the first figure is taken, so the
 * phases add up: the runtime alone, the app's modules, the app built on its KV, the
 * first answer, the first sign-up and sign-in (the passcode policy, Argon2id and the
 * QR encoder load then), the first passkey ceremony (the WebAuthn library), then
 * rounds of session checks. Then what the two bounded buffers cost when full: the
 * verified-token cache (10,000 real tokens) and the log writer (64 KiB of lines).
 *
 * Run alone (`deno run -A --v8-flags=--expose-gc bench/memory_phases.ts`) or from
 * bench/http_load.ts, which runs it in a process of its own (`--json`) and puts the
 * table in BENCHMARKS.md.
 */

/** One phase's figures, in MiB. */
export interface MemoryPhase {
  phase: string;
  rssMiB: number;
  heapUsedMiB: number;
  /** The heap V8 holds from the system, used or not. */
  heapTotalMiB: number;
  externalMiB: number;
}

const mib = (bytes: number) => Math.round(bytes / 1024 / 1024 * 10) / 10;

const collect = (globalThis as { gc?: () => void }).gc;

function measure(phase: string): MemoryPhase {
  if (!collect) {
    throw new Error("run with --v8-flags=--expose-gc, to read settled figures");
  }
  collect();
  collect();
  const { rss, heapUsed, heapTotal, external } = Deno.memoryUsage();
  return {
    phase,
    rssMiB: mib(rss),
    heapUsedMiB: mib(heapUsed),
    heapTotalMiB: mib(heapTotal),
    externalMiB: mib(external),
  };
}

/** Session checks per round, and rounds. */
const sessionChecks = 100_000;
const rounds = 3;
const cachedTokens = 10_000;
/** The log writer's default batch (lib/runtime/log_writer.ts). */
const logBufferChars = 64 * 1024;

/** Measures each phase in this process; call once per process. */
export async function measureMemoryPhases(): Promise<MemoryPhase[]> {
  const phases = [measure("runtime only (nothing imported)")];
  const { benchPasscode, startInProcessService } = await import(
    "./in_process_service.ts"
  );
  phases.push(measure("app modules imported"));
  await using running = await startInProcessService();
  const { request, enrolled } = running;
  phases.push(measure("app built on its KV (temporary file)"));
  await request("/health");
  phases.push(measure("first /health answered"));
  // A passcode the policy refuses: estimated, never hashed.
  const weak = await request("/v1/accounts", {
    accountId: "weak@example.com",
    passcode: "password123456",
  });
  if (weak.status !== 400) throw new Error(`weak passcode: ${weak.status}`);
  phases.push(measure("first passcode estimated (strength estimator)"));
  await request("/v1/accounts", {
    accountId: "memory@example.com",
    passcode: benchPasscode,
  });
  phases.push(measure("first passcode hashed (Argon2id, 19 MiB)"));
  const { authorization } = await enrolled("memory@example.com");
  phases.push(
    measure("first sign-in with enrollment (Argon2id check, QR encoder)"),
  );
  await request("/v1/login/passkey/options", {});
  phases.push(measure("first passkey options (WebAuthn library)"));
  for (let round = 1; round <= rounds; round++) {
    for (let i = 0; i < sessionChecks; i++) {
      const { status } = await request("/v1/session", undefined, {
        authorization,
      });
      if (status !== 200) throw new Error(`session check: ${status}`);
    }
    phases.push(
      measure(`after ${round * sessionChecks} session checks`),
    );
  }
  phases.push(...await boundedBuffers(running.service));
  return phases;
}

/** The two bounded buffers, full, each measured beside the same process empty. */
async function boundedBuffers(
  service: Awaited<
    ReturnType<typeof import("./in_process_service.ts").startInProcessService>
  >["service"],
): Promise<MemoryPhase[]> {
  const { createVerifiedTokenCache } = await import(
    "../lib/sessions/verified_token_cache.ts"
  );
  const { signAccessToken } = await import("../lib/crypto/access_token.ts");
  const { createLogWriter } = await import("../lib/runtime/log_writer.ts");
  const { tokenAudience } = await import("../lib/sessions/sessions.ts");
  const names = tokenAudience(service.deps);
  const { keyring } = service.deps;
  const now = Date.now();
  const tokens: string[] = [];
  for (let i = 0; i < cachedTokens; i++) {
    tokens.push(
      await signAccessToken(keyring, names, {
        sub: crypto.randomUUID(),
        sid: crypto.randomUUID(),
        amr: ["pwd", "otp", "mfa"],
      }, now),
    );
  }
  const empty = measure("before the buffers are filled");
  const cache = createVerifiedTokenCache(cachedTokens);
  for (const token of tokens) {
    const [, payload] = token.split(".");
    await cache.verify(
      token,
      now,
      () =>
        Promise.resolve(JSON.parse(atob(
          payload.replace(/-/g, "+").replace(
            /_/g,
            "/",
          ),
        ))),
    );
  }
  // The tokens themselves stay referenced by the cache only.
  tokens.length = 0;
  const fullCache = measure(
    `verified-token cache full (${cache.size} tokens)`,
  );
  const writer = createLogWriter(() => Promise.resolve(), {
    // Lines wait until the buffer fills: measure it just short of full.
    delayMs: 60_000,
  });
  const line = { event: "login.failed", reason: "passcode", ip: "203.0.113.9" };
  const lineChars =
    JSON.stringify({ time: new Date().toISOString(), ...line }).length + 1;
  for (let held = 0; held + lineChars < logBufferChars; held += lineChars) {
    writer.log(line);
  }
  const fullLog = measure("log writer holding 64 KiB of lines, less one");
  await writer.flush();
  return [empty, fullCache, fullLog];
}

/** The phases as a Markdown table, with each phase's growth over the one before. */
export function memoryTable(phases: MemoryPhase[]): string {
  return [
    "| phase | RSS MiB | Δ RSS | V8 heap used MiB | Δ heap used | V8 heap held MiB | external MiB |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...phases.map((phase, i) => {
      const before = phases[i - 1];
      const delta = (now: number, then?: number) =>
        then === undefined
          ? ""
          : `${now - then >= 0 ? "+" : ""}${
            Math.round((now - then) * 10) / 10
          }`;
      return `| ${phase.phase} | ${phase.rssMiB} | ${
        delta(phase.rssMiB, before?.rssMiB)
      } | ${phase.heapUsedMiB} | ${
        delta(phase.heapUsedMiB, before?.heapUsedMiB)
      } | ${phase.heapTotalMiB} | ${phase.externalMiB} |`;
    }),
  ].join("\n");
}

if (import.meta.main) {
  const phases = await measureMemoryPhases();
  console.log(
    Deno.args.includes("--json") ? JSON.stringify(phases) : memoryTable(phases),
  );
}
