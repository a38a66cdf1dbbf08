import { createHash } from "node:crypto";
import { z } from "zod";
import type { Problem } from "../../errors/index.ts";
import { childPath, hasControlCharacter } from "../path.ts";
import { POSITION_PATTERN, parseSize, SIZE_EXAMPLES, sgdiskPositionBytes, sgdiskSize } from "../size.ts";
import type { DiskStep } from "../steps.ts";
import { GPT_TYPE_CODES } from "../typecodes.ts";
import { partitionContentPlanner, partitionContentSchema } from "./partition-content.ts";
import type { ContentPlanner, Mount, Place } from "./planner.ts";

/** GPT partition names hold 36 UTF-16 code units. */
export const GPT_LABEL_LIMIT = 36;
const GUID_PATTERN = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

export const gptPartitionSchema = z
  .strictObject({
    type: z.string().optional().meta({
      description: "sgdisk type code (EF00, EF02, 8300, 8200, …) or a GUID; 8200 for swap, else 8300.",
    }),
    priority: z
      .number()
      .int()
      .optional()
      .meta({ description: "Creation order, smallest first; 100 for EF02, 9001 for 100%, else 1000." }),
    size: z
      .string()
      .optional()
      .meta({ description: `Size in binary units, or "100%" for the rest (${SIZE_EXAMPLES}).` }),
    start: z.string().optional().meta({ description: "sgdisk start position (0 = next free space)." }),
    end: z.string().optional().meta({ description: 'sgdisk end position, e.g. "+1G" or "-0".' }),
    label: z
      .string()
      .optional()
      .meta({ description: "GPT partition name; defaults to disk-<disk>-<partition>." }),
    uuid: z.string().optional().meta({ description: "Partition GUID; random when unset." }),
    attributes: z
      .array(z.number().int().min(0).max(63))
      .default([])
      .meta({ description: "GPT attribute bits to set." }),
    get content() {
      return partitionContentSchema.optional();
    },
  })
  .meta({ description: "A GPT partition: its size, type, label and content." });

export const gptSchema = z
  .strictObject({
    type: z.literal("gpt"),
    partitions: z
      .record(z.string(), gptPartitionSchema)
      .default({})
      .meta({ description: "Partitions by name; created in priority order." }),
  })
  .meta({ description: "A GUID partition table, created with sgdisk." });

export type Gpt = z.output<typeof gptSchema>;
export type GptPartition = z.output<typeof gptPartitionSchema>;

/** A partition with every default filled in: its number, label, type code and sgdisk positions. */
export interface ResolvedPartition {
  readonly name: string;
  readonly number: number;
  readonly priority: number;
  readonly label: string;
  readonly typeCode: string;
  readonly start: string;
  readonly end: string | undefined;
  readonly takesRest: boolean;
  readonly partition: GptPartition;
  readonly path: string;
}

function defaultPriority(partition: GptPartition): number {
  if (partition.size === "100%") return 9001;
  if (partition.type?.toUpperCase() === "EF02") return 100;
  return 1000;
}

/** disko's label: `disk-<disk>-<partition>`, or a hash of it when that is too long for GPT. */
export function defaultLabel(diskName: string, partitionName: string): string {
  const label = `disk-${diskName}-${partitionName}`;
  if (label.length <= GPT_LABEL_LIMIT) return label;
  return createHash("sha256").update(label).digest("hex").slice(0, GPT_LABEL_LIMIT);
}

/** Partitions in creation order (priority, then name), numbered from 1. */
export function resolvePartitions(gpt: Gpt, diskName: string, path: string): ResolvedPartition[] {
  return Object.entries(gpt.partitions)
    .map(([name, partition]) => ({
      name,
      partition,
      priority: partition.priority ?? defaultPriority(partition),
    }))
    .sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, partition, priority }, index) => {
      const end =
        partition.end ??
        (partition.size === "100%"
          ? "-0"
          : partition.size === undefined
            ? undefined
            : `+${sgdiskSize(partition.size)}`);
      return {
        name,
        number: index + 1,
        priority,
        label: partition.label ?? defaultLabel(diskName, name),
        typeCode: (partition.type ?? (partition.content?.type === "swap" ? "8200" : "8300")).toUpperCase(),
        start: partition.start ?? "0",
        end,
        takesRest: end === "-0",
        partition,
        path: childPath(`${path}.partitions`, name),
      };
    });
}

