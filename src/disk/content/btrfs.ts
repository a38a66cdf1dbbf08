import { z } from "zod";
import type { Problem } from "../../errors/index.ts";
import { childPath, hasControlCharacter } from "../path.ts";
import type { DiskStep } from "../steps.ts";
import type { ContentPlanner, Mount } from "./planner.ts";

const mountOptions = z
  .array(z.string())
  .default(["defaults"])
  .meta({ description: "Options for mount and fstab." });

const subvolumeSchema = z
  .strictObject({
    mountpoint: z.string().optional().meta({
      description: "Absolute path to mount the subvolume at; without one it is created, not mounted.",
    }),
    mountOptions,
  })
  .meta({ description: "A subvolume, named by its path inside the filesystem, created when it is missing." });

export const btrfsSchema = z
  .strictObject({
    type: z.literal("btrfs"),
    extraArgs: z.array(z.string()).default([]).meta({ description: "Extra arguments for mkfs.btrfs." }),
    mountpoint: z
      .string()
      .optional()
      .meta({ description: "Absolute path to mount the top level of the filesystem (subvolume id 5) at." }),
    mountOptions,
    subvolumes: z
      .record(z.string(), subvolumeSchema)
      .default({})
      .meta({ description: 'Subvolumes by their path inside the filesystem, e.g. "/rootfs" or "@home".' }),
  })
  .meta({ description: "A btrfs filesystem with subvolumes, created only when the device holds none." });

export type Btrfs = z.output<typeof btrfsSchema>;

/** A subvolume's path inside the filesystem, without leading or repeated slashes: `/home/user` → `home/user`. */
export function subvolumeName(name: string): string {
  return name
    .split("/")
    .filter((segment) => segment !== "")
    .join("/");
}

/** Subvolumes in the order they are created: parents before the subvolumes nested in them. */
function sortedSubvolumes(content: Btrfs): [string, Btrfs["subvolumes"][string]][] {
  return Object.entries(content.subvolumes).sort(([a], [b]) => {
    const depth = subvolumeName(a).split("/").length - subvolumeName(b).split("/").length;
    return depth !== 0 ? depth : a < b ? -1 : a > b ? 1 : 0;
  });
}

function checkMountOptions(options: readonly string[], path: string): Problem[] {
  return options.flatMap((option, index) => {
    if (option === "" || /[\s,]/.test(option))
      return [
        {
          path: `${path}.mountOptions.${index}`,
          message: `${JSON.stringify(option)} is not one mount option: give each option as its own list item, without spaces or commas`,
        },
      ];
    if (/^subvol(id)?=/.test(option))
      return [
        {
          path: `${path}.mountOptions.${index}`,
          message: `${option}: groundwork sets subvol= itself from the subvolume's name; take it out`,
        },
      ];
    return [];
  });
}

export const btrfsPlanner: ContentPlanner<Btrfs> = {
  check(content, place) {
    const problems = checkMountOptions(content.mountOptions, place.path);
    const seen = new Map<string, string>();
    for (const [name, subvolume] of Object.entries(content.subvolumes)) {
      const path = childPath(`${place.path}.subvolumes`, name);
      const normalized = subvolumeName(name);
      if (
        normalized === "" ||
        hasControlCharacter(name) ||
        normalized.split("/").some((s) => s === "." || s === "..")
      )
        problems.push({
          path,
          message: `${JSON.stringify(name)} is not a subvolume path: name it like "/rootfs", "@home" or "/home/user", without "." or ".." segments`,
        });
      const other = seen.get(normalized);
      if (other !== undefined)
        problems.push({
          path,
          message: `${JSON.stringify(name)} names the same subvolume as ${JSON.stringify(other)}`,
        });
      seen.set(normalized, name);
      problems.push(...checkMountOptions(subvolume.mountOptions, path));
    }
    return problems;
  },
  format(content, place) {
    const steps: DiskStep[] = [
      {
        kind: "mkfs",
        id: `format:${place.path}`,
        description: "create a btrfs filesystem, unless one is there",
        destroys: false,
        disk: place.disk,
        device: place.device,
        format: "btrfs",
        extraArgs: content.extraArgs,
      },
    ];
    for (const [name] of sortedSubvolumes(content))
      steps.push({
        kind: "btrfs-subvolume",
        id: `subvolume:${childPath(`${place.path}.subvolumes`, name)}`,
        description: `create the btrfs subvolume ${subvolumeName(name)}, unless it is there`,
        destroys: false,
        disk: place.disk,
        device: place.device,
        name: subvolumeName(name),
      });
    return steps;
  },
  mounts(content, place) {
    const mounts: Mount[] = [];
    if (content.mountpoint !== undefined)
      mounts.push({
        kind: "filesystem",
        device: place.device,
        fsType: "btrfs",
        mountpoint: content.mountpoint,
        options: content.mountOptions,
        disk: place.disk,
        path: place.path,
      });
    for (const [name, subvolume] of sortedSubvolumes(content)) {
      if (subvolume.mountpoint === undefined) continue;
      mounts.push({
        kind: "filesystem",
        device: place.device,
        fsType: "btrfs",
        mountpoint: subvolume.mountpoint,
        options: [...subvolume.mountOptions, `subvol=/${subvolumeName(name)}`],
        disk: place.disk,
        path: childPath(`${place.path}.subvolumes`, name),
      });
    }
    return mounts;
  },
  minimumBytes() {
    // mkfs.btrfs refuses smaller devices.
    return 110n << 20n;
  },
};
