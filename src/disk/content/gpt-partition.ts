import { createHash } from "node:crypto";
import { z } from "zod";
import type { Problem } from "../../errors/index.ts";
import { hasControlCharacter } from "../../errors/index.ts";
import { checkedString } from "../checked-string.ts";
import { nameSchema } from "../name.ts";
import { childPath } from "../path.ts";
import { SIZE_EXAMPLES, sgdiskPositionProblem, sgdiskSize, sizeSchema } from "../size.ts";
import { GPT_TYPE_CODES } from "../typecodes.ts";
import { contentFsType, partitionContentPlanner, partitionContentSchema } from "./partition-content.ts";
import type { Place } from "./planner.ts";

/** GPT partition names hold 36 UTF-16 code units. */
export const GPT_LABEL_LIMIT = 36;
/** The partition entries sgdisk and parted write in a GPT. */
const GPT_PARTITION_LIMIT = 128;

/** A problem when a GPT at `path` is given more partitions than it has entries for. */
export function gptCountProblems(count: number, path: string): Problem[] {
  return count > GPT_PARTITION_LIMIT
    ? [
        {
          path,
          message: `${count} partitions: a GPT holds at most ${GPT_PARTITION_LIMIT}; declare fewer`,
        },
      ]
    : [];
}
const GUID_PATTERN = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/** A partition's name in the layout: it becomes part of its default label and of step ids. */
export const partitionNameSchema = nameSchema("a partition name", "root");

const typeSchema = checkedString((type) =>
  GUID_PATTERN.test(type) || GPT_TYPE_CODES[type.toUpperCase()] !== undefined
    ? undefined
    : `${JSON.stringify(type)} is not a GPT type code that sgdisk knows (examples: "EF00" ESP, "EF02" BIOS boot, "8300" Linux, "8200" swap; \`sgdisk -L\` lists them all), nor a GUID`,
);

const labelSchema = checkedString((label) => {
  if (label === "") return `a label must not be empty: give one such as "root", or leave label out`;
  if (hasControlCharacter(label))
    return `${JSON.stringify(label)}: a label must not contain control characters`;
  if (label.length > GPT_LABEL_LIMIT)
    return `${JSON.stringify(label)} is ${label.length} characters; a GPT label holds at most ${GPT_LABEL_LIMIT}`;
  return undefined;
});

const uuidSchema = checkedString((uuid) =>
  GUID_PATTERN.test(uuid)
    ? undefined
    : `${JSON.stringify(uuid)} is not a GUID (example: "0fc63daf-8483-4772-8e79-3d69d8477de4")`,
);

export const gptPartitionSchema = z
  .strictObject({
    type: typeSchema.optional().meta({
      description: "sgdisk type code (EF00, EF02, 8300, 8200, …) or a GUID; 8200 for swap, else 8300.",
    }),
    name: partitionNameSchema
      .optional()
      .meta({ description: "The partition's name in its default label; defaults to the attribute name." }),
    priority: z
      .number()
      .int()
      .optional()
      .meta({ description: "Creation order, smallest first; 100 for EF02, 9001 for 100%, else 1000." }),
    size: sizeSchema({ rest: true, minimum: 1n, what: "a size" })
      .optional()
      .meta({ description: `Size in binary units, or "100%" for the rest (${SIZE_EXAMPLES}).` }),
    start: checkedString((start) => sgdiskPositionProblem(start, "start"))
      .optional()
      .meta({ description: "sgdisk start position (0 = next free space)." }),
    end: checkedString((end) => sgdiskPositionProblem(end, "end"))
      .optional()
      .meta({ description: 'sgdisk end position, e.g. "+1G" or "-0".' }),
    label: labelSchema
      .optional()
      .meta({ description: "GPT partition name; defaults to disk-<disk>-<partition>." }),
    uuid: uuidSchema.optional().meta({ description: "Partition GUID; random when unset." }),
    attributes: z
      .array(z.number().int().min(0).max(63))
      .default([])
      .meta({ description: "GPT attribute bits to set." }),
    hybrid: z
      .strictObject({
        mbrPartitionType: z
          .string()
          .regex(
            /^(0x)?[0-9A-Fa-f]{1,2}$/,
            'give an MBR type code of one byte in hex, e.g. "0x0c" (FAT32 LBA)',
          )
          .optional()
          .meta({ description: 'Its type in the hybrid MBR, one byte in hex, e.g. "0x0c".' }),
        mbrBootableFlag: z
          .boolean()
          .default(false)
          .meta({ description: "Mark it active (bootable) in the hybrid MBR." }),
      })
      .optional()
      .meta({
        description:
          "Also list the partition in a hybrid MBR (sgdisk -h), for firmware that reads only MBR; at most three.",
      }),
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

/** disko's label: `<prefix>-<partition>` (`disk-main-root`), or a hash of it when that is too long for GPT. */
export function defaultLabel(labelPrefix: string, partitionName: string): string {
  const label = `${labelPrefix}-${partitionName}`;
  if (label.length <= GPT_LABEL_LIMIT) return label;
  return createHash("sha256").update(label).digest("hex").slice(0, GPT_LABEL_LIMIT);
}

/** Partitions in creation order (priority, then name), numbered from 1. */
export function resolvePartitions(
  gpt: { readonly partitions: Readonly<Record<string, GptPartition>> },
  labelPrefix: string,
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
        label: partition.label ?? defaultLabel(labelPrefix, partition.name ?? name),
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

  if (partition.size !== undefined && partition.end !== undefined) {
    problem("end", "set either size or end, not both");
  }
  if (partition.size === undefined && partition.end === undefined) {
    problem("size", 'no size: set size (e.g. "500M", or "100%" for the rest of the disk) or end');
  }
  const content = partition.content;
  if (
    resolved.typeCode === "EF00" &&
    content !== undefined &&
    !(content.type === "filesystem" && content.format === "vfat") &&
    // A RAID1 member with its superblock at the end reads as the vfat it mirrors (checked with the array).
    content.type !== "mdraid"
  ) {
    const given =
      content.type === "filesystem" ? `format "${content.format}"` : `content type "${content.type}"`;
    problem(
      "content",
      `an EFI system partition (type EF00) must hold a vfat filesystem (or be a member of a RAID1 of one), not ${given}: set content.format = "vfat"`,
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
