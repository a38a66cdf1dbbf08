import { z } from "zod";
import { arrayNameSchema } from "./array-name.ts";
import { diskSchema } from "./disk.ts";
import { volumeGroupNameSchema } from "./lvm-names.ts";
import { volumeGroupSchema } from "./lvm-vg.ts";
import { mdadmSchema } from "./mdadm.ts";
import { nameSchema } from "./name.ts";
import { nodevSchema } from "./nodev.ts";

/** The `disko.devices` tree, with the shape and meaning of disko's. */
export const devicesSchema = z
  .strictObject({
    disk: z
      .record(nameSchema("a disk name", "main"), diskSchema)
      .default({})
      .meta({ description: "Disks by name." }),
    mdadm: z
      .record(arrayNameSchema, mdadmSchema)
      .default({})
      .meta({ description: "mdadm arrays by name (/dev/md/<name>)." }),
    lvm_vg: z
      .record(volumeGroupNameSchema, volumeGroupSchema)
      .default({})
      .meta({ description: "LVM volume groups by name (/dev/<vg>/<lv>)." }),
    nodev: z
      .record(nameSchema("a nodev name", "/tmp"), nodevSchema)
      .default({})
      .meta({ description: "Filesystems without a device, by name." }),
  })
  .meta({ description: "The declarative disk layout (disko's `disko.devices`)." });

export type Devices = z.output<typeof devicesSchema>;

export const diskoSchema = z.strictObject({ devices: devicesSchema.prefault({}) });
