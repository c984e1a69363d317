/**
 * The start loads configuration, KV, keys and the three routes built before the first
 * answer, nothing more (README, Performance): the libraries of sign-in, enrollment,
 * documentation and mail load on first use. A static import that pulls one of them back
 * onto the start path fails here, named.
 */
import { assertEquals } from "./helpers/assert.ts";
import { startPackages } from "./helpers/start_graph.ts";

Deno.test("before the first answer a process loads only Hono and the address parser", async () => {
  const packages = await startPackages();
  assertEquals(
    [...new Set(packages.map((specifier) => specifier.split("/")[0]))].sort(),
    ["hono", "ip-bigint"],
    `packages on the start path: ${packages.join(", ")}`,
  );
});
