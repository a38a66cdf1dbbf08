import { z } from "zod";
import { deviceContentSchema } from "./content/device-content.ts";
import type { Place } from "./content/planner.ts";
import { extraArgsSchema } from "./extra-args.ts";
import { hookOptions } from "./hooks.ts";
import { childPath } from "./path.ts";

/** RAID levels mdadm creates arrays of, as disko's `level` gives them. */
export const MDADM_LEVELS = [0, 1, 4, 5, 6, 10] as const;

/** The fewest members an array of each level is created with (RAID1 and RAID10 of two, RAID5 of two as mdadm allows). */
export const MDADM_MINIMUM_MEMBERS: Readonly<Record<(typeof MDADM_LEVELS)[number], number>> = {
  0: 2,
  1: 2,
  4: 3,
  5: 2,
  6: 4,
  10: 2,
};

export const mdadmSchema = z
  .strictObject({
    type: z.literal("mdadm").default("mdadm"),
    ...hookOptions,
    level: z
      .union(MDADM_LEVELS.map((level) => z.literal(level)))
      .default(1)
      .meta({ description: "RAID level: 0, 1, 4, 5, 6 or 10." }),
    metadata: z.enum(["default", "0.90", "1.0", "1.1", "1.2"]).default("default").meta({
      description:
        'Superblock format; "1.0" puts it at the end, so that firmware reads a RAID1 member as a plain filesystem (an ESP).',
    }),
    extraArgs: extraArgsSchema("mdadm --create"),
    get content() {
      return deviceContentSchema.optional();
    },
  })
  .meta({ description: "An mdadm array of the devices whose content is mdraid with its name." });

export type Mdadm = z.output<typeof mdadmSchema>;

/** The array's device: udev links /dev/md/<name> to it. */
export function mdadmDevice(name: string): string {
  return `/dev/md/${name}`;
}

/** The place of an array's content: the whole array, whose partitions have no by-partlabel links. */
export function mdadmPlace(name: string): Place {
  const device = mdadmDevice(name);
  return {
    device: { kind: "path", path: device },
    disk: device,
    diskName: name,
    labelPrefix: `mdadm-${name}`,
    byPartlabel: false,
    path: `${childPath("disko.devices.mdadm", name)}.content`,
  };
}
