/**
 * Which of Debian's kernel modules the installer carries: what a RAM system needs to find disks, reach the
 * network and make the filesystems of a layout, on a virtual machine or on real hardware after kexec. Sound,
 * graphics, wireless, media and the like are left out: they are most of the 400 MB of modules.
 */
export const KEPT_MODULES: readonly string[] = [
  // Disks: SATA, SAS/SCSI and RAID controllers, NVMe (and Intel VMD in front of it), virtio, Hyper-V, Xen, eMMC, USB.
  "kernel/drivers/ata/",
  "kernel/drivers/scsi/",
  "kernel/drivers/nvme/",
  "kernel/drivers/pci/controller/vmd.ko",
  "kernel/drivers/block/",
  "kernel/drivers/message/",
  "kernel/drivers/virtio/",
  "kernel/drivers/hv/",
  "kernel/drivers/xen/",
  "kernel/drivers/mmc/",
  "kernel/drivers/usb/host/",
  "kernel/drivers/usb/storage/",
  // Device mapper (dm-crypt, LVM) and software RAID.
  "kernel/drivers/md/",
  // Ethernet, real and virtual.
  "kernel/drivers/net/ethernet/",
  "kernel/drivers/net/phy/",
  "kernel/drivers/net/mdio/",
  "kernel/drivers/net/pcs/",
  "kernel/drivers/net/vmxnet3/",
  "kernel/drivers/net/hyperv/",
  "kernel/drivers/net/xen-netfront.ko",
  "kernel/drivers/net/virtio_net.ko",
  "kernel/drivers/net/net_failover.ko",
  "kernel/drivers/net/mii.ko",
  "kernel/net/packet/",
  "kernel/drivers/char/virtio_console.ko",
  // Filesystems a layout may create, and the code pages vfat mounts with.
  "kernel/fs/ext4/",
  "kernel/fs/jbd2/",
  "kernel/fs/mbcache.ko",
  "kernel/fs/fat/",
  "kernel/fs/nls/",
  "kernel/fs/xfs/",
  "kernel/fs/btrfs/",
  "kernel/fs/f2fs/",
  "kernel/fs/efivarfs/",
  "kernel/fs/isofs/",
  "kernel/fs/squashfs/",
  "kernel/fs/overlayfs/",
  // Ciphers and checksums for dm-crypt, btrfs and RAID.
  "kernel/crypto/",
  "kernel/arch/x86/crypto/",
  "kernel/lib/",
  // Fibre Channel and iSCSI adapters, some 12 MB: groundwork installs onto local disks.
  ...["lpfc", "qla2xxx", "qla4xxx", "bfa", "qedf", "qedi", "bnx2fc", "bnx2i", "be2iscsi", "csiostor", "cxgbi"]
    .concat(["fcoe", "libfc", "fnic", "snic", "elx", "iscsi_tcp.ko", "libiscsi.ko", "libiscsi_tcp.ko"])
    .map((name) => `!kernel/drivers/scsi/${name}${name.endsWith(".ko") ? "" : "/"}`),
];

function matches(module: string, pattern: string): boolean {
  return pattern.endsWith("/")
    ? module.startsWith(pattern)
    : module === pattern || module.startsWith(`${pattern}.`);
}

/**
 * Is `module` (a path relative to the modules folder, as in modules.dep) kept: matched by a pattern (a folder
 * ending in `/`, or a `.ko` file) and by no exclusion (a pattern starting with `!`)?
 */
export function isKeptModule(module: string, kept: readonly string[] = KEPT_MODULES): boolean {
  const excluded = kept.filter((pattern) => pattern.startsWith("!")).map((pattern) => pattern.slice(1));
  return (
    kept.some((pattern) => !pattern.startsWith("!") && matches(module, pattern)) &&
    !excluded.some((pattern) => matches(module, pattern))
  );
}

/** Parse modules.dep: each module with the modules it needs. */
export function parseModulesDep(text: string): Map<string, string[]> {
  const dependencies = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const needs = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .filter((entry) => entry !== "");
    dependencies.set(line.slice(0, colon), needs);
  }
  return dependencies;
}

/** The kept modules and every module they need (excluded or not), transitively, sorted. */
export function selectModules(
  dependencies: ReadonlyMap<string, readonly string[]>,
  kept: readonly string[] = KEPT_MODULES,
): string[] {
  const selected = new Set<string>();
  const pending = [...dependencies.keys()].filter((module) => isKeptModule(module, kept));
  for (let module = pending.pop(); module !== undefined; module = pending.pop()) {
    if (selected.has(module)) continue;
    selected.add(module);
    for (const needed of dependencies.get(module) ?? []) if (!selected.has(needed)) pending.push(needed);
  }
  return [...selected].sort();
}
