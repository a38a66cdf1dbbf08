import { InternalError } from "../errors/index.ts";
import { type Accelerator, cpuModel, MACHINE_TYPE } from "./accel.ts";
import { diskAttachments } from "./disk-attachment.ts";
import type { BootSource, Firmware, MachineDisk } from "./machine.ts";

/** The UEFI firmware (OVMF), and the variables each machine gets its own copy of. */
export const OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd";
export const OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd";

/** A machine as its maker declares it: what it boots, its disks, firmware, memory and network. */
export interface QemuOptions {
  readonly boot: BootSource;
  readonly memoryMiB?: number;
  readonly cpus?: number;
  readonly firmware?: Firmware;
  readonly disks?: readonly MachineDisk[];
  /** /dev/sdX as virtio-scsi (default) or SATA disks. */
  readonly sdBus?: "scsi" | "sata";
  /** The machine's folder; without it a temporary one, removed by `stop()`. */
  readonly dir?: string;
  /** Probed once per process when unset. */
  readonly accel?: Accelerator;
  /** Exit instead of rebooting, so that the next start can boot something else. */
  readonly noReboot?: boolean;
  /** Forwarded from 127.0.0.1 to the guest's port 22; a free one when unset. */
  readonly sshPort?: number;
  /** Where in the guest the SSH port leads: by default port 22 of the address QEMU's DHCP gives (10.0.2.15). */
  readonly sshGuest?: { readonly address?: string; readonly port?: number };
  /** The MAC address of the machine's one network card. */
  readonly mac?: string;
  readonly nic?: "virtio-net-pci" | "e1000";
}

/** The MAC address of a machine's network card unless given. */
export const DEFAULT_MAC = "52:54:00:12:34:56";

/** The QEMU command line of a machine whose disks are ready. */
export function qemuArguments(
  options: QemuOptions & { readonly accel: Accelerator; readonly firmware: Firmware },
  files: {
    readonly sshPort: number;
    readonly consoleLog: string;
    /** The serial console's socket: what is written to it is typed on the console (a LUKS passphrase). */
    readonly consoleSocket: string;
    readonly qmpSocket: string;
    readonly varsFile: string;
  },
  disks: readonly {
    readonly device: string;
    readonly image: string;
    readonly format: string;
    readonly boot: boolean;
  }[],
): string[] {
  const guest = options.sshGuest ?? {};
  const args = [
    ...["-accel", options.accel, "-cpu", cpuModel(options.accel), "-machine", MACHINE_TYPE],
    ...["-m", String(options.memoryMiB ?? 1024), "-smp", String(options.cpus ?? 2)],
    // No default devices (the CD-ROM would take a SATA port), but a VGA card: GRUB hangs under SeaBIOS without one.
    ...["-nodefaults", "-vga", "std", "-display", "none", "-monitor", "none"],
    // The console goes to its log whether or not a program is connected to its socket to type on it.
    ...[
      "-chardev",
      `socket,id=console,path=${files.consoleSocket},server=on,wait=off,logfile=${files.consoleLog},logappend=on`,
      "-serial",
      "chardev:console",
    ],
    ...["-qmp", `unix:${files.qmpSocket},server=on,wait=off`],
    ...[
      "-netdev",
      `user,id=net0,hostfwd=tcp:127.0.0.1:${files.sshPort}-${guest.address ?? ""}:${guest.port ?? 22}`,
    ],
    ...["-device", `${options.nic ?? "virtio-net-pci"},netdev=net0,mac=${options.mac ?? DEFAULT_MAC}`],
  ];
  if (options.noReboot === true) args.push("-no-reboot");
  if (options.firmware === "uefi") {
    args.push("-drive", `if=pflash,format=raw,readonly=on,file=${OVMF_CODE}`);
    args.push("-drive", `if=pflash,format=raw,file=${files.varsFile}`);
  }
  const attachments = diskAttachments(
    disks.map((disk) => disk.device),
    options.sdBus === undefined ? {} : { sdBus: options.sdBus },
  );
  if (attachments.some((attachment) => attachment.bus === "scsi"))
    args.push("-device", "virtio-scsi-pci,id=scsi0");
  // In the order the guest numbers them: by kind, then position; by-id disks (any position) after the named
  // ones, so that they do not take /dev/vda.
  const position = (index: number | undefined) =>
    index === undefined || index < 0 ? Number.MAX_SAFE_INTEGER : index;
  const order = disks
    .map((disk, i) => ({ disk, attachment: attachments[i], drive: `disk${i}` }))
    .sort(
      (a, b) =>
        (a.attachment?.bus ?? "").localeCompare(b.attachment?.bus ?? "") ||
        position(a.attachment?.index) - position(b.attachment?.index),
    );
  for (const { disk, attachment, drive } of order) {
    if (attachment === undefined) throw new InternalError("a disk without attachment");
    const file = disk.image.replaceAll(",", ",,");
    args.push("-drive", `file=${file},format=${disk.format},if=none,id=${drive},cache=unsafe,discard=unmap`);
    const boot = disk.boot && options.boot === "disk" ? ",bootindex=1" : "";
    args.push("-device", `${attachment.device(drive)}${boot}`);
  }
  if (options.boot !== "disk") {
    args.push("-kernel", options.boot.kernel, "-initrd", options.boot.initrd, "-append", options.boot.append);
  }
  return args;
}
