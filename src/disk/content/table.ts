import { z } from "zod";
import type { Problem } from "../../errors/index.ts";
import { type Extent, extentProblems } from "../extent.ts";
import { hookOptions } from "../hooks.ts";
import { indexPath } from "../path.ts";
import { parsePartedPosition, partedPositionBytes } from "../size.ts";
import type { DiskStep } from "../steps.ts";
import { gptCountProblems } from "./gpt-partition.ts";
import {
  contentFsType,
  contentMountpoint,
  contentTools,
  partitionContentPlanner,
} from "./partition-content.ts";
import type { ContentPlanner, ExpectedPartition, Mount, Place } from "./planner.ts";
import { type TablePartition, tablePartitionSchema } from "./table-partition.ts";

export const tableSchema = z
  .strictObject({
    type: z.literal("table"),
    ...hookOptions,
    format: z
      .enum(["gpt", "msdos"])
      .default("gpt")
      .meta({ description: "Partition table kind written by parted." }),
    partitions: z.array(tablePartitionSchema).default([]).meta({ description: "Partitions in table order." }),
  })
  .meta({
    description: "A partition table written with parted (disko's legacy `table`; use it for msdos/MBR).",
  });

export type Table = z.output<typeof tableSchema>;

/** Partition numbers as the kernel gives them: primary and extended from 1, logical (msdos) from 5. */
export function numberTablePartitions(
  table: Table,
): { partition: TablePartition; number: number; index: number }[] {
  let primary = 0;
  let logical = 4;
  return table.partitions.map((partition, index) => {
    const isLogical = table.format === "msdos" && partition["part-type"] === "logical";
    if (isLogical) logical += 1;
    else primary += 1;
    return { partition, number: isLogical ? logical : primary, index };
  });
}

/** What a partition is to GRUB, by its parted flags: bios_grub, or esp (which boot is an alias of on GPT). */
function bootRole(partition: TablePartition, format: Table["format"]): "bios-boot" | "esp" | undefined {
  if (partition.flags.includes("bios_grub")) return "bios-boot";
  const isBootOnGpt = format === "gpt" && (partition.bootable || partition.flags.includes("boot"));
  return partition.flags.includes("esp") || isBootOnGpt ? "esp" : undefined;
}

/** The type parted 3.5 gives a partition for its boot role, as lsblk's PARTTYPE shows it; msdos has no bios_grub. */
const BOOT_ROLE_TYPES = {
  gpt: { "bios-boot": "21686148-6449-6e6f-744e-656564454649", esp: "c12a7328-f81f-11d2-ba4b-00a0c93ec93b" },
  msdos: { "bios-boot": undefined, esp: "0xef" },
} as const;

/** The partition type to check after install: only boot roles fix it; parted derives the others from fs-type. */
function expectedType(partition: TablePartition, format: Table["format"]): ExpectedPartition["partType"] {
  const role = bootRole(partition, format);
  const id = role === undefined ? undefined : BOOT_ROLE_TYPES[format][role];
  if (id === undefined) return undefined;
  return { id, declared: `${role === "esp" ? "an EFI system partition" : "a BIOS boot partition"} (${id})` };
}

function place(parent: Place, number: number, index: number): Place {
  return {
    ...parent,
    device: { kind: "partition", disk: parent.disk, number },
    path: `${indexPath(`${parent.path}.partitions`, index)}.content`,
  };
}

/** Percentages are compared in thousandths of a percent. */
const PERCENT = { suffix: "%", scale: 1000n } as const;

/**
 * Where each partition lies when both its positions are of one kind (bytes from the start, or percentages);
 * logical partitions lie inside the extended one, so each group is compared on its own.
 */
function tableExtentProblems(table: Table, path: string): Problem[] {
  const groups = new Map<string, Extent[]>();
  for (const { partition, number, index } of numberTablePartitions(table)) {
    const [start, end] = [parsePartedPosition(partition.start), parsePartedPosition(partition.end)];
    if (start === undefined || end === undefined || start.fromEnd || end.fromEnd || start.kind !== end.kind)
      continue;
    const at = (position: typeof start) =>
      position.kind === "bytes" ? position.bytes : BigInt(Math.round(position.percent * 1000));
    const group = `${partition["part-type"] === "logical"}:${start.kind}`;
    const extent: Extent = {
      name: `partition ${number}`,
      path: indexPath(`${path}.partitions`, index),
      start: at(start),
      end: at(end),
      ...(start.kind === "percent" ? { unit: PERCENT } : {}),
    };
    groups.set(group, [...(groups.get(group) ?? []), extent]);
  }
  return [...groups.values()].flatMap((extents) => extentProblems(extents));
}

