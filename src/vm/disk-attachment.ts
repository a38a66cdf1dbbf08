import { UsageError } from "../errors/index.ts";

/**
 * QEMU arguments that make a disk image appear in the guest under `device`: `/dev/sdX` as a virtio-scsi disk,
 * `/dev/vdX` as virtio-blk, `/dev/nvmeXn1` as NVMe, `/dev/disk/by-id/virtio-SERIAL` as virtio-blk with that
 * serial. `index` orders disks of one kind (sda before sdb).
 */
export function diskAttachment(
  device: string,
  image: string,
  index: number,
): { args: string[]; bus: "scsi" | "virtio" | "nvme" } {
  const drive = [
    "-drive",
    `file=${image.replaceAll(",", ",,")},format=raw,if=none,id=disk${index},cache=unsafe`,
  ];
  const scsi = /^\/dev\/sd([a-z])$/.exec(device);
  if (scsi !== null) {
    const target = (scsi[1] as string).charCodeAt(0) - 97;
    return {
      args: [...drive, "-device", `scsi-hd,drive=disk${index},bus=scsi0.0,channel=0,scsi-id=${target},lun=0`],
      bus: "scsi",
    };
  }
  if (/^\/dev\/vd[a-z]$/.test(device)) {
    return { args: [...drive, "-device", `virtio-blk-pci,drive=disk${index}`], bus: "virtio" };
  }
  const byId = /^\/dev\/disk\/by-id\/virtio-([A-Za-z0-9_-]{1,20})$/.exec(device);
  if (byId !== null) {
    return {
      args: [...drive, "-device", `virtio-blk-pci,drive=disk${index},serial=${byId[1]}`],
      bus: "virtio",
    };
  }
  const nvme = /^\/dev\/nvme(\d+)n1$/.exec(device);
  if (nvme !== null) {
    return {
      args: [...drive, "-device", `nvme,drive=disk${index},serial=groundwork${nvme[1]}`],
      bus: "nvme",
    };
  }
  throw new UsageError(
    `a test machine cannot show a disk as ${device}: use /dev/sdX, /dev/vdX, /dev/nvmeXn1 or /dev/disk/by-id/virtio-SERIAL, e.g. --disk NAME=/dev/vdb`,
  );
}

/** Order disks as the guest kernel numbers them: sda before sdb, vda before vdb. */
export function attachmentOrder(devices: readonly string[]): string[] {
  return [...devices].sort();
}
