import { z } from "zod";
import type { Problem } from "../../errors/index.ts";
import { hasControlCharacter } from "../../errors/index.ts";
import { checkedString } from "../checked-string.ts";
import { extraArgsSchema } from "../extra-args.ts";
import { hookOptions } from "../hooks.ts";
import { mountpointSchema } from "../mountpoint.ts";
import { optionListSchema } from "../option-list.ts";
import { childPath, indexPath } from "../path.ts";
import { parseSize, sizeSchema } from "../size.ts";
import type { DiskStep } from "../steps.ts";
import { type ContentPlanner, type Mount, NO_BOOT_ROLES } from "./planner.ts";
import { swapPrioritySchema } from "./swap.ts";

const mountOptions = optionListSchema("Options for mount and fstab.");

/**
 * Why `text` is not a path inside the filesystem (`/rootfs`, `swap/file`), or undefined when it is one.
 * A subvolume's path goes into mount's `subvol=` option (`inOptions`), where a comma or a space would split it.
 */
function insidePathProblem(
  text: string,
  what: string,
  examples: string,
  inOptions: boolean,
): string | undefined {
  const segments = subvolumeName(text).split("/");
  const isPath =
    segments[0] !== "" &&
    !hasControlCharacter(text) &&
    !(inOptions && /[\s,]/.test(text)) &&
    !segments.some((segment) => segment === "." || segment === "..");
  if (isPath) return undefined;
  const without = inOptions ? "control characters, spaces or commas" : "control characters";
  return `${JSON.stringify(text)} is not ${what}: write it like ${examples}, without "." or ".." segments or ${without}`;
}

const subvolumePathSchema = checkedString((name) =>
  insidePathProblem(name, "a subvolume path", '"/rootfs", "@home" or "/home/user"', true),
);

const swapFilePathSchema = checkedString((path) =>
  insidePathProblem(path, "a file path below the mountpoint", '"swapfile" or "swap/file"', false),
);

const swapSchema = z
  .record(
    swapFilePathSchema,
    z
      .strictObject({
        size: sizeSchema({ rest: false, minimum: 1n << 20n, what: "a swap file size" }).meta({
          description: 'Size of the swap file, at least 1M, e.g. "2G".',
        }),
        path: swapFilePathSchema
          .optional()
          .meta({ description: "Path of the file below the mountpoint; the attribute name by default." }),
        priority: swapPrioritySchema,
        options: optionListSchema("Options for swapon and fstab.", "swap"),
      })
      .meta({ description: "A swap file, created when missing (not copied on write, as btrfs needs)." }),
  )
  .default({})
  .meta({ description: "Swap files by name, below the mountpoint." });

const subvolumeSchema = z
  .strictObject({
    mountpoint: mountpointSchema.optional().meta({
      description: "Absolute path to mount the subvolume at; without one it is created, not mounted.",
    }),
    mountOptions,
    swap: swapSchema,
  })
  .meta({ description: "A subvolume, named by its path inside the filesystem, created when it is missing." });

export const btrfsSchema = z
  .strictObject({
    type: z.literal("btrfs"),
    ...hookOptions,
    extraArgs: extraArgsSchema("mkfs.btrfs", { mappings: true }),
    mountpoint: mountpointSchema
      .optional()
      .meta({ description: "Absolute path to mount the top level of the filesystem (subvolume id 5) at." }),
    mountOptions,
    subvolumes: z
      .record(subvolumePathSchema, subvolumeSchema)
      .default({})
      .meta({ description: 'Subvolumes by their path inside the filesystem, e.g. "/rootfs" or "@home".' }),
    swap: swapSchema,
  })
  .meta({ description: "A btrfs filesystem with subvolumes, created only when the device holds none." });

export type Btrfs = z.output<typeof btrfsSchema>;
type SwapFiles = Btrfs["swap"];

/** Where swap files live: the top level (subvolume "") or a subvolume, with its mountpoint and option path. */
interface SwapHome {
  readonly subvolume: string;
  readonly mountpoint: string | undefined;
  readonly swap: SwapFiles;
  readonly path: string;
}

