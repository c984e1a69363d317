/**
 * Where a cold start's import time goes: the packages main.ts loads before its first
 * line runs (its static imports, followed through the app's own modules), each timed
 * as it is imported in a fresh process, then the app's own modules on top of them.
 * Medians of five processes. `deno run -A bench/start_imports.ts`
 */
import { startPackages } from "../tests/helpers/start_graph.ts";

const rounds = 5;

if (Deno.args[0] === "--child") {
  // One process: each specifier imported in turn, its milliseconds printed as JSON.
  const times: Record<string, number> = {};
  for (const specifier of Deno.args.slice(1)) {
    const started = performance.now();
    await import(specifier);
    times[specifier] = performance.now() - started;
  }
  console.log(JSON.stringify(times));
  Deno.exit(0);
}

const projectRoot = new URL("../", import.meta.url).href;
const packages = await startPackages();
const ownModules = ["lib/runtime/config.ts", "routes/app.ts"].map((path) =>
  projectRoot + path
);
const samples: Record<string, number>[] = [];
for (let round = 0; round < rounds; round++) {
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      import.meta.filename!,
      "--child",
      ...packages,
      ...ownModules,
    ],
    stdout: "piped",
  }).output();
  samples.push(JSON.parse(new TextDecoder().decode(stdout)));
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log("| imported, in this order | ms (median of 5) |");
console.log("| --- | ---: |");
let total = 0;
for (const specifier of [...packages, ...ownModules]) {
  const ms = median(samples.map((sample) => sample[specifier]));
  total += ms;
  const name = specifier.startsWith("file:")
    ? specifier.slice(projectRoot.length)
    : specifier;
  console.log(`| ${name} | ${ms.toFixed(1)} |`);
}
console.log(`| all | ${total.toFixed(1)} |`);
