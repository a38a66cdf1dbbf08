import { z } from "zod";
import { hasControlCharacter } from "../errors/index.ts";
import { checkedString } from "./checked-string.ts";
import { hookOptions } from "./hooks.ts";
import { mountpointSchema } from "./mountpoint.ts";
import { optionListSchema } from "./option-list.ts";

/** A filesystem type as mount -t and fstab take it: `tmpfs`, `proc`, `fuse.sshfs`. */
const fsTypeSchema = checkedString((fsType) =>
  /^[a-z0-9][a-z0-9._+-]*$/.test(fsType)
    ? undefined
    : `${JSON.stringify(fsType)} is not a filesystem type: give one as mount -t takes it, e.g. "tmpfs"`,
);

/** The source mount is given for a filesystem without a device: a word such as `none` or `tmpfs`. */
const sourceSchema = checkedString((source) =>
  source === "" || source.startsWith("-") || /\s/.test(source) || hasControlCharacter(source)
    ? `${JSON.stringify(source)} is not a mount source: give a word such as "none" or "tmpfs", not starting with "-"`
    : undefined,
);

export const nodevSchema = z
  .strictObject({
    type: z.literal("nodev").default("nodev"),
    ...hookOptions,
    fsType: fsTypeSchema.default("tmpfs").meta({ description: "Filesystem type, e.g. tmpfs." }),
    device: sourceSchema.default("none").meta({ description: "Source given to mount." }),
    mountpoint: mountpointSchema
      .optional()
      .meta({ description: "Where to mount it; defaults to the attribute name." }),
    mountOptions: optionListSchema('Mount options, e.g. "size=200M".'),
  })
  .meta({ description: "A filesystem without a device, such as tmpfs." });
