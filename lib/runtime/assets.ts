/**
 * The browser assets `deno task build` writes to `build/`: read once at start, served
 * from memory under a content-hash query, so a new build is never mixed with an old
 * page and an unchanged file is cached for a year.
 */
import { toBase64Url } from "./encoding.ts";

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

/** Reads the build directory; throws with the fix when it was not built. */
export async function loadAssets(directory: URL): Promise<Assets> {
  const files = new Map<string, Asset>();
  for (const name of assetNames) {
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await Deno.readFile(new URL(name, directory));
    } catch (error) {
      throw new Error(
        `The browser assets are missing (${name}): run \`deno task build\` first.`,
        { cause: error },
      );
    }
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
