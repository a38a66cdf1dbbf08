import type { Problem } from "../../errors/index.ts";
import type { HookRun } from "../hooks.ts";
import type { DeviceRef, DiskStep, LuksKey } from "../steps.ts";

/** Where a piece of content lives: its device, the disk it is on, and its option path. */
export interface Place {
  readonly device: DeviceRef;
  /** Device path of the whole disk, e.g. `/dev/sda`. */
  readonly disk: string;
  /** Name of the disk in messages, e.g. `main` (its `name`, else its attribute name with "/" as "_"). */
  readonly diskName: string;
  /** What default partition labels start with: `disk-main`, or `mdadm-raid1` on an array (as disko names them). */
  readonly labelPrefix: string;
  /** Whether udev links this device's partitions under /dev/disk/by-partlabel (not on an md array). */
  readonly byPartlabel: boolean;
  /** Option path of the content, e.g. `disko.devices.disk.main.content.partitions.root.content`. */
  readonly path: string;
}

/** Something to activate under the root mountpoint and to write into fstab. */
export type Mount = MountHooks & MountTarget;

/** The mount and unmount hooks of the declarations a mount is in, outer before inner. */
export interface MountHooks {
  readonly hooks?: readonly HookRun[];
}

type MountTarget =
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
      /**
       * The mapping (/dev/mapper/<name>) that encrypts the swap with a new random key at each boot (crypttab),
       * or undefined for a plain swap space. Such a swap is made and used only by the installed system.
       */
      readonly randomEncryption: string | undefined;
      /** The kernel resumes from this swap space after hibernation (the initramfs's RESUME). */
      readonly resume: boolean;
      readonly disk: string;
      readonly path: string;
    };

/** A device that the content gives to a stacked device: a member of an mdadm array, or an LVM physical volume. */
export interface StackMember {
  readonly kind: "mdraid" | "lvm_pv";
  /** The name of the array (disko.devices.mdadm) or the volume group (disko.devices.lvm_vg) it belongs to. */
  readonly name: string;
  readonly device: DeviceRef;
  readonly disk: string;
  readonly path: string;
  /** Whether the member is an EFI system partition, which firmware reads as a plain vfat. */
  readonly esp?: boolean;
}

/** A LUKS device of the layout: how it is opened now, and at the installed system's boot (crypttab). */
export interface EncryptedDevice {
  /** The mapping's name: /dev/mapper/<name>. */
  readonly name: string;
  /** The encrypted device underneath. */
  readonly device: DeviceRef;
  readonly disk: string;
  readonly path: string;
  readonly key: LuksKey;
  /** What `cryptsetup open` takes beyond the key. */
  readonly openArgs: readonly string[];
  /** Opened in the initramfs (crypttab option `initramfs`), else by systemd after it. */
  readonly initrdUnlock: boolean;
  /** Options for its crypttab line beyond `luks` and `initramfs`. */
  readonly crypttabOptions: readonly string[];
}

/** What a disk's content offers GRUB. */
export interface BootRoles {
  /** A BIOS boot partition (GPT type EF02, parted flag bios_grub) holds GRUB's core image: GRUB for BIOS goes here. */
  readonly biosBoot: boolean;
  /** Why GRUB for BIOS cannot be installed on this disk as declared, and what to add; undefined when it can. */
  readonly biosBootProblem: string | undefined;
  /** Mountpoints of the EFI system partitions (GPT type EF00, parted flag esp), in declaration order. */
  readonly espMountpoints: readonly string[];
}

/** The answer of content that is not a partition table: it plays no part in booting. */
export const NO_BOOT_ROLES: BootRoles = { biosBoot: false, biosBootProblem: undefined, espMountpoints: [] };

/** A partition the content creates, with what `groundwork test` checks on the installed machine. */
export interface ExpectedPartition {
  /** Its name in messages (`partition root`): the attribute name, or `2 of disk main` when it has none. */
  readonly name: string;
  /** Its number on the disk: how it is found when it has no label. */
  readonly number: number;
  /** Its label (GPT partition name), found on any disk, and the option path that sets it; labels are unique. */
  readonly label: { readonly value: string; readonly path: string } | undefined;
  /** Its type as lsblk's PARTTYPE shows it (lowercase), and as the layout says it; undefined: not checked. */
  readonly partType: { readonly id: string; readonly declared: string } | undefined;
  /** The signature its content leaves (lsblk's FSTYPE); undefined: not checked. */
  readonly fsType: string | undefined;
}

/**
 * What every content type provides; one implementation per `type`, registered in one table
 * (`deviceContentPlanners`, `partitionContentPlanners`). Shared code asks these questions and never tests `type`,
 * so a new type (LUKS, LVM, mdadm, ZFS) is its file and a line in each table it belongs to. It must answer:
 * its checks, its steps, its mounts, its minimum size, the tools its steps run, the signature it leaves, its
 * boot roles, the partitions it creates (checked after install; their labels must be unique across disks),
 * the devices it gives to stacked devices, and the LUKS devices it holds.
 */
export interface ContentPlanner<C> {
  /** Checks beyond the schema, each problem naming its option path. */
  check(content: C, place: Place): Problem[];
  /** Steps that create and format what is missing; nothing that exists is formatted again. */
  format(content: C, place: Place): DiskStep[];
  /** Filesystems and swap spaces this content provides. */
  mounts(content: C, place: Place): Mount[];
  /** Minimum bytes the content needs on its device. */
  minimumBytes(content: C): bigint;
  /** Commands its steps run on the target (`sgdisk`, `mkfs.ext4`, …), beyond those every disk script runs. */
  tools(content: C): string[];
  /** The signature it leaves on its device as lsblk's FSTYPE shows it (`ext4`, `swap`); undefined for a table. */
  fsType(content: C): string | undefined;
  /** Its BIOS boot and EFI system partitions, and whether GRUB for BIOS can go on its disk. */
  bootRoles(content: C, place: Place): BootRoles;
  /** The partitions it creates, in table order, with what to check on each after install. */
  partitions(content: C, place: Place): ExpectedPartition[];
  /** The devices it gives to stacked devices (mdadm arrays, LVM volume groups), in table order. */
  members(content: C, place: Place): StackMember[];
  /** The LUKS devices it holds, outer before inner. */
  encrypted(content: C, place: Place): EncryptedDevice[];
}
