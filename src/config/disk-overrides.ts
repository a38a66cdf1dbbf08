import type { Problem } from "../errors/index.ts";
import type { Definition } from "./collect.ts";
import { mkOverride } from "./lib.ts";
import { formatOptionPath } from "./option-path.ts";
import type { Provenance } from "./provenance.ts";
import { closest } from "./suggest.ts";

// Above mkForce (50): a device given on the command line wins over every module.
const COMMAND_LINE_PRIORITY = 10;

/** The label that stands for a file in errors about a `--disk` override. */
export function overrideLabel(name: string, device: string): string {
  return `--disk ${name}=${device}`;
}

/** `--disk NAME=DEVICE` as definitions of `disko.devices.disk.NAME.device`, winning over every module. */
export function diskOverrideDefinitions(diskDevices: Readonly<Record<string, string>>): Definition[] {
  return Object.entries(diskDevices).map(([name, device]) => ({
    file: overrideLabel(name, device),
    value: {
      disko: { devices: { disk: { [name]: { device: mkOverride(COMMAND_LINE_PRIORITY, device) } } } },
    },
  }));
}

function hint(name: string, known: readonly string[]): string {
  const near = closest(name, known);
  return near === undefined ? "" : `; did you mean --disk ${near}=…?`;
}

/** An override must name a disk some module declares; otherwise it would invent one. */
export function checkDiskOverrides(
  diskDevices: Readonly<Record<string, string>>,
  merged: Record<string, unknown>,
  provenance: Provenance,
): Problem[] {
  const disks =
    (merged as { disko?: { devices?: { disk?: Record<string, unknown> } } }).disko?.devices?.disk ?? {};
  const declared = (name: string) =>
    provenance
      .filesOf(["disko", "devices", "disk", name])
      .some(
        (file) =>
          !Object.entries(diskDevices).some(([other, device]) => file === overrideLabel(other, device)),
      );
  const known = Object.keys(disks).filter(declared);
  return Object.entries(diskDevices)
    .filter(([name]) => !declared(name))
    .map(([name, device]) => ({
      file: overrideLabel(name, device),
      path: formatOptionPath(["disko", "devices", "disk", name]),
      message: `no disk ${JSON.stringify(name)} is declared: ${
        known.length === 0
          ? "the configuration declares no disks"
          : `the configuration's disks are ${known.map((disk) => JSON.stringify(disk)).join(", ")}${hint(name, known)}`
      }`,
    }));
}
