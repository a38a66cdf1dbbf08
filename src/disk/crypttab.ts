import type { Devices } from "./devices.ts";
import { encryptedDevices } from "./encryption.ts";
import { layoutMounts } from "./mounts.ts";
import type { DeviceRef } from "./steps.ts";

/** A line of the installed system's /etc/crypttab: a LUKS device found by its header's UUID, opened at boot. */
export type CrypttabEntry =
  | {
      readonly kind: "luks";
      readonly name: string;
      /** The encrypted device; its LUKS UUID is read once it is formatted. */
      readonly device: DeviceRef;
      readonly options: readonly string[];
    }
  | {
      /** A swap encrypted with a new random key at each boot, on a device whose path never moves. */
      readonly kind: "random-swap";
      readonly name: string;
      readonly path: string;
      readonly options: readonly string[];
    };

/**
 * The crypttab of a layout, outer devices first. At boot each asks for its passphrase (on the console, or sent
 * with groundwork unlock): the key files that formatted them stay on the installer. `initramfs` makes Debian's
 * initramfs open a device whatever it holds; without it (initrdUnlock = false) systemd opens it afterwards.
 */
export function crypttabEntries(devices: Devices): CrypttabEntry[] {
  const luks = encryptedDevices(devices).map(
    (encrypted): CrypttabEntry => ({
      kind: "luks",
      name: encrypted.name,
      device: encrypted.device,
      options: ["luks", ...(encrypted.initrdUnlock ? ["initramfs"] : []), ...encrypted.crypttabOptions],
    }),
  );
  const swaps = layoutMounts(devices).flatMap((mount): CrypttabEntry[] => {
    if (mount.kind !== "swap" || mount.randomEncryption === undefined) return [];
    const device = mount.device;
    // The swap's check refused a partition without a label.
    const path = device.kind === "path" ? device.path : `/dev/disk/by-partlabel/${device.label ?? ""}`;
    return [
      {
        kind: "random-swap",
        name: mount.randomEncryption,
        path,
        options: ["swap", "cipher=aes-xts-plain64", "size=512", ...(mount.discardPolicy ? ["discard"] : [])],
      },
    ];
  });
  return [...luks, ...swaps];
}

/** One crypttab line; `uuid` is the LUKS UUID of a LUKS device (a random swap has none). */
export function formatCrypttabLine(entry: CrypttabEntry, uuid: string): string {
  return entry.kind === "luks"
    ? `${entry.name} UUID=${uuid} none ${entry.options.join(",")}`
    : `${entry.name} ${entry.path} /dev/urandom ${entry.options.join(",")}`;
}
