/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * Passkeys and recognised browsers: added, renamed and removed in dialogs. Removing
 * the browser in use signs it out: the page then leaves for sign-in, saying why.
 */
import {
  type BrowserDescription,
  browserLabel,
} from "../../lib/runtime/browser_description.ts";
import { describedBrowserName } from "../describe.ts";
import { startRegistration } from "@simplewebauthn/browser";
import { call, request } from "../api.ts";
import { closeDialog, openDialog } from "../dialogs.ts";
import { onSubmit } from "../forms.ts";
import { t } from "../i18n.ts";
import { signedOut } from "../notice.ts";
import { timeElement } from "../time.ts";
import { withHold } from "../withdrawal_hold.ts";
import { withConfirmation } from "./confirmation.ts";
import { phraseSpan, pill, row, rowButton, say } from "./ui.ts";

interface Device {
  id: string;
  name: string;
  kind: "webauthn" | "browser";
  createdAt: string;
  lastUsedAt: string | null;
  /** This browser: the API does not say yet (a browser cannot read its cookie). */
  current?: boolean;
  /** A browser's make and system, by known names. */
  browser?: BrowserDescription;
}

/**
 * The device's name as the page shows it: a browser still called what the service
 * named it when it was recognised (in English) is named in the page's language.
 */
function shownName(device: Device): string {
  return device.browser && device.name === browserLabel(device.browser)
    ? describedBrowserName(device.browser)
    : device.name;
}

let target: Device | null = null;

function facts(device: Device): (string | Node)[] {
  const passkey = device.kind === "webauthn";
  const added = phraseSpan(
    passkey ? "security.devices.added" : "security.devices.recognised",
    { when: timeElement(device.createdAt, "day") },
  );
  const used = device.lastUsedAt
    ? phraseSpan("security.devices.lastUsed", {
      when: timeElement(device.lastUsedAt),
    })
    : t("security.devices.neverUsed");
  return [
    t(passkey ? "security.devices.passkey" : "security.devices.browser"),
    added,
    used,
  ];
}

function removalText(device: Device): string {
  if (device.kind === "webauthn") {
    return t("security.removeDevice.passkey", { name: shownName(device) });
  }
  return device.current
    ? t("security.removeDevice.thisBrowser")
    : t("security.removeDevice.browser", { name: shownName(device) });
}

/** Fills the list of passkeys and browsers. */
export async function loadDevices(): Promise<void> {
  const devices: Device[] = await call("GET", "/v1/devices");
  const list = document.getElementById("devices")!;
  const rows = devices.map((device) =>
    row({
      iconName: device.kind === "webauthn" ? "key" : "devices",
      title: shownName(device),
      badges: device.current
        ? [pill(t("security.devices.thisBrowser"), "brand")]
        : [],
      meta: facts(device),
      actions: [
        rowButton(
          t("security.devices.rename"),
          t("security.devices.renameLabel", { name: shownName(device) }),
          () => {
            target = device;
            const dialog = openDialog("rename-dialog");
            const input = dialog.querySelector<HTMLInputElement>("input")!;
            input.value = shownName(device);
            input.select();
          },
        ),
        rowButton(
          t("security.devices.remove"),
          t("security.devices.removeLabel", { name: shownName(device) }),
          () => {
            target = device;
            document.getElementById("remove-device-dialog-title")!
              .textContent = t(
                device.kind === "webauthn"
                  ? "security.removeDevice.titlePasskey"
                  : "security.removeDevice.titleBrowser",
              );
            document.getElementById("remove-device-text")!.textContent =
              removalText(device);
            openDialog("remove-device-dialog");
          },
          "danger-link",
        ),
      ],
    })
  );
  if (!devices.some((device) => device.kind === "webauthn")) {
    const empty = document.createElement("li");
    empty.className = "empty";
    empty.textContent = t("security.devices.empty");
    rows.unshift(empty);
  }
  list.replaceChildren(...rows);
}

/** Wires the device dialogs; `refresh` reloads the cards a change touches. */
export function attachDeviceActions(refresh: () => Promise<unknown>): void {
  onSubmit("passkey-form", async (fields, form) => {
    const options = await withConfirmation(
      fields,
      form,
      () => call("POST", "/v1/devices/webauthn/options", {}),
    );
    const response = await startRegistration({ optionsJSON: options });
    const { headers } = await request("POST", "/v1/devices/webauthn", {
      response,
      name: fields.name,
    });
    closeDialog("passkey-dialog");
    await refresh();
    say(
      "devices",
      withHold(t("security.passkey.added", { name: fields.name }), headers),
    );
  }, { codeField: "factor" });
  onSubmit("rename-form", async (fields) => {
    if (!target) return;
    await call("PATCH", `/v1/devices/${encodeURIComponent(target.id)}`, {
      name: fields.name,
    });
    closeDialog("rename-dialog");
    await refresh();
    say("devices", t("security.rename.done", { name: fields.name }));
  });
  onSubmit("remove-device-form", async (fields, form) => {
    if (!target) return;
    const removed = target;
    const { headers } = await withConfirmation(
      fields,
      form,
      () =>
        request("DELETE", `/v1/devices/${encodeURIComponent(removed.id)}`, {}),
    );
    closeDialog("remove-device-dialog");
    if (removed.kind === "browser") {
      // Removing the browser in use ends this session: leave cleanly for sign-in.
      const stillSignedIn = await call("GET", "/v1/session").then(
        () => true,
        () => false,
      );
      if (!stillSignedIn) {
        return signedOut(t("security.removeDevice.signedOut"));
      }
    }
    await refresh();
    say(
      "devices",
      withHold(
        t("security.removeDevice.done", { name: removed.name }),
        headers,
      ),
    );
  }, { codeField: "factor" });
}
