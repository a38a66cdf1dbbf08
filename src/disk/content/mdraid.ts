import { z } from "zod";
import { arrayNameSchema } from "../array-name.ts";
import { hookOptions } from "../hooks.ts";
import { type ContentPlanner, NO_BOOT_ROLES } from "./planner.ts";

/** A device that is a member of an mdadm array, disko's `mdraid`; the array is `disko.devices.mdadm.<name>`. */
export const mdraidSchema = z
  .strictObject({
    type: z.literal("mdraid"),
    ...hookOptions,
    name: arrayNameSchema.meta({
      description: "The array this device is a member of: a name under disko.devices.mdadm.",
    }),
  })
  .meta({ description: "A member of an mdadm array (disko.devices.mdadm.<name>)." });

export type Mdraid = z.output<typeof mdraidSchema>;

export const mdraidPlanner: ContentPlanner<Mdraid> = {
  // Whether the array is declared, and how many members it has, is checked with the whole layout.
  check() {
    return [];
  },
  // The array is created once all its members exist (disk/mdadm.ts).
  format() {
    return [];
  },
  mounts() {
    return [];
  },
  minimumBytes() {
    // mdadm's superblock and a little data.
    return 2n << 20n;
  },
  tools() {
    return ["mdadm"];
  },
  fsType() {
    return "linux_raid_member";
  },
  bootRoles() {
    return NO_BOOT_ROLES;
  },
  partitions() {
    return [];
  },
  members(content, place) {
    return [{ kind: "mdraid", name: content.name, device: place.device, disk: place.disk, path: place.path }];
  },
  encrypted() {
    return [];
  },
};
