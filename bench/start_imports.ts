/**
 * Where a cold start's import time goes: the packages main.ts loads before its first
 * line runs (its static imports, followed through the app's own modules), each timed
 * as it is imported in a fresh process, then the app's own modules on top of them.
 * Medians of five processes. `deno run -A bench/start_imports.ts`
 */
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

interface ModuleInfo {
  specifier: string;
  dependencies?: {
    specifier: string;
    isDynamic?: boolean;
    code?: { specifier: string };
  }[];
}

/** The static import graph of main.ts: its package specifiers, in first-seen order. */
async function startPackages(): Promise<string[]> {
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "main.ts"],
    stdout: "piped",
  }).output();
  const graph = JSON.parse(new TextDecoder().decode(stdout));
  const modules = new Map<string, ModuleInfo>(
    graph.modules.map((module: ModuleInfo) => [module.specifier, module]),
  );
  const packages: string[] = [];
  const seen = new Set<string>();
  const visit = (specifier: string) => {
    if (seen.has(specifier)) return;
    seen.add(specifier);
    for (const dependency of modules.get(specifier)?.dependencies ?? []) {
      if (dependency.isDynamic || !dependency.code) continue;
      if (!dependency.code.specifier.startsWith("file:")) {
        if (!packages.includes(dependency.specifier)) {
          packages.push(dependency.specifier);
        }
        continue;
      }
      visit(dependency.code.specifier);
    }
  };
  visit(graph.roots[0]);
  return packages;
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
