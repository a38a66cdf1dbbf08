import { z } from "zod";
import { withHooks } from "../hooks.ts";
import { btrfsPlanner, btrfsSchema } from "./btrfs.ts";
import { filesystemPlanner, filesystemSchema } from "./filesystem.ts";
import { type Gpt, gptPlanner, gptSchema } from "./gpt.ts";
import { luksPlanner, luksSchema } from "./luks.ts";
import { lvmPvPlanner, lvmPvSchema } from "./lvm-pv.ts";
import { mdraidPlanner, mdraidSchema } from "./mdraid.ts";
import type { PartitionContent } from "./partition-content.ts";
import type { ContentPlanner } from "./planner.ts";
import { swapPlanner, swapSchema } from "./swap.ts";
import { type Table, tablePlanner, tableSchema } from "./table.ts";

/** What a whole disk can hold: a partition table, or partition content directly on the disk. */
export const deviceContentSchema = z.discriminatedUnion("type", [
  gptSchema,
  tableSchema,
  filesystemSchema,
  btrfsSchema,
  swapSchema,
  mdraidSchema,
  lvmPvSchema,
  luksSchema,
]);

export type DeviceContent = Gpt | Table | PartitionContent;

export const deviceContentPlanners: {
  [K in DeviceContent["type"]]: ContentPlanner<Extract<DeviceContent, { type: K }>>;
} = {
  gpt: gptPlanner,
  table: tablePlanner,
  filesystem: filesystemPlanner,
  btrfs: btrfsPlanner,
  swap: swapPlanner,
  mdraid: mdraidPlanner,
  lvm_pv: lvmPvPlanner,
  luks: luksPlanner,
};

/** The planner of a disk's content. */
export function deviceContentPlanner(content: DeviceContent): ContentPlanner<DeviceContent> {
  return withHooks(deviceContentPlanners[content.type] as ContentPlanner<DeviceContent>);
}
