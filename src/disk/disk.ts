import { z } from "zod";
import { deviceContentSchema } from "./content/device-content.ts";
import { devicePathSchema } from "./device-path.ts";
import { hookOptions } from "./hooks.ts";
import { nameSchema } from "./name.ts";
import { SIZE_EXAMPLES, sizeSchema } from "./size.ts";

export const diskSchema = z
  .strictObject({
    type: z.literal("disk").default("disk"),
    ...hookOptions,
    device: devicePathSchema.meta({
      description: "Block device of the disk, e.g. /dev/sda or /dev/disk/by-id/…",
      examples: ["/dev/sda"],
    }),
    name: nameSchema("a disk name", "main").optional().meta({
      description:
        'The disk\'s name in the default labels of its partitions (disk-<name>-<partition>); defaults to the attribute name with each "/" as "_".',
    }),
    destroy: z.boolean().default(true).meta({ description: "Whether the destroy mode may wipe this disk." }),
    imageSize: sizeSchema({ rest: false, minimum: 1n, what: "a disk size" })
      .optional()
      .meta({ description: `Size of the disk in test machines and images (${SIZE_EXAMPLES}).` }),
    content: deviceContentSchema.optional(),
  })
  .meta({ description: "A whole disk and what it holds." });

export type Disk = z.output<typeof diskSchema>;

/** The disk's name in labels: its `name`, else disko's default, the attribute name with "/" as "_". */
export function diskLabelName(attribute: string, disk: Disk): string {
  return disk.name ?? attribute.replaceAll("/", "_");
}
