import { z } from "zod";
import { RunError } from "../errors/index.ts";
import type { ObservedDevice, ObservedSystem } from "../plan/verify-layout.ts";
import { factSections } from "./parse-facts.ts";

type Node = {
  name: string;
  path: string;
  size: number | string;
  type: string;
  ro: boolean | string | number;
  fstype?: string | null | undefined;
  mountpoint?: string | null | undefined;
  tran?: string | null | undefined;
  partlabel?: string | null | undefined;
  parttype?: string | null | undefined;
  children?: Node[] | undefined;
};
const node: z.ZodType<Node> = z.lazy(() =>
  z.object({
    name: z.string(),
    path: z.string(),
    size: z.union([z.number(), z.string()]),
    type: z.string(),
    ro: z.union([z.boolean(), z.string(), z.number()]),
    fstype: z.string().nullish(),
    mountpoint: z.string().nullish(),
    tran: z.string().nullish(),
    partlabel: z.string().nullish(),
    parttype: z.string().nullish(),
    children: z.array(node).optional(),
  }),
);

function observedDevice(entry: Node): ObservedDevice {
  return {
    name: entry.name,
    path: entry.path,
    size: Number(entry.size),
    type: entry.type,
    readOnly: entry.ro === true || entry.ro === "1" || entry.ro === 1,
    fsType: entry.fstype ?? undefined,
    mountpoint: entry.mountpoint ?? undefined,
    transport: entry.tran ?? undefined,
    partLabel: entry.partlabel ?? undefined,
    partType: entry.parttype ?? undefined,
    children: (entry.children ?? []).map(observedDevice),
  };
}

/** Parse the observe script's output. */
export function parseObserved(output: string): ObservedSystem {
  const sections = factSections(output);
  if (!sections.has("end")) throw new RunError("reading the installed system failed: its output ends early");
  try {
    const lsblk = z.object({ blockdevices: z.array(node) }).parse(JSON.parse(sections.get("lsblk") ?? "{}"));
    const findmnt = z
      .object({
        filesystems: z.array(z.object({ target: z.string(), source: z.string(), fstype: z.string() })),
      })
      .parse(JSON.parse(sections.get("findmnt") ?? "{}"));
    return {
      devices: lsblk.blockdevices.map(observedDevice),
      mounts: findmnt.filesystems.map((mount) => ({
        target: mount.target,
        source: mount.source,
        fsType: mount.fstype,
      })),
      swaps: (sections.get("swaps") ?? "")
        .split("\n")
        .slice(1)
        .map((line) => line.split(/\s+/)[0] ?? "")
        .filter((name) => name !== ""),
      hostName: (sections.get("hostname") ?? "").trim(),
      firmware: sections.get("firmware")?.trim() === "uefi" ? "uefi" : "bios",
    };
  } catch (error) {
    throw new RunError(`reading the installed system failed: ${(error as Error).message}`);
  }
}
