import { resolveSecrets } from "../../../lib/crypto/secrets.ts";
import { loadConfig } from "../../../lib/runtime/config.ts";
import { cryptoRandom } from "../../../lib/runtime/random.ts";
import { assertEquals } from "../../helpers/assert.ts";

const config = loadConfig({ APP_ENV: "development" });

Deno.test("development secrets are made once per database and kept across restarts", async () => {
  using kv = await Deno.openKv(":memory:");
  const logs: string[] = [];
  const log = (line: Record<string, unknown>) => {
    logs.push(String(line.msg));
  };
  const first = await resolveSecrets(config, kv, cryptoRandom, log);
  const again = await resolveSecrets(config, kv, cryptoRandom, log);
  assertEquals(again, first);
  assertEquals(logs.map((msg) => msg.split(" ")[0]), ["DEVELOPMENT", "Using"]);
});

Deno.test("processes starting together on a new database agree on one set of secrets", async () => {
  using kv = await Deno.openKv(":memory:");
  const resolved = await Promise.all(
    Array.from(
      { length: 8 },
      () => resolveSecrets(config, kv, cryptoRandom, () => {}),
    ),
  );
  for (const secrets of resolved) assertEquals(secrets, resolved[0]);
});
