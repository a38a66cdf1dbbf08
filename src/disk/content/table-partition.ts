import { z } from "zod";
import { hasControlCharacter } from "../../errors/index.ts";
import { checkedString } from "../checked-string.ts";
import { partedPositionProblem } from "../size.ts";
import { GPT_LABEL_LIMIT } from "./gpt-partition.ts";
import { partitionContentSchema } from "./partition-content.ts";

/** The flags parted 3.5 (Debian 12) can set on a partition. */
const PARTED_FLAGS = [
  "boot",
  "root",
  "swap",
  "hidden",
  "raid",
  "lvm",
  "lba",
  "hp-service",
  "palo",
  "prep",
  "msftres",
  "bios_grub",
  "atvrecv",
  "diag",
  "legacy_boot",
  "msftdata",
  "irst",
  "esp",
  "chromeos_kernel",
  "bls_boot",
  "linux-home",
  "no_automount",
] as const;

/**
 * A parted partition name. parted splits its command words at spaces and reads quotes, so the disk script quotes a
 * name for parted (in double quotes, or in single ones when it holds a double quote): it cannot hold both kinds.
 */
const partedNameSchema = checkedString((name) =>
  name.trim() === "" ||
  /\\/.test(name) ||
  (name.includes("'") && name.includes('"')) ||
  hasControlCharacter(name) ||
  name.length > GPT_LABEL_LIMIT
    ? `${JSON.stringify(name)} is not a parted partition name: give at most ${GPT_LABEL_LIMIT} characters, not only spaces, without backslashes, control characters or both kinds of quotes, e.g. "root"`
    : undefined,
);

const positionSchema = checkedString(partedPositionProblem);

const PARTED_FS_TYPES = [
  "btrfs",
  "ext2",
  "ext3",
  "ext4",
  "fat16",
  "fat32",
  "hfs",
  "hfs+",
  "linux-swap",
  "ntfs",
  "udf",
  "xfs",
] as const;

export const tablePartitionSchema = z
  .strictObject({
    "part-type": z
      .enum(["primary", "logical", "extended"])
      .default("primary")
      .meta({ description: "msdos partition kind." }),
    "fs-type": z
      .enum(PARTED_FS_TYPES)
      .optional()
      .meta({ description: "Partition id hint for parted (`mkpart … FS-TYPE`)." }),
    name: partedNameSchema
      .optional()
      .meta({ description: "Partition name (gpt format; ignored on msdos, as disko does)." }),
    start: positionSchema.default("0%").meta({ description: 'parted start position, e.g. "1MiB" or "0%".' }),
    end: positionSchema
      .default("100%")
      .meta({ description: 'parted end position, e.g. "513MiB" or "100%".' }),
    flags: z
      .array(z.enum(PARTED_FLAGS))
      .default([])
      .meta({ description: "parted flags to set, e.g. esp, lvm." }),
    bootable: z.boolean().default(false).meta({ description: "Set the boot flag." }),
    get content() {
      return partitionContentSchema.optional();
    },
  })
  .meta({ description: "A partition of a parted table, with start and end positions." });

export type TablePartition = z.output<typeof tablePartitionSchema>;
