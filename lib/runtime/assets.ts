/**
 * The browser assets `deno task build` writes to `build/`: read once, served from
 * memory under a content-hash query, so a new build is never mixed with an old page and
 * an unchanged file is cached for a year. Only the pages and the API reference serve
 * them, so they are read with those routes (2 MB, most of it the reference's), and the
 * start only checks that they are there.
 */
import { toBase64Url } from "./encoding.ts";
import { lazy } from "./lazy.ts";

/** One asset, ready to serve. */
export interface Asset {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  /** The first 12 characters of the base64url SHA-256 of the body. */
  version: string;
}

/** The assets by file name, and the URL a page refers to each by. */
export interface Assets {
  files: Map<string, Asset>;
  url(name: string): string;
}

const contentTypes: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/** The files of the build; the pages need them, so a missing one stops the start. */
export const assetNames = [
  "app.js",
  "captcha_worker.js",
  "styles.css",
  "docs.js",
  "docs.css",
];

/**
 * Checks that the build directory holds every asset, and reads them on first use;
 * throws with the fix when it was not built.
 */
export async function openAssets(
  directory: URL,
): Promise<() => Promise<Assets>> {
  for (const name of assetNames) {
    await Deno.stat(new URL(name, directory)).catch((error) => {
      throw missingAsset(name, error);
    });
  }
  return lazy(() => loadAssets(directory));
}

function missingAsset(name: string, cause: unknown): Error {
  return new Error(
    `The browser assets are missing (${name}): run \`deno task build\` first.`,
    { cause },
  );
}

async function loadAssets(directory: URL): Promise<Assets> {
  const files = new Map<string, Asset>();
  for (const name of assetNames) {
    const body = await Deno.readFile(new URL(name, directory)).catch(
      (error) => {
        throw missingAsset(name, error);
      },
    );
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
    files.set(name, {
      body,
      contentType: contentTypes[name.slice(name.lastIndexOf("."))],
      version: toBase64Url(digest).slice(0, 12),
    });
  }
  return {
    files,
    url: (name) => `/assets/${name}?v=${files.get(name)!.version}`,
  };
}
