import { z } from "zod";
import { checkedString } from "./checked-string.ts";
import { partitionContentSchema } from "./content/partition-content.ts";
import type { Place } from "./content/planner.ts";
import { extraArgsSchema } from "./extra-args.ts";
import { hookOptions } from "./hooks.ts";
import { logicalVolumeNameSchema } from "./lvm-names.ts";
import { childPath } from "./path.ts";

/** The kinds of logical volume lvcreate makes (`--type`), as disko's `lvm_type` names them. */
export const LVM_TYPES = [
  "mirror",
  "raid0",
  "raid1",
  "raid4",
  "raid5",
  "raid6",
  "thin-pool",
  "thinlv",
] as const;

/** An LV's size: lvcreate's `-L` size (`10G`, `512M`), or a percentage (`100%`, `50%VG`, `100%FREE`) for `-l`. */
const LV_SIZE = /^(\d+(?:\.\d+)?[bBsSkKmMgGtTpPeE]?|(\d{1,3})%(?:FREE|VG|PVS|ORIGIN)?)$/;

const lvSizeSchema = checkedString((size) => {
  const match = LV_SIZE.exec(size);
  if (match === null)
    return `${JSON.stringify(size)} is not a logical volume size (examples: "10G", "512M", "100%", "50%VG", "100%FREE")`;
  if (match[2] !== undefined && Number(match[2]) > 100) return `${JSON.stringify(size)} is more than 100%`;
  return undefined;
});

export const logicalVolumeSchema = z
  .strictObject({
    name: logicalVolumeNameSchema
      .optional()
      .meta({ description: "The volume's name; defaults to the attribute name." }),
    size: lvSizeSchema.meta({
      description:
        'Size: "10G" (lvcreate -L), or a percentage, "100%" meaning 100% of the free space (lvcreate -l).',
    }),
    priority: z
      .number()
      .int()
      .optional()
      .meta({ description: "Creation order, smallest first; by default fixed sizes before percentages." }),
    lvm_type: z.enum(LVM_TYPES).optional().meta({ description: "The kind of volume (lvcreate --type)." }),
    pool: logicalVolumeNameSchema
      .optional()
      .meta({ description: "The thin pool (a thin-pool volume of this group) a thinlv lives in." }),
    extraArgs: extraArgsSchema("lvcreate"),
    get content() {
      return partitionContentSchema.optional();
    },
  })
  .meta({ description: "A logical volume: its size, kind and content." });

export type LogicalVolume = z.output<typeof logicalVolumeSchema>;

export const volumeGroupSchema = z
  .strictObject({
    type: z.literal("lvm_vg").default("lvm_vg"),
    ...hookOptions,
    lvs: z
      .record(logicalVolumeNameSchema, logicalVolumeSchema)
      .default({})
      .meta({ description: "Logical volumes by name; fixed sizes are created before percentages." }),
  })
  .meta({ description: "An LVM volume group of the devices whose content is lvm_pv with its name." });

export type VolumeGroup = z.output<typeof volumeGroupSchema>;

/** A logical volume as lvcreate makes it: its name, `-L`/`-l`/`-V` and value, kind and pool, in disko's order. */
export interface ResolvedVolume {
  readonly attribute: string;
  readonly name: string;
  readonly sizeFlag: "-L" | "-l" | "-V";
  readonly size: string;
  readonly volume: LogicalVolume;
  readonly path: string;
}

/** disko's order: thin pools first, fixed sizes before percentages, then by name; sizes as lvcreate takes them. */
export function resolveVolumes(vg: string, group: VolumeGroup): ResolvedVolume[] {
  const priority = (volume: LogicalVolume) =>
    volume.priority ??
    (volume.lvm_type === "thin-pool" ? 501 : 1000) + (volume.size.includes("100%") ? 251 : 0);
  return Object.entries(group.lvs)
    .sort(([a, x], [b, y]) => priority(x) - priority(y) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([attribute, volume]) => {
      const percent = volume.size.includes("%");
      return {
        attribute,
        name: volume.name ?? attribute,
        sizeFlag: volume.lvm_type === "thinlv" ? "-V" : percent ? "-l" : "-L",
        // disko: a bare percentage is of the free space.
        size: percent && volume.size.endsWith("%") ? `${volume.size}FREE` : volume.size,
        volume,
        path: childPath(`${childPath("disko.devices.lvm_vg", vg)}.lvs`, attribute),
      };
    });
}

/** The place of a logical volume's content: its device /dev/<vg>/<lv>. */
export function volumePlace(vg: string, resolved: ResolvedVolume): Place {
  const device = `/dev/${vg}/${resolved.name}`;
  return {
    device: { kind: "path", path: device },
    disk: device,
    diskName: `${vg}/${resolved.name}`,
    labelPrefix: `lvm_lv-${resolved.name}`,
    byPartlabel: false,
    path: `${resolved.path}.content`,
  };
}
