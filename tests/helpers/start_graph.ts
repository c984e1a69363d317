/**
 * What a process loads before main.ts runs its first line: the packages of its static
 * import graph (dynamic `import()`s and type-only imports load nothing then, with
 * deno.json's `lazy-dynamic-imports`). Read from `deno info --json`.
 */
interface ModuleInfo {
  specifier: string;
  dependencies?: {
    specifier: string;
    isDynamic?: boolean;
    code?: { specifier: string };
  }[];
}

/** The static import graph of main.ts: its package specifiers, in first-seen order. */
export async function startPackages(): Promise<string[]> {
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: [
      "info",
      "--json",
      new URL("../../main.ts", import.meta.url).pathname,
    ],
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