function checkPartition(resolved: ResolvedPartition, place: Place): Problem[] {
  const { partition, path } = resolved;
  const problems: Problem[] = [];
  const problem = (option: string, message: string) =>
    problems.push({ path: option === "" ? path : `${path}.${option}`, message });

  if (hasControlCharacter(resolved.name)) problem("", "a partition name must not contain control characters");
  if (partition.size !== undefined && parseSize(partition.size) === undefined) {
    problem("size", `${JSON.stringify(partition.size)} is not a size (${SIZE_EXAMPLES})`);
  }
  if (partition.size !== undefined && partition.end !== undefined) {
    problem("end", "set either size or end, not both");
  }
  if (partition.size === undefined && partition.end === undefined) {
    problem("size", 'no size: set size (e.g. "500M", or "100%" for the rest of the disk) or end');
  }
  for (const position of ["start", "end"] as const) {
    const value = partition[position];
    if (value !== undefined && !POSITION_PATTERN.test(value)) {
      problem(
        position,
        `${JSON.stringify(value)} is not an sgdisk position (examples: "0", "1M", "+500M", "-0", "2048s")`,
      );
    }
  }
  if (partition.label !== undefined) {
    if (partition.label.length > GPT_LABEL_LIMIT) {
      problem(
        "label",
        `${JSON.stringify(partition.label)} is ${partition.label.length} characters; a GPT label holds at most ${GPT_LABEL_LIMIT}`,
      );
    }
    if (hasControlCharacter(partition.label)) problem("label", "a label must not contain control characters");
    if (partition.label === "") problem("label", "a label must not be empty");
  }
  if (partition.uuid !== undefined && !GUID_PATTERN.test(partition.uuid)) {
    problem(
      "uuid",
      `${JSON.stringify(partition.uuid)} is not a GUID (example: "0fc63daf-8483-4772-8e79-3d69d8477de4")`,
    );
  }
  const type = partition.type;
  if (type !== undefined && !GUID_PATTERN.test(type) && GPT_TYPE_CODES[type.toUpperCase()] === undefined) {
    problem(
      "type",
      `${JSON.stringify(type)} is not a GPT type code that sgdisk knows (examples: "EF00" ESP, "EF02" BIOS boot, "8300" Linux, "8200" swap; \`sgdisk -L\` lists them all), nor a GUID`,
    );
  }
  const content = partition.content;
  if (
    resolved.typeCode === "EF00" &&
    content !== undefined &&
    !(content.type === "filesystem" && content.format === "vfat")
  ) {
    const given =
      content.type === "filesystem" ? `format "${content.format}"` : `content type "${content.type}"`;
    problem(
      "content",
      `an EFI system partition (type EF00) must hold a vfat filesystem, not ${given}: set content.format = "vfat"`,
    );
  }
  if (resolved.typeCode === "EF02" && content !== undefined) {
    problem(
      "content",
      "a BIOS boot partition (type EF02) holds GRUB's core image, not a filesystem: remove its content",
    );
  }
  if (content !== undefined) {
    problems.push(...partitionContentPlanner(content).check(content, { ...place, path: `${path}.content` }));
  }
  return problems;
}

function partitionPlace(resolved: ResolvedPartition, place: Place): Place {
  return {
    ...place,
    device: { kind: "partition", disk: place.disk, number: resolved.number, label: resolved.label },
    path: `${resolved.path}.content`,
  };
}

