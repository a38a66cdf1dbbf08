/**
 * Layouts a hostile user might write, each with the option path and the message groundwork must answer with.
 * `test/disk/hostile.test.ts` runs them (`hostile-places.ts`, `hostile-strings.ts`) through the layout schema and
 * checks, and through `loadConfig`. Here: what a case is, and the layouts they start from.
 */

export interface HostileCase {
  /** What is refused, as a test name says it. */
  readonly name: string;
  /** The configuration as a module writes it. */
  readonly config: { readonly disko?: { readonly devices: unknown }; readonly boot?: unknown };
  /** The option path the message names. */
  readonly path: string;
  /** The message: what is wrong and what to do. */
  readonly message: RegExp;
}

export const P = "disko.devices.disk.main.content.partitions";
export const ext4 = (mountpoint: string) => ({ type: "filesystem", format: "ext4", mountpoint });
export const root = { size: "100%", content: ext4("/") };

/** One disk `main` on `device` holding `content`, beside `extra` options of the disk. */
export function disk(device: string, content?: unknown, extra: Record<string, unknown> = {}) {
  return {
    disko: {
      devices: { disk: { main: { device, ...(content === undefined ? {} : { content }), ...extra } } },
    },
  };
}

/** One disk /dev/sda with a GPT holding `partitions`. */
export function gpt(partitions: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return disk("/dev/sda", { type: "gpt", partitions }, extra);
}

/** One disk /dev/sda with a GPT whose root partition holds `content`. */
export function rootHolding(content: Record<string, unknown>) {
  return gpt({ root: { size: "100%", content } });
}

/** One disk /dev/sda with a parted table of `format` holding `partitions`. */
export function table(partitions: unknown[], format = "gpt") {
  return disk("/dev/sda", { type: "table", format, partitions });
}

/** GRUB for BIOS on `device`, beside the seed's kind of disk. */
export function grub(device: string) {
  return {
    ...gpt({ MBR: { size: "1M", type: "EF02" }, root }),
    boot: { loader: { grub: { devices: [device] } } },
  };
}
