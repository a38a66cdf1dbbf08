import { z } from "zod";
import { type Btrfs, btrfsPlanner, btrfsSchema } from "./btrfs.ts";
import { type Filesystem, filesystemPlanner, filesystemSchema } from "./filesystem.ts";
import type { ContentPlanner } from "./planner.ts";
import { type Swap, swapPlanner, swapSchema } from "./swap.ts";

/** What a partition (or, later, a logical volume) can hold. Adding a type: its file, and one line in each table. */
export const partitionContentSchema = z.discriminatedUnion("type", [
  filesystemSchema,
  btrfsSchema,
  swapSchema,
]);

export type PartitionContent = Filesystem | Btrfs | Swap;

export const partitionContentPlanners: {
  [K in PartitionContent["type"]]: ContentPlanner<Extract<PartitionContent, { type: K }>>;
} = {
  filesystem: filesystemPlanner,
  btrfs: btrfsPlanner,
  swap: swapPlanner,
};

/** The planner of a partition's content. */
export function partitionContentPlanner(content: PartitionContent): ContentPlanner<PartitionContent> {
  return partitionContentPlanners[content.type] as ContentPlanner<PartitionContent>;
}
