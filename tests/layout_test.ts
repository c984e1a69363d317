/**
 * Imports run one way (README, Architecture): routes/ → lib/ → kv/; inside lib/, each
 * layer below imports only layers below it. A new file or import that breaks the order
 * fails here, with the file and the import named.
 */
import { assertEquals } from "./helpers/assert.ts";

/** lib/'s layers from the bottom; "." is lib/'s own files (deps, account IDs, events). */
const libLayers = [
  "runtime",
  "crypto",
  "i18n",
  ".",
  "messages",
  "sessions",
  "safeguards",
  "devices",
  "account",
  "step_up",
  "login",
  "webauthn",
];

const root = new URL("../", import.meta.url);

async function sourceFiles(folder: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(new URL(folder, root))) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory) files.push(...await sourceFiles(path));
    else if (/\.tsx?$/.test(entry.name)) files.push(path);
  }
  return files;
}

/** The project paths a file imports (relative specifiers only). */
async function importsOf(file: string): Promise<string[]> {
  const text = await Deno.readTextFile(new URL(file, root));
  return [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)]
    .map(([, specifier]) =>
      new URL(specifier, new URL(file, root)).pathname.slice(
        root.pathname.length,
      )
    );
}

function libLayer(path: string): number {
  const [top, folder, file] = path.split("/");
  if (top !== "lib") return -1;
  return libLayers.indexOf(file === undefined ? "." : folder);
}

Deno.test("lib/ imports only its own lower layers and kv/; kv/ imports only kv/", async () => {
  const wrong: string[] = [];
  for (const file of await sourceFiles("lib")) {
    const layer = libLayer(file);
    if (layer === -1) wrong.push(`${file}: lib/ has no layer for its folder`);
    for (const target of await importsOf(file)) {
      if (target.startsWith("kv/")) continue;
      if (!target.startsWith("lib/") || libLayer(target) > layer) {
        wrong.push(`${file} imports ${target}`);
      }
    }
  }
  for (const file of await sourceFiles("kv")) {
    for (const target of await importsOf(file)) {
      if (!target.startsWith("kv/")) wrong.push(`${file} imports ${target}`);
    }
  }
  assertEquals(wrong, []);
});
