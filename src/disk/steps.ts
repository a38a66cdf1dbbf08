import type { HookRun } from "./hooks.ts";

/**
 * The steps a disk layout turns into: plain data, with typed arguments and no shell text.
 * `src/render` is the only code that turns them into commands.
 */

/** How a script finds a device: a path, or partition `number` of a disk (found by the kernel's name at run time). */
export type DeviceRef =
  | { readonly kind: "path"; readonly path: string }
  | { readonly kind: "partition"; readonly disk: string; readonly number: number; readonly label?: string };

/**
 * The file whose bytes are a LUKS key; a `passphrase` (disko's passwordFile) ends at its first trailing newline,
 * as a typed passphrase would. `size` and `offset` select the bytes of a key file.
 */
export interface LuksKey {
  readonly file: string;
  readonly passphrase: boolean;
  readonly size?: number;
  readonly offset?: number;
}

interface StepBase {
  /** Stable id, e.g. `format:disk.main.ESP`; resumable runs record these. */
  readonly id: string;
  /** One line for a person: what the step does. */
  readonly description: string;
  /** True when the step can destroy data that is on the disk now. */
  readonly destroys: boolean;
  /** The disk (by its device path) the step concerns, for grouping plans per device; none for a nodev mount. */
  readonly disk: string | undefined;
}

export type DiskStep = StepBase &
  (
    | { readonly kind: "check-disk"; readonly device: string; readonly minimumBytes: number }
    | { readonly kind: "check-unused"; readonly device: string; readonly rootMountpoint: string }
    | { readonly kind: "destroy-disk"; readonly device: string; readonly rootMountpoint: string }
    | { readonly kind: "gpt-table"; readonly device: string }
    | {
        readonly kind: "gpt-partition";
        readonly device: string;
        readonly number: number;
        readonly start: string;
        readonly end: string;
        readonly typeCode: string;
        readonly label: string;
        readonly uuid: string | undefined;
        readonly attributes: readonly number[];
      }
    /** A partition table (and its partitions, below) written by parted, as `format` says: gpt or msdos. */
    | { readonly kind: "parted-table"; readonly device: string; readonly format: "gpt" | "msdos" }
    | {
        readonly kind: "parted-partition";
        readonly device: string;
        readonly number: number;
        readonly format: "gpt" | "msdos";
        readonly partType: "primary" | "logical" | "extended";
        readonly name: string | undefined;
        readonly fsType: string | undefined;
        readonly start: string;
        readonly end: string;
        readonly flags: readonly string[];
        readonly bootable: boolean;
      }
    | { readonly kind: "reread-partitions"; readonly device: string }
    /**
     * A hybrid MBR listing GPT `partitions` (sgdisk -h), the GPT's protective entry first or last; then each
     * MBR `entry` gets its `type` (hex) and active flag.
     */
    | {
        readonly kind: "gpt-hybrid-mbr";
        readonly device: string;
        readonly partitions: readonly number[];
        readonly protectiveFirst: boolean;
        readonly entries: readonly {
          readonly entry: number;
          readonly type: string | undefined;
          readonly bootable: boolean;
        }[];
      }
    | {
        readonly kind: "mkfs";
        readonly device: DeviceRef;
        readonly format: string;
        readonly extraArgs: readonly string[];
      }
    | { readonly kind: "mkswap"; readonly device: DeviceRef; readonly extraArgs: readonly string[] }
    /** `name`: the subvolume's path inside the filesystem, e.g. `home/user`. */
    | { readonly kind: "btrfs-subvolume"; readonly device: DeviceRef; readonly name: string }
    /** A swap file `file` (a path inside the filesystem: subvolume and name) of `bytes`. */
    | {
        readonly kind: "btrfs-swapfile";
        readonly device: DeviceRef;
        readonly file: string;
        readonly bytes: number;
      }
    | {
        readonly kind: "mount";
        readonly device: DeviceRef;
        readonly fsType: string;
        readonly mountpoint: string;
        readonly target: string;
        readonly options: readonly string[];
      }
    | {
        readonly kind: "swapon";
        readonly device: DeviceRef;
        readonly options: readonly string[];
        readonly priority: number | undefined;
        readonly discardPolicy: "once" | "pages" | "both" | undefined;
      }
    | { readonly kind: "unmount"; readonly target: string }
    | { readonly kind: "swapoff"; readonly device: DeviceRef }
    /** Create the array `device` (/dev/md/<name>) of `members`, or assemble it when they are members already. */
    | {
        readonly kind: "mdadm-create";
        readonly device: string;
        readonly name: string;
        readonly level: number;
        readonly metadata: string;
        readonly members: readonly DeviceRef[];
        readonly extraArgs: readonly string[];
      }
    /** Assemble the array `device` from `members`, unless it runs. */
    | { readonly kind: "mdadm-assemble"; readonly device: string; readonly members: readonly DeviceRef[] }
    /** Stop the array `device`, if it runs. */
    | { readonly kind: "mdadm-stop"; readonly device: string }
    /** Make `device` an LVM physical volume, unless it holds a signature. */
    | { readonly kind: "lvm-pv"; readonly device: DeviceRef }
    /** Create volume group `vg` of `pvs`, unless it exists. */
    | { readonly kind: "lvm-vg"; readonly vg: string; readonly pvs: readonly DeviceRef[] }
    /** Create logical volume `lv` of group `vg` (`lvcreate FLAG SIZE`), unless it exists. */
    | {
        readonly kind: "lvm-lv";
        readonly vg: string;
        readonly lv: string;
        readonly sizeFlag: "-L" | "-l" | "-V";
        readonly size: string;
        readonly lvmType: string | undefined;
        readonly pool: string | undefined;
        readonly extraArgs: readonly string[];
      }
    /** Encrypt `device` with LUKS (and add `additionalKeyFiles`), unless it holds a LUKS header. */
    | {
        readonly kind: "luks-format";
        readonly device: DeviceRef;
        readonly name: string;
        readonly key: LuksKey;
        readonly extraArgs: readonly string[];
        readonly additionalKeyFiles: readonly string[];
      }
    /** Open the LUKS device `device` as /dev/mapper/`name`, unless it is open. */
    | {
        readonly kind: "luks-open";
        readonly device: DeviceRef;
        readonly name: string;
        readonly key: LuksKey;
        readonly openArgs: readonly string[];
      }
    /** Close /dev/mapper/`name`, if it is open. */
    | { readonly kind: "luks-close"; readonly name: string }
    /** Activate (`up`) or deactivate the logical volumes of group `vg`. */
    | { readonly kind: "lvm-activate"; readonly vg: string; readonly up: boolean }
    /** A hook of the layout (disko's preCreateHook, …): the user's shell commands. */
    | { readonly kind: "hook"; readonly run: HookRun }
  );

/** The device paths of the disks a plan's steps touch, each once, in plan order. */
export function declaredDisks(plan: { readonly steps: readonly DiskStep[] }): string[] {
  return [...new Set(plan.steps.flatMap((step) => (step.disk === undefined ? [] : [step.disk])))];
}
