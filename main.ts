/**
 * Composes the service: configuration, then KV, then the app; Deno.serve and Deno.cron.
 * `deno task dev` passes `--dev`, which makes development the default APP_ENV (the
 * environment still wins, as API.md requires of the tasks).
 */
import { openAssets } from "./lib/runtime/assets.ts";
import { ConfigError, loadConfig } from "./lib/runtime/config.ts";
import { systemClock } from "./lib/runtime/clock.ts";
import { createLogWriter } from "./lib/runtime/log_writer.ts";
import { configuredTransport } from "./lib/messages/configured_transport.ts";
import { cryptoRandom } from "./lib/runtime/random.ts";
import { resolveSecrets } from "./lib/crypto/secrets.ts";
import { createApp } from "./routes/app.ts";
import { retryingBusyDatabase } from "./kv/busy_retry.ts";
import { startTelemetry } from "./lib/runtime/telemetry.ts";

const { log, flush: flushLog } = createLogWriter((bytes) =>
  Deno.stdout.write(bytes)
);

const environment = Deno.env.toObject();
if (Deno.args.includes("--dev")) environment.APP_ENV ??= "development";
// Outside Deno Deploy the database is a file in the project's data folder by default.
if (!environment.DENO_DEPLOYMENT_ID) {
  environment.DENO_KV_PATH ??= ".data/kv.sqlite3";
}

// Deno exports traces and metrics with OTEL_DENO=true, and Deno Deploy collects them
// itself: only then is the API loaded.
if (environment.OTEL_DENO === "true" || environment.DENO_DEPLOYMENT_ID) {
  await startTelemetry();
}

let config;
try {
  config = loadConfig(environment);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  Deno.exit(1);
}

// The tasks may write only under .data/ (least privilege). A database anywhere else
// would stop inside Deno.openKv with an uncaught NotCapable, or a permission prompt.
const kvFile = config.kvPath && config.kvPath !== ":memory:" &&
    !config.kvPath.startsWith("https://")
  ? config.kvPath
  : null;
if (
  kvFile &&
  (["read", "write"] as const).some((name) =>
    Deno.permissions.querySync({ name, path: kvFile }).state !== "granted"
  )
) {
  console.error(
    `DENO_KV_PATH=${kvFile} is outside .data/, the only folder deno task dev and deno task start may write to: set DENO_KV_PATH to a file under .data/ (or unset it for .data/kv.sqlite3), then start again.`,
  );
  Deno.exit(1);
}
if (config.kvPath?.startsWith(".data/")) {
  await Deno.mkdir(".data", { recursive: true });
}
const opened = await Deno.openKv(config.kvPath);
const kv = kvFile ? retryingBusyDatabase(opened) : opened;
const secrets = await resolveSecrets(config, kv, cryptoRandom, log);
const transport = configuredTransport(config, kv, systemClock, log);
const {
  app,
  deps,
  sweepOutbox,
  sweepCounters,
  sweepMfaResets,
  sweepSessionRevocations,
  sweepSettingsUnlocks,
  sweepDelayedRecoveries,
} = await createApp({
  kv,
  clock: systemClock,
  random: cryptoRandom,
  config,
  secrets,
  transport,
  log,
  assets: await openAssets(new URL("./build/", import.meta.url)),
});

const shutdown = new AbortController();
/** Schedules a sweep; logs what it did when it did anything. */
function scheduleSweep(
  name: string,
  schedule: string,
  sweep: () => Promise<Record<string, number>>,
  level: "info" | "warn" = "info",
): void {
  Deno.cron(name, schedule, { signal: shutdown.signal }, async () => {
    const counts = await sweep();
    if (Object.values(counts).some((count) => count > 0)) {
      log({ level, msg: name, ...counts });
    }
  });
}
scheduleSweep("outbox sweep", "* * * * *", sweepOutbox);
scheduleSweep(
  "counter sweep",
  "*/10 * * * *",
  async () => ({ deleted: await sweepCounters() }),
);
scheduleSweep(
  "mfa reset sweep",
  "*/5 * * * *",
  async () => ({ applied: await sweepMfaResets() }),
);
scheduleSweep(
  "settings unlock sweep",
  "*/5 * * * *",
  async () => ({ ended: await sweepSettingsUnlocks() }),
);
scheduleSweep(
  "delayed recovery sweep",
  "*/5 * * * *",
  async () => ({ applied: await sweepDelayedRecoveries() }),
);
// A warning: each one is a request that stopped between a change and its sign-out.
scheduleSweep(
  "session revocation sweep",
  "* * * * *",
  async () => ({ finished: await sweepSessionRevocations() }),
  "warn",
);

const server = Deno.serve({
  port: config.port,
  signal: shutdown.signal,
  onListen: ({ hostname, port }) =>
    log({
      level: "info",
      msg: `listening on http://${hostname}:${port}`,
      appEnv: config.appEnv,
      origin: config.appOrigins[0],
    }),
}, app.fetch);

// Graceful shutdown: stop accepting, let in-flight requests finish, then close KV.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => shutdown.abort());
}
await server.finished;
await deps.deliverer.settled();
kv.close();
log({ level: "info", msg: "stopped" });
await flushLog();
