import { z } from "zod";
import { RunError } from "../errors/index.ts";
import { lsblkDevice, lsblkOutput, parseSwaps } from "./lsblk.ts";
import type { ObservedSystem } from "./observed.ts";
import { splitSections } from "./sections.ts";

/** Parse the observe script's output. */
export function parseObserved(output: string): ObservedSystem {
  const sections = splitSections(output);
  if (!sections.has("end")) throw new RunError("reading the installed system failed: its output ends early");
  try {
    const lsblk = lsblkOutput.parse(JSON.parse(sections.get("lsblk") ?? "{}"));
    const findmnt = z
      .object({
        filesystems: z.array(
          z.object({
            target: z.string(),
            source: z.string(),
            fstype: z.string(),
            fsroot: z.string().nullish(),
          }),
        ),
      })
      .parse(JSON.parse(sections.get("findmnt") ?? "{}"));
    return {
      devices: lsblk.blockdevices.map(lsblkDevice),
      mounts: findmnt.filesystems.map((mount) => ({
        target: mount.target,
        source: mount.source,
        fsType: mount.fstype,
        fsRoot: mount.fsroot ?? "/",
      })),
      swaps: parseSwaps(sections.get("swaps") ?? ""),
      hostName: (sections.get("hostname") ?? "").trim(),
      firmware: sections.get("firmware")?.trim() === "uefi" ? "uefi" : "bios",
    };
  } catch (error) {
    throw new RunError(`reading the installed system failed: ${(error as Error).message}`);
  }
}
