import { lazy } from "../../../lib/runtime/lazy.ts";
import { assertEquals, assertRejects } from "../../helpers/assert.ts";

Deno.test("lazy() loads on first use, once however many callers race, and again after a failure", async () => {
  let loads = 0;
  let failNext = true;
  const module = lazy(() => {
    loads++;
    if (failNext) {
      failNext = false;
      return Promise.reject(new Error("network"));
    }
    return Promise.resolve({ loaded: loads });
  });
  assertEquals(loads, 0);
  await assertRejects(module, /network/);
  const results = await Promise.all(Array.from({ length: 10 }, module));
  assertEquals(loads, 2);
  assertEquals(new Set(results).size, 1);
  assertEquals(await module(), { loaded: 2 });
});
