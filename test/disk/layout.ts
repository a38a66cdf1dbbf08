import { issueProblems } from "../../src/config/issues.ts";
import { checkLayout } from "../../src/disk/check.ts";
import { type Devices, diskoSchema } from "../../src/disk/devices.ts";
import type { Problem } from "../../src/errors/index.ts";

/** A layout as a test writes it, parsed with the schema (defaults filled in). */
export function layout(devices: unknown): Devices {
  return diskoSchema.parse({ devices }).devices;
}

/**
 * The problems of a layout as a test writes it: the schema's, at option paths under `disko.devices`, or, when it
 * parses, those of `checkLayout`.
 */
export function layoutProblems(devices: unknown): Problem[] {
  const input = { devices };
  const parsed = diskoSchema.safeParse(input);
  if (parsed.success) return checkLayout(parsed.data.devices);
  return issueProblems(parsed.error.issues, { schema: diskoSchema, input, fileOf: () => undefined }).map(
    (problem) => ({ ...problem, path: `disko.${problem.path}` }),
  );
}

/** The seed's single-disk layout on `device`. */
export function seedLayout(device = "/dev/sda"): Devices {
  return layout({
    disk: {
      main: {
        type: "disk",
        device,
        content: {
          type: "gpt",
          partitions: {
            MBR: { priority: 0, size: "1M", type: "EF02" },
            ESP: {
              priority: 1,
              size: "500M",
              type: "EF00",
              content: { type: "filesystem", format: "vfat", mountpoint: "/boot" },
            },
            root: {
              priority: 2,
              size: "100%",
              content: { type: "filesystem", format: "ext4", mountpoint: "/" },
            },
          },
        },
      },
    },
  });
}

/** One disk with an msdos table written by parted: ext4 /boot from 1MiB to 257MiB, ext4 / on the rest. */
export function msdosLayout(device = "/dev/sda"): Devices {
  const partitions = [
    { start: "1MiB", end: "257MiB", content: ext4("/boot") },
    { start: "257MiB", end: "100%", content: ext4("/") },
  ];
  return layout({ disk: { main: { device, content: { type: "table", format: "msdos", partitions } } } });
}

/** One disk with a GPT holding `partitions`, as a test writes it. */
export function gptInput(partitions: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { disk: { main: { device: "/dev/sda", content: { type: "gpt", partitions }, ...extra } } };
}

/** One disk with a GPT holding `partitions`. */
export function gptLayout(partitions: Record<string, unknown>, extra: Record<string, unknown> = {}): Devices {
  return layout(gptInput(partitions, extra));
}

export const ext4 = (mountpoint: string) => ({ type: "filesystem", format: "ext4", mountpoint });