function swapHomes(content: Btrfs, base: string): SwapHome[] {
  return [
    { subvolume: "", mountpoint: content.mountpoint, swap: content.swap, path: base },
    ...sortedSubvolumes(content).map(([name, subvolume]) => ({
      subvolume: subvolumeName(name),
      mountpoint: subvolume.mountpoint,
      swap: subvolume.swap,
      path: childPath(`${base}.subvolumes`, name),
    })),
  ];
}

/** A swap file's path below its mountpoint, without leading or repeated slashes. */
function swapFilePath(name: string, file: SwapFiles[string]): string {
  return subvolumeName(file.path ?? name);
}

/** Absolute path of `parts` joined: `joinPath("/swap", "file")` → `/swap/file`. */
function joinPath(...parts: string[]): string {
  return `/${subvolumeName(parts.join("/"))}`;
}

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
  return options.flatMap((option, index) =>
    /^subvol(id)?=/.test(option)
      ? [
          {
            path: indexPath(`${path}.mountOptions`, index),
            message: `${option}: groundwork sets subvol= itself from the subvolume's name; take it out`,
          },
        ]
      : [],
  );
}

export const btrfsPlanner: ContentPlanner<Btrfs> = {
  check(content, place) {
    const problems = checkMountOptions(content.mountOptions, place.path);
    const seen = new Map<string, string>();
    for (const [name, subvolume] of Object.entries(content.subvolumes)) {
      const path = childPath(`${place.path}.subvolumes`, name);
      const normalized = subvolumeName(name);
      const other = seen.get(normalized);
      if (other !== undefined)
        problems.push({
          path,
          message: `${JSON.stringify(name)} names the same subvolume as ${JSON.stringify(other)}`,
        });
      seen.set(normalized, name);
      problems.push(...checkMountOptions(subvolume.mountOptions, path));
    }
    for (const home of swapHomes(content, place.path)) {
      for (const name of Object.keys(home.swap)) {
        const path = childPath(`${home.path}.swap`, name);
        if (home.mountpoint === undefined)
          problems.push({
            path,
            message: `a swap file needs a mounted filesystem: give ${home.subvolume === "" ? "the btrfs content" : `subvolume ${home.subvolume}`} a mountpoint`,
          });
      }
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
    for (const home of swapHomes(content, place.path))
      for (const [name, file] of Object.entries(home.swap)) {
        const size = parseSize(file.size);
        const inside = joinPath(home.subvolume, swapFilePath(name, file));
        steps.push({
          kind: "btrfs-swapfile",
          id: `swapfile:${childPath(`${home.path}.swap`, name)}`,
          description: `create the swap file ${inside.slice(1)} (${file.size}), unless it is there`,
          destroys: false,
          disk: place.disk,
          device: place.device,
          file: inside,
          bytes: size?.kind === "bytes" ? Number(size.bytes) : 0,
        });
      }
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
    for (const home of swapHomes(content, place.path)) {
      if (home.mountpoint === undefined) continue;
      for (const [name, file] of Object.entries(home.swap))
        mounts.push({
          kind: "swapfile",
          file: joinPath(home.mountpoint, swapFilePath(name, file)),
          options: file.options,
          priority: file.priority,
          disk: place.disk,
          path: childPath(`${home.path}.swap`, name),
        });
    }
    return mounts;
  },
  minimumBytes(content) {
    // mkfs.btrfs refuses smaller devices; swap files take their size on top.
    let bytes = 110n << 20n;
    for (const home of swapHomes(content, ""))
      for (const file of Object.values(home.swap)) {
        const size = parseSize(file.size);
        if (size?.kind === "bytes") bytes += size.bytes;
      }
    return bytes;
  },
  tools(content) {
    const hasSwapFiles = swapHomes(content, "").some((home) => Object.keys(home.swap).length > 0);
    return [
      "mkfs.btrfs",
      ...(Object.keys(content.subvolumes).length > 0 ? ["btrfs"] : []),
      // A swap file is made uncopied on write (chattr +C) and allocated whole before mkswap.
      ...(hasSwapFiles ? ["chattr", "fallocate", "mkswap"] : []),
    ];
  },
  fsType() {
    return "btrfs";
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
