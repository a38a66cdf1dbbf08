/** A throwaway machine for `groundwork test` and the test suite. One class per implementation (QemuMachine). */

export type Firmware = "bios" | "uefi";

/** Boot a kernel directly (the live installer), or from the disks. */
export type BootSource =
  | { readonly kernel: string; readonly initrd: string; readonly append: string }
  | "disk";

/** A disk of a machine: a new blank image of `size`, or an existing `image`, shown to the guest as `device`. */
export interface MachineDisk {
  /** The name the guest sees: /dev/sda, /dev/vda, /dev/nvme0n1, /dev/disk/by-id/virtio-SERIAL. */
  readonly device: string;
  /** For a new image: bytes, or "4G", "512M". */
  readonly size?: number | string;
  /** An existing image file; without it a new one is made in the machine's folder. */
  readonly image?: string;
  /** Format of a new image (default raw; qcow2 needs qemu-img), or of the existing one. */
  readonly format?: "raw" | "qcow2";
  /** The disk firmware boots from (SeaBIOS boots only one); default the first disk. */
  readonly boot?: boolean;
}

/** What a restart may change: after an install, boot from the disk, or under the other firmware. */
export interface MachineChanges {
  readonly boot?: BootSource;
  readonly firmware?: Firmware;
}

export interface Machine extends AsyncDisposable {
  /** The port on 127.0.0.1 that reaches the guest's port 22. */
  readonly sshPort: number;
  /** The machine's folder: console log, firmware variables, new disk images. */
  readonly dir: string;
  /** Power on (again, after `powerOff` or a guest shutdown), with `changes` to boot or firmware. */
  start(changes?: MachineChanges): Promise<void>;
  /** Resolve when the guest's sshd sends its banner; reject with the console's last lines otherwise. */
  waitForSsh(timeoutMs: number): Promise<void>;
  /** Power-cycle: the guest gets no say. Disks and folder stay. */
  reboot(changes?: MachineChanges): Promise<void>;
  /** Ask the guest to power off (ACPI), pull the plug after `timeoutMs`. Disks and folder stay. */
  powerOff(timeoutMs?: number): Promise<void>;
  /** Cut the power at once, as a fault test does: no sync, no shutdown. Disks and folder stay. */
  powerCut(): Promise<void>;
  /** Plug the network cable out (`false`) or in (`true`), as a fault test cuts a link. */
  setLink(up: boolean): Promise<void>;
  /** Resolve when the machine stops by itself (a guest poweroff, or a reboot with `noReboot`). */
  waitForExit(timeoutMs: number): Promise<void>;
  /** Kill the machine and remove its folder if the machine made it. Idempotent. */
  stop(): Promise<void>;
  /** The last lines of the serial console, for failure messages. */
  consoleTail(lines?: number): string;
}
