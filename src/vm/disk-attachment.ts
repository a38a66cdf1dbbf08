import { UsageError } from "../errors/index.ts";

/** How a disk is attached: virtio-scsi or SATA (both /dev/sdX), virtio-blk (/dev/vdX), NVMe (/dev/nvmeXn1). */
export type DiskBus = "scsi" | "sata" | "virtio" | "nvme";

export interface DiskAttachment {
  readonly bus: DiskBus;
  /** Position among the disks of its kind: the guest names them in this order (sda, sdb, …). */
  readonly index: number;
  /** The `-device` value for a drive with id `drive`. */
  readonly device: (drive: string) => string;
  /** The serial the guest reads (udev's `/dev/disk/by-id/…_SERIAL`), where the disk has one. */
  readonly serial?: string;
}

/** SATA ports of the q35 machine's built-in AHCI controller. */
const SATA_PORTS = 6;

/**
 * How to attach a disk so that a Linux guest shows it as `devicePath`. `/dev/sdX` is a virtio-scsi disk (or, with
 * `sdBus: "sata"`, a disk on the AHCI controller), `/dev/vdX` virtio-blk, `/dev/nvmeXn1` an NVMe controller,
 * `/dev/disk/by-id/virtio-SERIAL` virtio-blk with that serial. Other names fail with what would work.
 */
export function diskAttachment(
  devicePath: string,
  options: { readonly sdBus?: "scsi" | "sata" } = {},
): DiskAttachment {
  const letter = (text: string) => text.charCodeAt(0) - 97;
  const sd = /^\/dev\/sd([a-z])$/.exec(devicePath);
  if (sd?.[1] !== undefined) {
    const index = letter(sd[1]);
    if (options.sdBus === "sata") {
      if (index >= SATA_PORTS)
        throw new UsageError(`a test machine has ${SATA_PORTS} SATA ports: ${devicePath} needs more`);
      return {
        bus: "sata",
        index,
        device: (drive) => `ide-hd,drive=${drive},bus=ide.${index},serial=gw-sd${sd[1]}`,
        serial: `gw-sd${sd[1]}`,
      };
    }
    return {
      bus: "scsi",
      index,
      device: (drive) =>
        `scsi-hd,drive=${drive},bus=scsi0.0,channel=0,scsi-id=${index},lun=0,serial=gw-sd${sd[1]}`,
      serial: `gw-sd${sd[1]}`,
    };
  }
  const vd = /^\/dev\/vd([a-z])$/.exec(devicePath);
  if (vd?.[1] !== undefined) {
    return { bus: "virtio", index: letter(vd[1]), device: (drive) => `virtio-blk-pci,drive=${drive}` };
  }
  const byId = /^\/dev\/disk\/by-id\/virtio-([A-Za-z0-9_-]{1,20})$/.exec(devicePath);
  const serial = byId?.[1];
  if (serial !== undefined) {
    // Any position: the name does not depend on the order.
    return {
      bus: "virtio",
      index: -1,
      device: (drive) => `virtio-blk-pci,drive=${drive},serial=${serial}`,
      serial,
    };
  }
  const nvme = /^\/dev\/nvme(\d)n1$/.exec(devicePath);
  if (nvme?.[1] !== undefined) {
    const index = Number(nvme[1]);
    return {
      bus: "nvme",
      index,
      device: (drive) => `nvme,drive=${drive},serial=gw-nvme${index}`,
      serial: `gw-nvme${index}`,
    };
  }
  const hint = /^\/dev\/nvme\d+n([2-9]|\d\d)$/.test(devicePath)
    ? " (a test machine gives each NVMe controller one namespace: use /dev/nvmeXn1)"
    : /^\/dev\/(hd|xvd)[a-z]$/.test(devicePath)
      ? " (IDE and Xen disks are not emulated: use /dev/sdX or /dev/vdX)"
      : "";
  throw new UsageError(
    `a test machine cannot show a disk as ${devicePath}${hint}: use /dev/sdX (SCSI or SATA), /dev/vdX (virtio), /dev/nvmeXn1 (NVMe) or /dev/disk/by-id/virtio-SERIAL, e.g. --disk main=/dev/vda`,
  );
}

/**
 * The attachments of a machine's disks, in the order to give them to QEMU (the order the guest numbers them).
 * The guest names disks of one kind by position, so `/dev/sdb` alone would appear as `/dev/sda`: each kind must
 * start at its first name and leave no gap.
 */
export function diskAttachments(
  devicePaths: readonly string[],
  options: { readonly sdBus?: "scsi" | "sata" } = {},
): DiskAttachment[] {
  const attachments = devicePaths.map((path) => diskAttachment(path, options));
  const seen = new Set<string>();
  for (const path of devicePaths) {
    if (seen.has(path)) throw new UsageError(`two disks of a test machine are both ${path}`);
    seen.add(path);
  }
  for (const bus of ["scsi", "sata", "virtio", "nvme"] as const) {
    const indexes = attachments.filter((a) => a.bus === bus && a.index >= 0).map((a) => a.index);
    const expected = indexes.length;
    if (indexes.some((index) => index >= expected)) {
      const names = devicePaths.filter((_, i) => attachments[i]?.bus === bus);
      throw new UsageError(
        `a test machine cannot show only ${names.join(", ")}: Linux names disks of one kind in order, so the first is always ${bus === "nvme" ? "/dev/nvme0n1" : bus === "virtio" ? "/dev/vda" : "/dev/sda"}. Declare the disks from the first name on.`,
      );
    }
  }
  return attachments;
}

/**
 * The disks whose names Linux gives in the order its drivers finish probing, which is not fixed: SCSI and SATA
 * disks (`sd` probes them in parallel) and NVMe controllers, where a machine has more than one of that kind. Each
 * with the serial that tells which disk it is. Empty when every name is certain.
 */
export function probeOrderedDisks(
  devicePaths: readonly string[],
  options: { readonly sdBus?: "scsi" | "sata" } = {},
): { readonly device: string; readonly serial: string }[] {
  const attachments = diskAttachments(devicePaths, options);
  const kinds = [["scsi", "sata"], ["nvme"]] as const;
  return kinds.flatMap((buses) => {
    const ofKind = devicePaths
      .map((device, i) => ({ device, attachment: attachments[i] }))
      .filter(
        ({ attachment }) => attachment !== undefined && (buses as readonly string[]).includes(attachment.bus),
      );
    if (ofKind.length < 2) return [];
    return ofKind.flatMap(({ device, attachment }) =>
      attachment?.serial === undefined ? [] : [{ device, serial: attachment.serial }],
    );
  });
}
