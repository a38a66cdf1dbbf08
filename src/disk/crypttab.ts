import type { Devices } from "./devices.ts";
import { encryptedDevices } from "./encryption.ts";
import type { DeviceRef } from "./steps.ts";

/** A line of the installed system's /etc/crypttab: a LUKS device found by its header's UUID, opened at boot. */
export interface CrypttabEntry {
  readonly name: string;
  /** The encrypted device; its LUKS UUID is read once it is formatted. */
  readonly device: DeviceRef;
  readonly options: readonly string[];
}

/**
 * The crypttab of a layout, outer devices first. At boot each asks for its passphrase (on the console, or sent
 * with groundwork unlock): the key files that formatted them stay on the installer. `initramfs` makes Debian's
 * initramfs open a device whatever it holds; without it (initrdUnlock = false) systemd opens it afterwards.
 */
export function crypttabEntries(devices: Devices): CrypttabEntry[] {
  return encryptedDevices(devices).map((encrypted) => ({
    name: encrypted.name,
    device: encrypted.device,
    options: ["luks", ...(encrypted.initrdUnlock ? ["initramfs"] : []), ...encrypted.crypttabOptions],
  }));
}

/** One crypttab line, given the LUKS UUID of its device. */
export function formatCrypttabLine(entry: CrypttabEntry, uuid: string): string {
  return `${entry.name} UUID=${uuid} none ${entry.options.join(",")}`;
}
