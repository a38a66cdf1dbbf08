import { createHash } from "node:crypto";
import { z } from "zod";
import type { Problem } from "../../errors/index.ts";
import { childPath, hasControlCharacter } from "../path.ts";
import { POSITION_PATTERN, parseSize, SIZE_EXAMPLES, sgdiskSize } from "../size.ts";
import { GPT_TYPE_CODES } from "../typecodes.ts";
import { contentFsType, partitionContentPlanner, partitionContentSchema } from "./partition-content.ts";
import type { Place } from "./planner.ts";

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
export function resolvePartitions(
  gpt: { readonly partitions: Readonly<Record<string, GptPartition>> },
  diskName: string,
  path: string,
): ResolvedPartition[] {
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
        typeCode: (
          partition.type ?? (contentFsType(partition.content) === "swap" ? "8200" : "8300")
        ).toUpperCase(),
        start: partition.start ?? "0",
        end,
        takesRest: end === "-0",
        partition,
        path: childPath(`${path}.partitions`, name),
      };
    });
}

/** Checks of one partition beyond the schema: size, positions, label, GUIDs, and what an ESP or BIOS boot partition holds. */
export function checkPartition(resolved: ResolvedPartition, place: Place): Problem[] {
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
