import type { Problem } from "../../errors/index.ts";
import type { DeviceRef, DiskStep } from "../steps.ts";

/** Where a piece of content lives: its device, the disk it is on, and its option path. */
export interface Place {
  readonly device: DeviceRef;
  /** Device path of the whole disk, e.g. `/dev/sda`. */
  readonly disk: string;
  /** Attribute name of the disk, e.g. `main`. */
  readonly diskName: string;
  /** Option path of the content, e.g. `disko.devices.disk.main.content.partitions.root.content`. */
  readonly path: string;
}

/** Something to activate under the root mountpoint and to write into fstab. */
export type Mount =
  | {
      readonly kind: "filesystem";
      readonly device: DeviceRef;
      readonly fsType: string;
      readonly mountpoint: string;
      readonly options: readonly string[];
      readonly disk: string;
      readonly path: string;
    }
  | {
      /** A swap file on a mounted filesystem: `file` is its path on the installed system. */
      readonly kind: "swapfile";
      readonly file: string;
      readonly options: readonly string[];
      readonly priority: number | undefined;
      readonly disk: string;
      readonly path: string;
    }
  | {
      readonly kind: "swap";
      readonly device: DeviceRef;
      readonly options: readonly string[];
      readonly priority: number | undefined;
      readonly discardPolicy: "once" | "pages" | "both" | undefined;
      readonly disk: string;
      readonly path: string;
    };

/** What every content type provides; one implementation per `type`, registered in one table. */
export interface ContentPlanner<C> {
  /** Checks beyond the schema, each problem naming its option path. */
  check(content: C, place: Place): Problem[];
  /** Steps that create and format what is missing; nothing that exists is formatted again. */
  format(content: C, place: Place): DiskStep[];
  /** Filesystems and swap spaces this content provides. */
  mounts(content: C, place: Place): Mount[];
  /** Minimum bytes the content needs on its device. */
  minimumBytes(content: C): bigint;
}
