import { assetNames, openAssets } from "../../../lib/runtime/assets.ts";
import { assert, assertEquals, assertRejects } from "../../helpers/assert.ts";

async function buildDirectory(names: string[]): Promise<URL> {
  const directory = await Deno.makeTempDir();
  for (const name of names) {
    await Deno.writeTextFile(`${directory}/${name}`, `/* ${name} */`);
  }
  return new URL(`file://${directory}/`);
}

Deno.test("a build without one of its files stops the start, saying how to build", async () => {
  const directory = await buildDirectory(assetNames.slice(1));
  await assertRejects(
    () => openAssets(directory),
    Error,
    `The browser assets are missing (${
      assetNames[0]
    }): run \`deno task build\` first.`,
  );
  await Deno.remove(directory, { recursive: true });
});

Deno.test("the assets are read when first asked for, each under its content's version", async () => {
  const directory = await buildDirectory(assetNames);
  const assets = await openAssets(directory);
  // Written after the start: what is served is what the first use read.
  await Deno.writeTextFile(new URL("app.js", directory), "console.log(1);");
  const { files, url } = await assets();
  assertEquals(
    new TextDecoder().decode(files.get("app.js")!.body),
    "console.log(1);",
  );
  assertEquals(files.get("styles.css")!.contentType, "text/css; charset=utf-8");
  assert(/^\/assets\/app\.js\?v=[\w-]{12}$/.test(url("app.js")));
  assert(url("app.js") !== url("captcha_worker.js"));
  assert(await assets() === await assets(), "read once");
  await Deno.remove(directory, { recursive: true });
});
