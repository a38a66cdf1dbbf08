import { z } from "zod";
import { type Extent, extentProblems } from "../extent.ts";
import { hookOptions } from "../hooks.ts";
import { sgdiskPositionBytes } from "../size.ts";
import type { DiskStep } from "../steps.ts";
import { TYPE_GUIDS } from "../type-guids.ts";
import {
  checkPartition,
  gptCountProblems,
  gptPartitionSchema,
  partitionNameSchema,
  type ResolvedPartition,
  resolvePartitions,
} from "./gpt-partition.ts";
import {
  contentFsType,
  contentMountpoint,
  contentTools,
  partitionContentPlanner,
} from "./partition-content.ts";
import type { ContentPlanner, Mount, Place } from "./planner.ts";

export const gptSchema = z
  .strictObject({
    type: z.literal("gpt"),
    ...hookOptions,
    partitions: z
      .record(partitionNameSchema, gptPartitionSchema)
      .default({})
      .meta({ description: "Partitions by name; created in priority order." }),
    efiGptPartitionFirst: z.boolean().default(true).meta({
      description:
        "In a hybrid MBR, put the GPT's protective entry (0xEE) first (good for GRUB), else after the hybrid partitions.",
    }),
  })
  .meta({ description: "A GUID partition table, created with sgdisk." });

export type Gpt = z.output<typeof gptSchema>;

function partitionPlace(resolved: ResolvedPartition, place: Place): Place {
  return {
    ...place,
    device: {
      kind: "partition",
      disk: place.disk,
      number: resolved.number,
      ...(place.byPartlabel ? { label: resolved.label } : {}),
    },
    path: `${resolved.path}.content`,
  };
}

const MiB = 1n << 20n;

/**
 * Where sgdisk puts each partition, as far as the layout tells, in creation order. A start of 0 is the start of
 * the largest free block: after the partitions so far while they leave no gap, else unknown (and not checked).
 * `+N` ends are relative to the start; `-N` and `0` ends reach to the end of the disk, minus N.
 */
function partitionExtents(partitions: readonly ResolvedPartition[]): Extent[] {
  const extents: Extent[] = [];
  let cursor: bigint | undefined = MiB;
  for (const resolved of partitions) {
    const isAutomatic = resolved.start === "0";
    const explicit = /^\d/.test(resolved.start) ? sgdiskPositionBytes(resolved.start) : undefined;
    const start: bigint | undefined = isAutomatic ? cursor : explicit;
    const end = resolved.end ?? "0";
    const bytes = sgdiskPositionBytes(end);
    if (start === undefined || bytes === undefined) {
      cursor = undefined;
      continue;
    }
    const stop: bigint | undefined = end.startsWith("+")
      ? start + bytes
      : end === "0" || end.startsWith("-")
        ? undefined
        : bytes;
    extents.push({ name: resolved.name, path: resolved.path, start, end: stop });
    // The next automatic start is aligned to 1 MiB, as sgdisk does by default.
    const aligned: bigint | undefined = stop === undefined ? undefined : ((stop + MiB - 1n) / MiB) * MiB;
    if (cursor === undefined || aligned === undefined || start > cursor) cursor = undefined;
    else if (aligned > cursor) cursor = aligned;
  }
  return extents;
}

