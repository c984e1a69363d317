/**
 * The brand of the pages (`BRAND_NAME`, `BRAND_COLOR`, `BRAND_LOGO`) as assets of this
 * origin: a stylesheet of colour variables derived from the one brand colour, and the
 * logo, which is also the favicon. The strict CSP allows no inline style, so the colour
 * reaches the pages as a served stylesheet, generated once at start.
 */
import type { Asset, Assets } from "../../lib/runtime/assets.ts";
import type { Config } from "../../lib/runtime/config.ts";
import { toBase64Url } from "../../lib/runtime/encoding.ts";

type Rgb = [number, number, number];

function parseHex(hex: string): Rgb {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

function toHex(rgb: Rgb): string {
  return `#${
    rgb.map((channel) => Math.round(channel).toString(16).padStart(2, "0"))
      .join("")
  }`;
}

/** WCAG 2.2 relative luminance. */
function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.2 contrast ratio, 1 to 21. */
export function contrast(a: string, b: string): number {
  const [high, low] = [luminance(parseHex(a)), luminance(parseHex(b))].sort((
    x,
    y,
  ) => y - x);
  return (high + 0.05) / (low + 0.05);
}

function mix(from: string, toward: string, share: number): string {
  const a = parseHex(from);
  const b = parseHex(toward);
  return toHex(
    a.map((channel, i) => channel + (b[i] - channel) * share) as Rgb,
  );
}

/**
 * The brand colour moved toward `toward` in small steps until text of it reaches 4.5:1
 * (WCAG AA) on every one of `backgrounds`: any brand colour stays readable as links.
 */
export function readableOn(
  color: string,
  backgrounds: string[],
  toward: string,
): string {
  for (let share = 0; share <= 1; share += 0.02) {
    const candidate = mix(color, toward, share);
    if (
      backgrounds.every((background) => contrast(candidate, background) >= 4.5)
    ) {
      return candidate;
    }
  }
  return toward;
}

/** The page surfaces the stylesheet uses, light and dark (client/styles.css). */
export const surfaces = {
  light: ["#ffffff", "#f5f6f8", "#eef0f4"],
  dark: ["#151a23", "#0d1117", "#1c2230"],
};

/** The CSS variables of a brand colour. */
export function brandStylesheet(color: string): string {
  const onBrand = contrast(color, "#ffffff") >= contrast(color, "#0d1117")
    ? "#ffffff"
    : "#0d1117";
  // Tinted backgrounds (icons, badges, the address bar) are a little of the brand
  // colour in a card's surface; brand-coloured text must read on them too.
  const lightTint = mix(surfaces.light[0], color, 0.09);
  const darkTint = mix(surfaces.dark[0], color, 0.16);
  const lightInk = readableOn(color, [...surfaces.light, lightTint], "#000000");
  const darkInk = readableOn(color, [...surfaces.dark, darkTint], "#ffffff");
  // Buttons keep the brand colour; their text is white or near-black, whichever
  // reads better on it (one of the two always reaches 4.5:1).
  return `:root {
  --brand: ${color};
  --brand-hover: ${
    mix(color, onBrand === "#ffffff" ? "#000000" : "#ffffff", 0.12)
  };
  --on-brand: ${onBrand};
  --brand-ink-light: ${lightInk};
  --brand-ink-dark: ${darkInk};
  --brand-tint-light: ${lightTint};
  --brand-tint-dark: ${darkTint};
}
`;
}

/** The default logo: the brand colour with two arrows trading places. */
export function brandMark(color: string): string {
  const ink = contrast(color, "#ffffff") >= contrast(color, "#0d1117")
    ? "#ffffff"
    : "#0d1117";
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">` +
    `<rect width="32" height="32" rx="8" fill="${color}"/>` +
    `<path d="M9 12.5h13.5M18.5 8.5l4 4-4 4M23 19.5H9.5M13.5 15.5l-4 4 4 4" ` +
    `fill="none" stroke="${ink}" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"/>` +
    `</svg>`;
}

async function asset(
  body: Uint8Array<ArrayBuffer>,
  contentType: string,
): Promise<Asset> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  return { body, contentType, version: toBase64Url(digest).slice(0, 12) };
}

/** The name a page refers to the logo by, whatever its format. */
export function logoName(brand: Config["brand"]): string {
  return brand.logoPath?.endsWith(".png") ? "logo.png" : "logo.svg";
}

/**
 * The brand's assets: `brand.css` and the logo. A configured logo that cannot be read
 * stops the start with the setting's name, as any other bad setting does.
 */
export async function loadBrandAssets(brand: Config["brand"]): Promise<Assets> {
  let logo: Uint8Array<ArrayBuffer>;
  if (brand.logoPath) {
    try {
      logo = await Deno.readFile(brand.logoPath);
    } catch (error) {
      throw new Error(
        `BRAND_LOGO: cannot read ${brand.logoPath} (${
          error instanceof Error ? error.name : "error"
        }); give a file inside the project folder.`,
        { cause: error },
      );
    }
  } else {
    logo = new TextEncoder().encode(brandMark(brand.color));
  }
  const name = logoName(brand);
  const files = new Map<string, Asset>([
    [
      "brand.css",
      await asset(
        new TextEncoder().encode(brandStylesheet(brand.color)),
        "text/css; charset=utf-8",
      ),
    ],
    [
      name,
      await asset(logo, name.endsWith(".png") ? "image/png" : "image/svg+xml"),
    ],
  ]);
  return {
    files,
    url: (file) => `/assets/${file}?v=${files.get(file)!.version}`,
  };
}
