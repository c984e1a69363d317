/**
 * Each page carries only its share of the catalog (routes/pages/texts.tsx), and the
 * script's `t()` throws for a key that is not in it. So every key a script module names
 * must be in the parts of every page that runs the module: the pages whose entry
 * module (client/app.ts) reaches it by its imports, or every page for what app.ts
 * itself imports.
 */
import { catalogFiles } from "../../../lib/i18n/translator.ts";
import {
  type PageName,
  pageScriptParts,
  type ScriptPart,
} from "../../../routes/pages/texts.tsx";
import { assert, assertEquals } from "../../helpers/assert.ts";

const root = new URL("../../../", import.meta.url);
const read = (path: string) => Deno.readTextFileSync(new URL(path, root));

/** The relative modules a client module imports, as paths from the project root. */
function importsOf(path: string): string[] {
  const dir = path.slice(0, path.lastIndexOf("/") + 1);
  return [...read(path).matchAll(/from "(\.{1,2}\/[^"]+\.ts)"/g)]
    .map(([, relative]) => new URL(relative, new URL(dir, root)).pathname)
    .map((absolute) => absolute.slice(root.pathname.length))
    .filter((module) => module.startsWith("client/"));
}

/** Every client module `entry` reaches, itself included. */
function reach(entry: string, into = new Set<string>()): Set<string> {
  if (into.has(entry)) return into;
  into.add(entry);
  for (const module of importsOf(entry)) reach(module, into);
  return into;
}

/** The keys a module names with `t("…")` (the script's and the server's). */
function keysNamed(path: string): string[] {
  return [...read(path).matchAll(/\bt\(\s*"([\w.]+)"/g)].map(([, key]) => key);
}

/** The part a key lives in (catalogs_test holds each key to one file). */
const partOf = new Map<string, string>(
  Object.entries(catalogFiles.en).flatMap(([part, texts]) =>
    Object.keys(texts).map((key) => [key, part] as [string, string])
  ),
);

/** The page each `data-page` runs, from client/app.ts's table. */
function pageEntries(): Map<PageName, string> {
  const app = read("client/app.ts");
  const modules = new Map(
    [...app.matchAll(/import \{ (\w+) \} from "\.\/([\w/]+\.ts)"/g)].map((
      [, name, path],
    ) => [name, `client/${path}`]),
  );
  const table = app.slice(app.indexOf("const pages"), app.indexOf("};"));
  return new Map(
    [...table.matchAll(/^\s+"?([\w-]+)"?: (\w+),$/gm)].map((
      [, page, name],
    ) => [page as PageName, modules.get(name)!]),
  );
}

Deno.test("every key a script module names is in the catalog parts of every page that runs it", () => {
  const entries = pageEntries();
  assert(entries.size >= 5, `${entries.size} pages found in client/app.ts`);
  // What app.ts reaches by its own imports runs everywhere; a page's entry module and
  // what only it reaches run on the pages that name it.
  const entryModules = new Set(entries.values());
  const everyPage = reach("client/app.ts", new Set(entryModules));
  for (const entry of entryModules) everyPage.delete(entry);
  const pagesOf = new Map<string, PageName[]>();
  const pages = Object.keys(pageScriptParts) as PageName[];
  for (const page of pages) {
    const entry = entries.get(page);
    const modules = entry ? reach(entry) : new Set<string>();
    for (const module of [...everyPage, ...modules]) {
      if (!pagesOf.has(module)) pagesOf.set(module, []);
      const list = pagesOf.get(module)!;
      if (!list.includes(page)) list.push(page);
    }
  }
  const missing: string[] = [];
  for (const [module, runsOn] of pagesOf) {
    for (const key of keysNamed(module)) {
      const part = partOf.get(key) as ScriptPart | undefined;
      for (const page of runsOn) {
        const parts: readonly ScriptPart[] = pageScriptParts[page];
        if (!part || !parts.includes(part)) {
          missing.push(`${module}: "${key}" (${part}) is not on ${page}`);
        }
      }
    }
  }
  assertEquals(missing, []);
});
