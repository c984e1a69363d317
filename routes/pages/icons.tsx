/** @jsxImportSource hono/jsx */
/**
 * The pages' few icons, drawn inline (SVG markup is no script or style, so the CSP
 * allows it) in the text colour; decorative, so hidden from assistive technology.
 */

const paths = {
  lock:
    "M7 11V8a5 5 0 0 1 10 0v3M6 11h12a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1v-8a1 1 0 0 1 1-1z",
  shield: "M12 3l7 3v5c0 4.5-3 8.3-7 10-4-1.7-7-5.5-7-10V6l7-3zM9 12l2 2 4-4",
  key:
    "M14.5 9.5a4 4 0 1 1-1.3-2.9M13.2 6.6L20 13.4V17h-3v-2h-2v-2h-1.8M8.5 11.5h.01",
  devices: "M4 6h12v9H4zM2 18h16M19 9h3v10h-3zM10 15v3",
  sessions: "M3 5h18v11H3zM8 20h8M12 16v4",
  passcode: "M4 7h16v10H4zM8 12h.01M12 12h.01M16 12h.01",
  mail: "M3 6h18v12H3zM3 7l9 6 9-6",
  history: "M3 12a9 9 0 1 0 3-6.7M3 4v4h4M12 8v4l3 2",
  account: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 3.6-7 8-7s8 3 8 7",
  settingsLock:
    "M12 3l7 3v5c0 4.5-3 8.3-7 10-4-1.7-7-5.5-7-10V6l7-3zM10 12v-1a2 2 0 0 1 4 0v1M9.5 12h5v4h-5z",
  check: "M5 12.5l4.5 4.5L19 7.5",
  alert: "M12 4l9 16H3L12 4zM12 10v4M12 17h.01",
  eye:
    "M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12zM12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z",
  copy: "M9 9h11v11H9zM5 15H4V4h11v1",
  download: "M12 4v11M7 10l5 5 5-5M5 20h14",
  print: "M7 9V4h10v5M7 17H4v-7h16v7h-3M7 14h10v6H7z",
  arrowLeft: "M19 12H5M11 6l-6 6 6 6",
} as const;

/** An icon by name. */
export function Icon(
  { name, class: className }: { name: IconName; class?: string },
) {
  return (
    <svg
      class={`icon${className ? ` ${className}` : ""}`}
      viewBox="0 0 24 24"
      width="20"
      height="20"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={paths[name]}
        fill="none"
        stroke="currentColor"
        stroke-width="1.8"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}

/** The icons by name. */
export type IconName = keyof typeof paths;
