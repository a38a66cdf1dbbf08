import { z } from "zod";

export const nodevSchema = z
  .strictObject({
    type: z.literal("nodev").default("nodev"),
    fsType: z.string().default("tmpfs").meta({ description: "Filesystem type, e.g. tmpfs." }),
    device: z.string().default("none").meta({ description: "Source given to mount." }),
    mountpoint: z
      .string()
      .optional()
      .meta({ description: "Where to mount it; defaults to the attribute name." }),
    mountOptions: z
      .array(z.string())
      .default(["defaults"])
      .meta({ description: 'Mount options, e.g. "size=200M".' }),
  })
  .meta({ description: "A filesystem without a device, such as tmpfs." });

export type Nodev = z.output<typeof nodevSchema>;
