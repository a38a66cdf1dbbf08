import assert from "node:assert/strict";
import { test } from "node:test";
import { isKeptModule, parseModulesDep, selectModules } from "../../src/image/installer/kernel-modules.ts";

const MODULES_DEP = `kernel/fs/ext4/ext4.ko: kernel/lib/crc16.ko kernel/fs/mbcache.ko kernel/fs/jbd2/jbd2.ko
kernel/fs/mbcache.ko:
kernel/fs/jbd2/jbd2.ko:
kernel/lib/crc16.ko:
kernel/sound/core/snd.ko: kernel/sound/core/snd-timer.ko
kernel/sound/core/snd-timer.ko:
kernel/drivers/scsi/lpfc/lpfc.ko: kernel/drivers/scsi/scsi_transport_fc.ko
kernel/drivers/scsi/scsi_transport_fc.ko:
kernel/drivers/message/fusion/mptfc.ko: kernel/drivers/scsi/scsi_transport_fc.ko
kernel/drivers/net/virtio_net.ko.xz: kernel/drivers/net/net_failover.ko.xz
kernel/drivers/net/net_failover.ko.xz: kernel/net/core/failover.ko.xz
kernel/net/core/failover.ko.xz:
`;

test("keeps the listed modules and what they need, and nothing else", () => {
  const kept = ["kernel/fs/ext4/", "kernel/drivers/net/virtio_net.ko"];
  assert.deepEqual(selectModules(parseModulesDep(MODULES_DEP), kept), [
    "kernel/drivers/net/net_failover.ko.xz",
    "kernel/drivers/net/virtio_net.ko.xz",
    "kernel/fs/ext4/ext4.ko",
    "kernel/fs/jbd2/jbd2.ko",
    "kernel/fs/mbcache.ko",
    "kernel/lib/crc16.ko",
    "kernel/net/core/failover.ko.xz",
  ]);
});

test("an excluded module stays out unless a kept one needs it", () => {
  const kept = [
    "kernel/drivers/scsi/",
    "kernel/drivers/message/",
    "!kernel/drivers/scsi/lpfc/",
    "!kernel/drivers/scsi/scsi_transport_fc.ko",
  ];
  assert.equal(isKeptModule("kernel/drivers/scsi/lpfc/lpfc.ko", kept), false);
  assert.deepEqual(selectModules(parseModulesDep(MODULES_DEP), kept), [
    "kernel/drivers/message/fusion/mptfc.ko",
    "kernel/drivers/scsi/scsi_transport_fc.ko",
  ]);
});

test("the default selection has disks, ethernet and the layout's filesystems but no sound", () => {
  for (const module of [
    "kernel/drivers/scsi/virtio_scsi.ko",
    "kernel/drivers/block/virtio_blk.ko",
    "kernel/drivers/nvme/host/nvme.ko",
    "kernel/drivers/ata/ahci.ko",
    "kernel/drivers/net/ethernet/intel/e1000/e1000.ko",
    "kernel/drivers/net/virtio_net.ko",
    "kernel/drivers/md/dm-crypt.ko",
    "kernel/drivers/md/raid1.ko",
    "kernel/fs/fat/vfat.ko",
    "kernel/fs/xfs/xfs.ko",
    "kernel/fs/btrfs/btrfs.ko",
  ])
    assert.ok(isKeptModule(module), module);
  assert.equal(isKeptModule("kernel/sound/core/snd.ko"), false);
  assert.equal(isKeptModule("kernel/drivers/gpu/drm/drm.ko"), false);
  assert.equal(isKeptModule("kernel/drivers/scsi/qla2xxx/qla2xxx.ko"), false);
});
