import { z } from "zod";
import { extraArgsSchema } from "../extra-args.ts";
import { optionListSchema } from "../option-list.ts";
import { type ContentPlanner, NO_BOOT_ROLES } from "./planner.ts";

/** swapon's priority: -1 to 32767, higher used first. */
export const swapPrioritySchema = z
  .number()
  .int()
  .min(-1)
  .max(32767)
  .optional()
  .meta({ description: "Swap priority (`swapon --priority`), -1 to 32767; higher is used first." });

export const swapSchema = z
  .strictObject({
    type: z.literal("swap"),
    discardPolicy: z
      .enum(["once", "pages", "both"])
      .optional()
      .meta({ description: "Discard policy for swapon (`--discard`)." }),
    extraArgs: extraArgsSchema("mkswap"),
    mountOptions: optionListSchema("Options for swapon and fstab.", "swap"),
    priority: swapPrioritySchema,
  })
  .meta({ description: "A swap space, created only when the device holds no signature." });

export type Swap = z.output<typeof swapSchema>;

export const swapPlanner: ContentPlanner<Swap> = {
  check() {
    return [];
  },
  format(content, place) {
    return [
      {
        kind: "mkswap",
        id: `format:${place.path}`,
        description: "create a swap space, unless one is there",
        destroys: false,
        disk: place.disk,
        device: place.device,
        extraArgs: content.extraArgs,
      },
    ];
  },
  mounts(content, place) {
    return [
      {
        kind: "swap",
        device: place.device,
        options: content.mountOptions,
        priority: content.priority,
        discardPolicy: content.discardPolicy,
        disk: place.disk,
        path: place.path,
      },
    ];
  },
  minimumBytes() {
    return 1n << 20n;
  },
  tools() {
    return ["mkswap"];
  },
  fsType() {
    return "swap";
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
