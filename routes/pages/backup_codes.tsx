/** @jsxImportSource hono/jsx */
/**
 * New backup codes, shown once: copy, download, print, and a checkbox that the person
 * has kept them before the button goes on (client/backup_codes.ts fills and drives it).
 */
import { Icon } from "./icons.tsx";
import { useText } from "./texts.tsx";

/** The backup codes, once, with ways to keep them (after enrollment, and in the security centre). */
export function BackupCodesPanel(
  { id, title, lead }: { id: string; title: string; lead: string },
) {
  const t = useText();
  return (
    <div class="codes-panel" id={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p class="muted">{lead}</p>
      <ol class="codes" id={`${id}-list`}></ol>
      <div class="code-actions">
        <button type="button" class="secondary small" data-codes-copy={id}>
          <Icon name="copy" /> {t("signIn.backupCodes.copyAll")}
        </button>
        <button type="button" class="secondary small" data-codes-download={id}>
          <Icon name="download" /> {t("signIn.backupCodes.download")}
        </button>
        <button type="button" class="secondary small" data-codes-print={id}>
          <Icon name="print" /> {t("signIn.backupCodes.print")}
        </button>
      </div>
      <p class="form-status" id={`${id}-status`} role="status"></p>
      <div class="confirm">
        <input type="checkbox" id={`${id}-saved`} />
        <label for={`${id}-saved`}>
          {t("signIn.backupCodes.saved")}
        </label>
      </div>
      <button type="button" class="block" id={`${id}-done`} disabled>
        {t("signIn.continue")}
      </button>
    </div>
  );
}
