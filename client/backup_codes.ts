/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * New backup codes, shown once (routes/pages/backup_codes.tsx): copy all, download as
 * a text file, print; the button goes on only once the person ticks that they kept
 * them.
 */
import { t } from "./i18n.ts";
import { absoluteTime } from "./time.ts";

const fileName = "backup-codes.txt";

function fileText(codes: string[], accountId: string): string {
  const brand = document.querySelector(".brand span")?.textContent ?? "";
  return [
    t("common.backupCodes.fileTitle", { brand, accountId }),
    t("common.backupCodes.fileMade", {
      time: absoluteTime(new Date().toISOString()),
      origin: location.origin,
    }),
    t("common.backupCodes.fileAdvice"),
    "",
    ...codes.map((code, i) => `${String(i + 1).padStart(2)}. ${code}`),
    "",
  ].join("\n");
}

/** Fills a codes panel and wires its buttons; `onDone` runs after "Continue". */
export function showBackupCodes(
  id: string,
  codes: string[],
  { accountId, onDone }: { accountId: string; onDone: () => void },
): void {
  const panel = document.getElementById(id)!;
  const status = document.getElementById(`${id}-status`)!;
  const saved = document.getElementById(`${id}-saved`) as HTMLInputElement;
  const done = document.getElementById(`${id}-done`) as HTMLButtonElement;
  document.getElementById(`${id}-list`)!.replaceChildren(
    ...codes.map((code) => {
      const item = document.createElement("li");
      const text = document.createElement("code");
      text.textContent = code;
      item.append(text);
      return item;
    }),
  );
  saved.checked = false;
  done.disabled = true;
  status.textContent = "";
  const text = fileText(codes, accountId);
  const on = (selector: string, action: () => unknown) => {
    const button = panel.querySelector<HTMLButtonElement>(selector)!;
    // Replaced, not added to: the panel may be shown again with new codes.
    const fresh = button.cloneNode(true) as HTMLButtonElement;
    button.replaceWith(fresh);
    fresh.addEventListener("click", action);
  };
  on(`[data-codes-copy="${id}"]`, async () => {
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = t("common.backupCodes.copied");
    } catch {
      status.textContent = t("common.backupCodes.copyRefused");
    }
  });
  on(`[data-codes-download="${id}"]`, () => {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    link.download = fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    status.textContent = t("common.backupCodes.downloaded", { file: fileName });
  });
  on(`[data-codes-print="${id}"]`, () => {
    document.body.classList.add("printing");
    panel.classList.add("printing");
    addEventListener("afterprint", () => {
      document.body.classList.remove("printing");
      panel.classList.remove("printing");
    }, { once: true });
    print();
  });
  saved.onchange = () => {
    done.disabled = !saved.checked;
  };
  done.onclick = onDone;
}
