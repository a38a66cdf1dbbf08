import { z } from "zod";
import type { ObservedDevice } from "./observed.ts";

/** One device of `lsblk --json --bytes`, with whichever of these columns were asked for. */
type LsblkNode = {
  name: string;
  path?: string | undefined;
  size: number | string;
  type: string;
  ro: boolean | string | number;
  fstype?: string | null | undefined;
  mountpoint?: string | null | undefined;
  tran?: string | null | undefined;
  partlabel?: string | null | undefined;
  parttype?: string | null | undefined;
  children?: LsblkNode[] | undefined;
};

// Old util-linux prints sizes and flags as strings, newer ones as numbers and booleans.
const lsblkNode: z.ZodType<LsblkNode> = z.lazy(() =>
  z.object({
    name: z.string(),
    path: z.string().optional(),
    size: z.union([z.number(), z.string()]),
    type: z.string(),
    ro: z.union([z.boolean(), z.string(), z.number()]),
    fstype: z.string().nullish(),
    mountpoint: z.string().nullish(),
    tran: z.string().nullish(),
    partlabel: z.string().nullish(),
    parttype: z.string().nullish(),
    children: z.array(lsblkNode).optional(),
  }),
);

/** The output of `lsblk --json`. */
export const lsblkOutput = z.object({ blockdevices: z.array(lsblkNode).default([]) });

/** A device of lsblk's output as plain data (ObservedDevice is BlockDevice with the partition columns). */
export function lsblkDevice(node: LsblkNode): ObservedDevice {
  return {
    name: node.name,
    path: node.path ?? `/dev/${node.name}`,
    size: Number(node.size),
    type: node.type,
    readOnly: node.ro === true || node.ro === "1" || node.ro === 1,
    fsType: node.fstype ?? undefined,
    mountpoint: node.mountpoint ?? undefined,
    transport: node.tran ?? undefined,
    partLabel: node.partlabel ?? undefined,
    partType: node.parttype ?? undefined,
    children: (node.children ?? []).map(lsblkDevice),
  };
}

/** The devices in /proc/swaps. */
export function parseSwaps(text: string): string[] {
  return text
    .split("\n")
    .slice(1)
    .map((line) => line.split(/\s+/)[0] ?? "")
    .filter((name) => name !== "");
}
