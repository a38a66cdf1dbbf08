import { z } from "zod";
import { withHooks } from "../hooks.ts";
import { type Btrfs, btrfsPlanner, btrfsSchema } from "./btrfs.ts";
import { type Filesystem, filesystemPlanner, filesystemSchema } from "./filesystem.ts";
import { type Luks, luksPlanner, luksSchema } from "./luks.ts";
import { type LvmPv, lvmPvPlanner, lvmPvSchema } from "./lvm-pv.ts";
import { type Mdraid, mdraidPlanner, mdraidSchema } from "./mdraid.ts";
import type { ContentPlanner, Place } from "./planner.ts";
import { type Swap, swapPlanner, swapSchema } from "./swap.ts";

/** What a partition (or, later, a logical volume) can hold. Adding a type: its file, and one line in each table. */
export const partitionContentSchema = z.discriminatedUnion("type", [
  filesystemSchema,
  btrfsSchema,
  swapSchema,
  mdraidSchema,
  lvmPvSchema,
  luksSchema,
]);

export type PartitionContent = Filesystem | Btrfs | Swap | Mdraid | LvmPv | Luks;

export const partitionContentPlanners: {
  [K in PartitionContent["type"]]: ContentPlanner<Extract<PartitionContent, { type: K }>>;
} = {
  filesystem: filesystemPlanner,
  btrfs: btrfsPlanner,
  swap: swapPlanner,
  mdraid: mdraidPlanner,
  lvm_pv: lvmPvPlanner,
  luks: luksPlanner,
};

/** The planner of a partition's content. */
export function partitionContentPlanner(content: PartitionContent): ContentPlanner<PartitionContent> {
  return withHooks(partitionContentPlanners[content.type] as ContentPlanner<PartitionContent>);
}

/** The tools a partition's content needs; none for an empty partition. */
export function contentTools(content: PartitionContent | undefined): string[] {
  return content === undefined ? [] : partitionContentPlanner(content).tools(content);
}

/** The signature a partition's content leaves (lsblk's FSTYPE); undefined for an empty partition. */
export function contentFsType(content: PartitionContent | undefined): string | undefined {
  return content === undefined ? undefined : partitionContentPlanner(content).fsType(content);
}

/** Where a partition's content is mounted: its first filesystem's mountpoint (an ESP's, for GRUB). */
export function contentMountpoint(content: PartitionContent | undefined, place: Place): string | undefined {
  if (content === undefined) return undefined;
  return partitionContentPlanner(content)
    .mounts(content, place)
    .find((mount) => mount.kind === "filesystem")?.mountpoint;
}