export const gptPlanner: ContentPlanner<Gpt> = {
  check(gpt, place) {
    const partitions = resolvePartitions(gpt, place.labelPrefix, place.path);
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
    const hybrids = partitions.filter((resolved) => resolved.partition.hybrid !== undefined);
    if (hybrids.length > 3)
      problems.push({
        path: `${place.path}.partitions`,
        message: `${hybrids.map((resolved) => resolved.name).join(", ")} are hybrid: an MBR lists at most three partitions beside the GPT's own entry; keep three`,
      });
    problems.push(...extentProblems(partitionExtents(partitions)));
    problems.push(...gptCountProblems(partitions.length, `${place.path}.partitions`));
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
    const partitions = resolvePartitions(gpt, place.labelPrefix, place.path);
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
    const hybrids = partitions.filter((resolved) => resolved.partition.hybrid !== undefined);
    if (hybrids.length > 0) {
      // The hybrid MBR lists them in creation order, after the GPT's entry when it comes first.
      const first = gpt.efiGptPartitionFirst ? 2 : 1;
      steps.push({
        kind: "gpt-hybrid-mbr",
        id: `hybrid:${place.path}`,
        description: `write a hybrid MBR on ${place.disk} listing ${hybrids.map((resolved) => `partition ${resolved.number}`).join(", ")}`,
        destroys: false,
        disk: place.disk,
        device: place.disk,
        partitions: hybrids.map((resolved) => resolved.number),
        protectiveFirst: gpt.efiGptPartitionFirst,
        entries: hybrids.map((resolved, index) => ({
          entry: first + index,
          type: resolved.partition.hybrid?.mbrPartitionType?.replace(/^(0x)?/i, "0x").toLowerCase(),
          bootable: resolved.partition.hybrid?.mbrBootableFlag === true,
        })),
      });
    }
    for (const resolved of partitions) {
      const content = resolved.partition.content;
      if (content === undefined) continue;
      steps.push(...partitionContentPlanner(content).format(content, partitionPlace(resolved, place)));
    }
    return steps;
  },

  mounts(gpt, place) {
    return resolvePartitions(gpt, place.labelPrefix, place.path).flatMap((resolved): Mount[] => {
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

  tools(gpt) {
    return [
      "sgdisk",
      ...resolvePartitions(gpt, "", "").flatMap((resolved) => contentTools(resolved.partition.content)),
    ];
  },

  fsType() {
    return undefined;
  },

  bootRoles(gpt, place) {
    const partitions = resolvePartitions(gpt, place.labelPrefix, place.path);
    const biosBoot = partitions.some((resolved) => resolved.typeCode === "EF02");
    // Declaration order, not creation order, decides which ESP GRUB gets when there are several.
    const declared = Object.keys(gpt.partitions).flatMap((name) =>
      partitions.filter((resolved) => resolved.name === name),
    );
    return {
      biosBoot,
      // GRUB embeds its core image in the sectors after an msdos MBR; a GPT keeps its table there, so it needs one.
      biosBootProblem: biosBoot
        ? undefined
        : `${place.disk} has a GPT without a BIOS boot partition: GRUB cannot be installed there for BIOS; add a 1M partition with type "EF02"`,
      espMountpoints: declared
        .filter((resolved) => resolved.typeCode === "EF00")
        .flatMap(
          (resolved) => contentMountpoint(resolved.partition.content, partitionPlace(resolved, place)) ?? [],
        ),
    };
  },

  partitions(gpt, place) {
    return resolvePartitions(gpt, place.labelPrefix, place.path).map((resolved) => {
      const guid = TYPE_GUIDS[resolved.typeCode];
      return {
        name: resolved.name,
        number: resolved.number,
        label: { value: resolved.label, path: `${resolved.path}.label` },
        partType: guid === undefined ? undefined : { id: guid, declared: `${resolved.typeCode} (${guid})` },
        fsType: contentFsType(resolved.partition.content),
      };
    });
  },

  members(gpt, place) {
    return resolvePartitions(gpt, place.labelPrefix, place.path).flatMap((resolved) => {
      const content = resolved.partition.content;
      if (content === undefined) return [];
      const members = partitionContentPlanner(content).members(content, partitionPlace(resolved, place));
      return resolved.typeCode === "EF00" ? members.map((member) => ({ ...member, esp: true })) : members;
    });
  },
  encrypted(gpt, place) {
    return resolvePartitions(gpt, place.labelPrefix, place.path).flatMap((resolved) => {
      const content = resolved.partition.content;
      return content === undefined
        ? []
        : partitionContentPlanner(content).encrypted(content, partitionPlace(resolved, place));
    });
  },
};