export const tablePlanner: ContentPlanner<Table> = {
  check(table, parent) {
    const problems: Problem[] = [];
    const kinds = table.partitions.map((partition) => partition["part-type"]);
    if (table.format === "msdos") {
      if (kinds.filter((kind) => kind !== "logical").length > 4) {
        problems.push({
          path: `${parent.path}.partitions`,
          message: "an msdos table holds at most 4 primary and extended partitions: make the others logical",
        });
      }
      if (kinds.filter((kind) => kind === "extended").length > 1) {
        problems.push({
          path: `${parent.path}.partitions`,
          message: "an msdos table holds at most one extended partition",
        });
      }
      if (kinds.includes("logical") && !kinds.includes("extended")) {
        problems.push({
          path: `${parent.path}.partitions`,
          message:
            'logical partitions need an extended partition to live in: add one with "part-type" = "extended"',
        });
      }
    }
    for (const { partition, number, index } of numberTablePartitions(table)) {
      const path = indexPath(`${parent.path}.partitions`, index);
      if (partition["part-type"] === "extended" && partition.content !== undefined) {
        problems.push({
          path: `${path}.content`,
          message: "an extended partition only holds logical partitions, not content",
        });
      }
      if (partition.content !== undefined) {
        problems.push(
          ...partitionContentPlanner(partition.content).check(
            partition.content,
            place(parent, number, index),
          ),
        );
      }
    }
    problems.push(...tableExtentProblems(table, parent.path));
    if (table.format === "gpt")
      problems.push(...gptCountProblems(table.partitions.length, `${parent.path}.partitions`));
    return problems;
  },

  format(table, parent) {
    const steps: DiskStep[] = [
      {
        kind: "parted-table",
        id: `table:${parent.path}`,
        description: `create an empty ${table.format} partition table on ${parent.disk}, unless it has one`,
        destroys: false,
        disk: parent.disk,
        device: parent.disk,
        format: table.format,
      },
    ];
    const numbered = numberTablePartitions(table);
    for (const { partition, number, index } of numbered) {
      steps.push({
        kind: "parted-partition",
        id: `partition:${indexPath(`${parent.path}.partitions`, index)}`,
        description: `create ${partition["part-type"]} partition ${number} (${partition.start}..${partition.end}), unless it exists`,
        destroys: false,
        disk: parent.disk,
        device: parent.disk,
        number,
        format: table.format,
        partType: partition["part-type"],
        // msdos partitions have no names: disko ignores one, and so does groundwork.
        name: table.format === "msdos" ? undefined : partition.name,
        fsType: partition["fs-type"],
        start: partition.start,
        end: partition.end,
        flags: partition.flags,
        bootable: partition.bootable,
      });
    }
    steps.push({
      kind: "reread-partitions",
      id: `reread:${parent.path}`,
      description: `let the kernel see the partitions of ${parent.disk}`,
      destroys: false,
      disk: parent.disk,
      device: parent.disk,
    });
    for (const { partition, number, index } of numbered) {
      if (partition.content === undefined) continue;
      steps.push(
        ...partitionContentPlanner(partition.content).format(partition.content, place(parent, number, index)),
      );
    }
    return steps;
  },

  mounts(table, parent) {
    return numberTablePartitions(table).flatMap(({ partition, number, index }): Mount[] =>
      partition.content === undefined
        ? []
        : partitionContentPlanner(partition.content).mounts(partition.content, place(parent, number, index)),
    );
  },

  minimumBytes(table) {
    // Absolute positions tell how large the disk must be; percentages grow with it and need only their content.
    let bytes = 2n << 20n;
    let contents = 0n;
    for (const partition of table.partitions) {
      for (const position of [partition.start, partition.end]) {
        const absolute = partedPositionBytes(position);
        if (absolute !== undefined && absolute > bytes) bytes = absolute;
      }
      if (partition.content !== undefined)
        contents += partitionContentPlanner(partition.content).minimumBytes(partition.content);
    }
    return bytes > contents ? bytes : contents;
  },

  tools(table) {
    return ["parted", ...table.partitions.flatMap((partition) => contentTools(partition.content))];
  },

  fsType() {
    return undefined;
  },

  bootRoles(table, parent) {
    const numbered = numberTablePartitions(table);
    const biosBoot = numbered.some(({ partition }) => bootRole(partition, table.format) === "bios-boot");
    return {
      biosBoot,
      // GRUB embeds its core image in the sectors after an msdos MBR; a GPT keeps its table there, so it needs one.
      biosBootProblem:
        table.format === "gpt" && !biosBoot
          ? `${parent.disk} has a GPT without a BIOS boot partition: GRUB cannot be installed there for BIOS; add a 1M partition with flags = ["bios_grub"]`
          : undefined,
      espMountpoints: numbered
        .filter(({ partition }) => bootRole(partition, table.format) === "esp")
        .flatMap(
          ({ partition, number, index }) =>
            contentMountpoint(partition.content, place(parent, number, index)) ?? [],
        ),
    };
  },

  partitions(table, parent) {
    return numberTablePartitions(table).map(({ partition, number, index }) => ({
      name: partition.name ?? `${number} of disk ${parent.diskName}`,
      number,
      // Only a name the layout gives is a label to find it by: parted's default (part<N>) repeats across disks.
      label:
        partition.name === undefined || table.format === "msdos"
          ? undefined
          : { value: partition.name, path: `${indexPath(`${parent.path}.partitions`, index)}.name` },
      partType: expectedType(partition, table.format),
      fsType: contentFsType(partition.content),
    }));
  },

  members(table, parent) {
    return numberTablePartitions(table).flatMap(({ partition, number, index }) =>
      partition.content === undefined
        ? []
        : partitionContentPlanner(partition.content).members(partition.content, place(parent, number, index)),
    );
  },
  encrypted(table, parent) {
    return numberTablePartitions(table).flatMap(({ partition, number, index }) =>
      partition.content === undefined
        ? []
        : partitionContentPlanner(partition.content).encrypted(
            partition.content,
            place(parent, number, index),
          ),
    );
  },
};
