import type { BlockDevice } from "./facts.ts";

/** A block device as `lsblk --json` reports it on the installed system, with partition details. */
export interface ObservedDevice extends Omit<BlockDevice, "children"> {
  readonly partLabel: string | undefined;
  readonly partType: string | undefined;
  readonly children: readonly ObservedDevice[];
}

export interface ObservedSystem {
  readonly devices: readonly ObservedDevice[];
  /** Mounted filesystems: target → source, type, and the directory of the filesystem mounted (a btrfs subvolume). */
  readonly mounts: readonly {
    readonly target: string;
    readonly source: string;
    readonly fsType: string;
    readonly fsRoot: string;
  }[];
  readonly swaps: readonly string[];
  readonly hostName: string;
  readonly firmware: "bios" | "uefi";
}
