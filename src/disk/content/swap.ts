import { z } from "zod";
import { extraArgsSchema } from "../extra-args.ts";
import { hookOptions } from "../hooks.ts";
import { optionListSchema } from "../option-list.ts";
import { type ContentPlanner, NO_BOOT_ROLES, type Place } from "./planner.ts";

/** swapon's priority: -1 to 32767, higher used first. */
export const swapPrioritySchema = z
  .number()
  .int()
  .min(-1)
  .max(32767)
  .optional()
  .meta({ description: "Swap priority (`swapon --priority`), -1 to 32767; higher is used first." });

export const swapSchema = z
  .strictObject({
    type: z.literal("swap"),
    ...hookOptions,
    discardPolicy: z
      .enum(["once", "pages", "both"])
      .optional()
      .meta({ description: "Discard policy for swapon (`--discard`)." }),
    extraArgs: extraArgsSchema("mkswap"),
    mountOptions: optionListSchema("Options for swapon and fstab.", "swap"),
    priority: swapPrioritySchema,
    randomEncryption: z.boolean().default(false).meta({
      description:
        "Encrypt the swap with a new random key at each boot (crypttab with /dev/urandom); it is made by the installed system, not at install.",
    }),
    resumeDevice: z.boolean().default(false).meta({
      description: "Resume from this swap space after hibernation (RESUME in the initramfs).",
    }),
  })
  .meta({ description: "A swap space, created only when the device holds no signature." });

export type Swap = z.output<typeof swapSchema>;

/** The mapping of a randomly encrypted swap: `swap-` and its label or device, in the characters a name takes. */
function randomMapping(place: Place): string {
  const device = place.device;
  const base =
    device.kind === "path"
      ? device.path.replace(/^\/dev\//, "")
      : (device.label ?? `${device.disk}-${device.number}`);
  return `swap-${base.replace(/[^A-Za-z0-9_.+-]/g, "_")}`.slice(0, 64);
}

export const swapPlanner: ContentPlanner<Swap> = {
  check(content, place) {
    const problems = [];
    if (content.randomEncryption && place.device.kind === "partition" && place.device.label === undefined)
      problems.push({
        path: `${place.path}.randomEncryption`,
        message:
          "a randomly encrypted swap is formatted at each boot, so its device must have a name that never moves: put it on a GPT partition (found by its label) or a logical volume",
      });
    if (content.randomEncryption && content.resumeDevice)
      problems.push({
        path: `${place.path}.resumeDevice`,
        message:
          "the kernel cannot resume from a swap whose key is new at each boot: give resumeDevice to a swap without randomEncryption",
      });
    return problems;
  },
  format(content, place) {
    // The installed system makes it at each boot, under a new key.
    if (content.randomEncryption) return [];
    return [
      {
        kind: "mkswap",
        id: `format:${place.path}`,
        description: "create a swap space, unless one is there",
        destroys: false,
        disk: place.disk,
        device: place.device,
        extraArgs: content.extraArgs,
      },
    ];
  },
  mounts(content, place) {
    return [
      {
        kind: "swap",
        device: place.device,
        options: content.mountOptions,
        priority: content.priority,
        discardPolicy: content.discardPolicy,
        randomEncryption: content.randomEncryption ? randomMapping(place) : undefined,
        resume: content.resumeDevice,
        disk: place.disk,
        path: place.path,
      },
    ];
  },
  minimumBytes() {
    return 1n << 20n;
  },
  tools() {
    return ["mkswap"];
  },
  fsType() {
    return "swap";
  },
  bootRoles() {
    return NO_BOOT_ROLES;
  },
  partitions() {
    return [];
  },
  members() {
    return [];
  },
  encrypted() {
    return [];
  },
};
