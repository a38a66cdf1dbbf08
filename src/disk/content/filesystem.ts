import { z } from "zod";
import { extraArgsSchema } from "../extra-args.ts";
import { hookOptions } from "../hooks.ts";
import { mountpointSchema } from "../mountpoint.ts";
import { optionListSchema } from "../option-list.ts";
import { type ContentPlanner, NO_BOOT_ROLES } from "./planner.ts";

/** Filesystems groundwork can create, each with its `mkfs.<format>` from Debian's packages. */
export const FILESYSTEM_FORMATS = ["ext2", "ext3", "ext4", "xfs", "btrfs", "vfat", "f2fs", "exfat"] as const;

export const filesystemSchema = z
  .strictObject({
    type: z.literal("filesystem"),
    ...hookOptions,
    format: z.enum(FILESYSTEM_FORMATS).meta({ description: "Filesystem to create with mkfs.<format>." }),
    mountpoint: mountpointSchema
      .optional()
      .meta({ description: "Absolute path to mount the filesystem at." }),
    mountOptions: optionListSchema("Options for mount and fstab."),
    extraArgs: extraArgsSchema("mkfs"),
  })
  .meta({ description: "A filesystem, created only when the device holds none." });

export type Filesystem = z.output<typeof filesystemSchema>;

export const filesystemPlanner: ContentPlanner<Filesystem> = {
  check() {
    return [];
  },
  format(content, place) {
    return [
      {
        kind: "mkfs",
        id: `format:${place.path}`,
        description: `create ${/^(e|x)/.test(content.format) ? "an" : "a"} ${content.format} filesystem${content.mountpoint === undefined ? "" : ` for ${content.mountpoint}`}, unless one is there`,
        destroys: false,
        disk: place.disk,
        device: place.device,
        format: content.format,
        extraArgs: content.extraArgs,
      },
    ];
  },
  mounts(content, place) {
    if (content.mountpoint === undefined) return [];
    return [
      {
        kind: "filesystem",
        device: place.device,
        fsType: content.format,
        mountpoint: content.mountpoint,
        options: content.mountOptions,
        disk: place.disk,
        path: place.path,
      },
    ];
  },
  minimumBytes(content) {
    // Below these, mkfs refuses (xfs needs 300 MiB, btrfs 109 MiB, the rest a few MiB).
    const minimum: Record<(typeof FILESYSTEM_FORMATS)[number], number> = {
      ext2: 1,
      ext3: 2,
      ext4: 2,
      xfs: 300,
      btrfs: 110,
      vfat: 1,
      f2fs: 40,
      exfat: 1,
    };
    return BigInt(minimum[content.format]) << 20n;
  },
  tools(content) {
    return [`mkfs.${content.format}`];
  },
  fsType(content) {
    return content.format;
  },
  bootRoles() {
    return NO_BOOT_ROLES;
  },
  partitions() {
    return [];
  },
  members() {
    return [];
  },
  encrypted() {
    return [];
  },
};