export const gptPlanner: ContentPlanner<Gpt> = {
  check(gpt, place) {
    const partitions = resolvePartitions(gpt, place.diskName, place.path);
    const problems = partitions.flatMap((resolved) => checkPartition(resolved, place));
    const rest = partitions.filter((resolved) => resolved.partition.size === "100%");
    if (rest.length > 1) {
      problems.push({
        path: `${place.path}.partitions`,
        message: `${rest.map((resolved) => resolved.name).join(" and ")} both take 100% of the disk: only one partition can take the rest`,
      });
    }
    const restIndex = partitions.findIndex((resolved) => resolved.takesRest);
    const after =
      restIndex === -1 ? [] : partitions.slice(restIndex + 1).filter((p) => p.partition.start === undefined);
    if (rest.length <= 1 && after.length > 0) {
      const taker = partitions[restIndex];
      problems.push({
        path: `${place.path}.partitions`,
        message: `${after.map((resolved) => resolved.name).join(", ")} cannot fit: ${taker?.name} comes first and takes the rest of the disk (give ${taker?.name} a larger priority number than theirs)`,
      });
    }
    const labels = new Map<string, string>();
    for (const resolved of partitions) {
      const other = labels.get(resolved.label);
      if (other !== undefined) {
        problems.push({
          path: `${resolved.path}.label`,
          message: `label ${JSON.stringify(resolved.label)} is also the label of ${other}: labels must differ`,
        });
      }
      labels.set(resolved.label, resolved.name);
    }
    return problems;
  },

  format(gpt, place) {
    const partitions = resolvePartitions(gpt, place.diskName, place.path);
    const steps: DiskStep[] = [
      {
        kind: "gpt-table",
        id: `table:${place.path}`,
        description: `create an empty GPT on ${place.disk}, unless it has a partition table`,
        destroys: false,
        disk: place.disk,
        device: place.disk,
      },
    ];
    for (const resolved of partitions) {
      const size = resolved.partition.size ?? `${resolved.start}..${resolved.end ?? "?"}`;
      steps.push({
        kind: "gpt-partition",
        id: `partition:${resolved.path}`,
        description: `create partition ${resolved.number} ${JSON.stringify(resolved.label)} (${size}, type ${resolved.typeCode}), unless it exists`,
        destroys: false,
        disk: place.disk,
        device: place.disk,
        number: resolved.number,
        start: resolved.start,
        end: resolved.end ?? "0",
        typeCode: resolved.typeCode,
        label: resolved.label,
        uuid: resolved.partition.uuid,
        attributes: resolved.partition.attributes,
      });
    }
    steps.push({
      kind: "reread-partitions",
      id: `reread:${place.path}`,
      description: `write the missing partitions to ${place.disk} and let the kernel see them`,
      destroys: false,
      disk: place.disk,
      device: place.disk,
    });
    for (const resolved of partitions) {
      const content = resolved.partition.content;
      if (content === undefined) continue;
      steps.push(...partitionContentPlanner(content).format(content, partitionPlace(resolved, place)));
    }
    return steps;
  },

  mounts(gpt, place) {
    return resolvePartitions(gpt, place.diskName, place.path).flatMap((resolved): Mount[] => {
      const content = resolved.partition.content;
      if (content === undefined) return [];
      return partitionContentPlanner(content).mounts(content, partitionPlace(resolved, place));
    });
  },

  minimumBytes(gpt) {
    // Walk the partitions in creation order as sgdisk places them: a start of 0 is the next free space,
    // `+N` ends are relative to the start, `-N` ends keep N free at the end of the disk.
    const MiB = 1n << 20n;
    let cursor = MiB;
    let reservedAtEnd = MiB;
    for (const partition of resolvePartitions(gpt, "", "")) {
      const start = partition.start === "0" ? cursor : (sgdiskPositionBytes(partition.start) ?? cursor);
      const end = partition.end ?? "0";
      const bytes = sgdiskPositionBytes(end) ?? 0n;
      const content = partition.partition.content;
      const minimum = content === undefined ? MiB : partitionContentPlanner(content).minimumBytes(content);
      if (end.startsWith("-")) {
        cursor = start + minimum;
        reservedAtEnd += bytes;
      } else if (end.startsWith("+")) {
        cursor = start + bytes;
      } else {
        cursor = bytes > start ? bytes : start + minimum;
      }
    }
    return cursor + reservedAtEnd;
  },
};
