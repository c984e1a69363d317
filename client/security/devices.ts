/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * Passkeys and recognised browsers: added, renamed and removed in dialogs. Removing
 * the browser in use signs it out: the page then leaves for sign-in, saying why.
 */
import { startRegistration } from "@simplewebauthn/browser";
import { call, request } from "../api.ts";
import { closeDialog, openDialog } from "../dialogs.ts";
import { onSubmit } from "../forms.ts";
import { signedOut } from "../notice.ts";
import { timeElement } from "../time.ts";
import { withHold } from "../withdrawal_hold.ts";
import { withConfirmation } from "./confirmation.ts";
import { pill, row, rowButton, say } from "./ui.ts";

interface Device {
  id: string;
  name: string;
  kind: "webauthn" | "browser";
  createdAt: string;
  lastUsedAt: string | null;
  /** This browser: the API does not say yet (a browser cannot read its cookie). */
  current?: boolean;
}

let target: Device | null = null;

function kindName(device: Device): string {
  return device.kind === "webauthn" ? "passkey" : "browser";
}

function facts(device: Device): (string | Node)[] {
  const added = document.createElement("span");
  added.append(
    device.kind === "webauthn" ? "added " : "recognised since ",
    timeElement(device.createdAt, "day"),
  );
  const used = document.createElement("span");
  if (device.lastUsedAt) {
    used.append("last used ", timeElement(device.lastUsedAt));
  } else used.append("never used");
  return [device.kind === "webauthn" ? "Passkey" : "Browser", added, used];
}

function removalText(device: Device): string {
  if (device.kind === "webauthn") {
    return `“${device.name}” stops working at once, and withdrawals pause for 24 hours.`;
  }
  return device.current
    ? "This is the browser you are using: you will be signed out here, and its next sign-in asks for a code sent to your address."
    : `“${device.name}” is signed out now, and its next sign-in asks for a code sent to your address. If it is the browser you are using, you are signed out here too.`;
}

/** Fills the list of passkeys and browsers. */
export async function loadDevices(): Promise<void> {
  const devices: Device[] = await call("GET", "/v1/devices");
  const list = document.getElementById("devices")!;
  const rows = devices.map((device) =>
    row({
      iconName: device.kind === "webauthn" ? "key" : "devices",
      title: device.name,
      badges: device.current ? [pill("This browser", "brand")] : [],
      meta: facts(device),
      actions: [
        rowButton("Rename", `Rename ${device.name}`, () => {
          target = device;
          const dialog = openDialog("rename-dialog");
          const input = dialog.querySelector<HTMLInputElement>("input")!;
          input.value = device.name;
          input.select();
        }),
        rowButton("Remove", `Remove ${device.name}`, () => {
          target = device;
          document.getElementById("remove-device-dialog-title")!.textContent =
            `Remove this ${kindName(device)}?`;
          document.getElementById("remove-device-text")!.textContent =
            removalText(device);
          openDialog("remove-device-dialog");
        }, "danger-link"),
      ],
    })
  );
  if (!devices.some((device) => device.kind === "webauthn")) {
    const empty = document.createElement("li");
    empty.className = "empty";
    empty.textContent =
      "No passkey yet. A passkey signs you in with your fingerprint, face or screen lock, and cannot be phished.";
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
    say("devices", withHold(`Passkey “${fields.name}” added.`, headers));
  }, { codeField: "factor" });
  onSubmit("rename-form", async (fields) => {
    if (!target) return;
    await call("PATCH", `/v1/devices/${encodeURIComponent(target.id)}`, {
      name: fields.name,
    });
    closeDialog("rename-dialog");
    await refresh();
    say("devices", `Renamed to “${fields.name}”.`);
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
        return signedOut(
          "You removed this browser, so it was signed out. Its next sign-in asks for a code sent to your address.",
        );
      }
    }
    await refresh();
    say("devices", withHold(`Removed “${removed.name}”.`, headers));
  }, { codeField: "factor" });
}
