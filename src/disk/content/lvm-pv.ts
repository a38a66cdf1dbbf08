import { z } from "zod";
import { hookOptions } from "../hooks.ts";
import { volumeGroupNameSchema } from "../lvm-names.ts";
import { type ContentPlanner, NO_BOOT_ROLES } from "./planner.ts";

/** An LVM physical volume of a volume group, disko's `lvm_pv`; the group is `disko.devices.lvm_vg.<vg>`. */
export const lvmPvSchema = z
  .strictObject({
    type: z.literal("lvm_pv"),
    ...hookOptions,
    vg: volumeGroupNameSchema.meta({
      description: "The volume group this physical volume belongs to: a name under disko.devices.lvm_vg.",
    }),
  })
  .meta({ description: "An LVM physical volume of a volume group (disko.devices.lvm_vg.<vg>)." });

export type LvmPv = z.output<typeof lvmPvSchema>;

export const lvmPvPlanner: ContentPlanner<LvmPv> = {
  // Whether the group is declared is checked with the whole layout.
  check() {
    return [];
  },
  format(content, place) {
    return [
      {
        kind: "lvm-pv",
        id: `format:${place.path}`,
        description: `make a physical volume of volume group ${content.vg}, unless the device holds a signature`,
        destroys: false,
        disk: place.disk,
        device: place.device,
      },
    ];
  },
  mounts() {
    return [];
  },
  minimumBytes() {
    // LVM's metadata area and one extent.
    return 8n << 20n;
  },
  tools() {
    return ["pvcreate", "vgcreate", "lvcreate", "vgchange"];
  },
  fsType() {
    return "LVM2_member";
  },
  bootRoles() {
    return NO_BOOT_ROLES;
  },
  partitions() {
    return [];
  },
  members(content, place) {
    return [{ kind: "lvm_pv", name: content.vg, device: place.device, disk: place.disk, path: place.path }];
  },
  encrypted() {
    return [];
  },
};
