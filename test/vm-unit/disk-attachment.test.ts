import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseDiskNames } from "../../src/facts/disk-names.ts";
import { renderDiskNamesScript } from "../../src/render/disk-names-script.ts";
import { diskAttachment, diskAttachments, probeOrderedDisks } from "../../src/vm/disk-attachment.ts";
import { createImage } from "../../src/vm/disk-image.ts";
import { qemuArguments } from "../../src/vm/qemu-arguments.ts";

// Unit tests: the QEMU arguments for each device name; the VM tests prove the guest sees those names.
test("maps each Linux disk name to the QEMU device that makes it", () => {
  const table: [string, "scsi" | "sata" | undefined, string][] = [
    ["/dev/sda", undefined, "scsi-hd,drive=d,bus=scsi0.0,channel=0,scsi-id=0,lun=0,serial=gw-sda"],
    ["/dev/sdc", undefined, "scsi-hd,drive=d,bus=scsi0.0,channel=0,scsi-id=2,lun=0,serial=gw-sdc"],
    ["/dev/sdb", "sata", "ide-hd,drive=d,bus=ide.1,serial=gw-sdb"],
    ["/dev/vda", undefined, "virtio-blk-pci,drive=d"],
    ["/dev/disk/by-id/virtio-boot1", undefined, "virtio-blk-pci,drive=d,serial=boot1"],
    ["/dev/nvme0n1", undefined, "nvme,drive=d,serial=gw-nvme0"],
  ];
  for (const [device, sdBus, expected] of table)
    assert.equal(diskAttachment(device, sdBus === undefined ? {} : { sdBus }).device("d"), expected, device);
});

test("refuses disk names a test machine cannot produce, saying which it can", () => {
  for (const device of ["/dev/xvda", "/dev/hda", "/dev/mmcblk0", "/dev/nvme0n2", "/dev/sda1", "sda"])
    assert.throws(() => diskAttachment(device), /cannot show a disk as .*use \/dev\/sdX/, device);
  assert.throws(() => diskAttachment("/dev/sdg", { sdBus: "sata" }), /6 SATA ports/);
});

test("refuses a set of disks the guest would name differently", () => {
  assert.throws(() => diskAttachments(["/dev/sdb"]), /first is always \/dev\/sda/);
  assert.throws(() => diskAttachments(["/dev/vda", "/dev/vdc"]), /\/dev\/vda/);
  assert.throws(() => diskAttachments(["/dev/nvme1n1"]), /\/dev\/nvme0n1/);
  assert.throws(() => diskAttachments(["/dev/sda", "/dev/sda"]), /both \/dev\/sda/);
  assert.equal(diskAttachments(["/dev/sdb", "/dev/vda", "/dev/sda", "/dev/nvme0n1"]).length, 4);
});

test("orders disks as the guest numbers them and boots the chosen one", () => {
  const args = qemuArguments(
    { boot: "disk", accel: "tcg", firmware: "bios" },
    {
      sshPort: 2222,
      consoleLog: "/tmp/c.log",
      consoleSocket: "/tmp/c.sock",
      qmpSocket: "/tmp/q.sock",
      varsFile: "/tmp/vars.fd",
    },
    [
      { device: "/dev/sdb", image: "/tmp/b.img", format: "raw", boot: false },
      { device: "/dev/sda", image: "/tmp/a,1.img", format: "qcow2", boot: true },
    ],
  );
  const devices = args.filter((_, i) => args[i - 1] === "-device");
  assert.deepEqual(devices.slice(-3), [
    "virtio-scsi-pci,id=scsi0",
    "scsi-hd,drive=disk1,bus=scsi0.0,channel=0,scsi-id=0,lun=0,serial=gw-sda,bootindex=1",
    "scsi-hd,drive=disk0,bus=scsi0.0,channel=0,scsi-id=1,lun=0,serial=gw-sdb",
  ]);
  assert.ok(args.includes("file=/tmp/a,,1.img,format=qcow2,if=none,id=disk1,cache=unsafe,discard=unmap"));
  assert.ok(args.includes("user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22"));
});

test("makes sparse raw images of a layout's sizes, and refuses what is not one", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "groundwork-image-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const table: [string, string | number, number][] = [
    ["a", "4G", 4 * 2 ** 30],
    ["b", "512M", 512 * 2 ** 20],
    ["c", "1GiB", 2 ** 30],
    ["d", 1000, 1000],
  ];
  for (const [name, size, bytes] of table) {
    await createImage(join(dir, name), "raw", size);
    const file = await stat(join(dir, name));
    assert.equal(file.size, bytes, String(size));
    assert.equal(file.blocks, 0, `${size} is sparse`);
  }
  await assert.rejects(createImage(join(dir, "e"), "raw", "4 gigs"), /not a disk size/);
  await assert.rejects(createImage(join(dir, "f"), "raw", "100%"), /not a disk size/);
  await assert.rejects(createImage(join(dir, "a"), "raw", "1G"), /EEXIST/);
});

test("a virtio disk named by id comes after /dev/vda, which keeps its name", () => {
  const args = qemuArguments(
    { boot: "disk", accel: "tcg", firmware: "bios" },
    {
      sshPort: 2222,
      consoleLog: "/tmp/c.log",
      consoleSocket: "/tmp/c.sock",
      qmpSocket: "/tmp/q.sock",
      varsFile: "/tmp/vars.fd",
    },
    [
      { device: "/dev/disk/by-id/virtio-data1", image: "/tmp/d.img", format: "raw", boot: false },
      { device: "/dev/vda", image: "/tmp/a.img", format: "raw", boot: true },
    ],
  );
  const devices = args.filter((_, i) => args[i - 1] === "-device");
  assert.deepEqual(devices.slice(-2), [
    "virtio-blk-pci,drive=disk1,bootindex=1",
    "virtio-blk-pci,drive=disk0,serial=data1",
  ]);
});

test("several SCSI, SATA or NVMe disks are named in probe order, so each is told by its serial", () => {
  assert.deepEqual(probeOrderedDisks(["/dev/sda", "/dev/vda", "/dev/nvme0n1"]), []);
  assert.deepEqual(probeOrderedDisks(["/dev/vda", "/dev/vdb", "/dev/disk/by-id/virtio-x"]), []);
  assert.deepEqual(probeOrderedDisks(["/dev/sdb", "/dev/vda", "/dev/sda"], { sdBus: "sata" }), [
    { device: "/dev/sdb", serial: "gw-sdb" },
    { device: "/dev/sda", serial: "gw-sda" },
  ]);
  assert.deepEqual(probeOrderedDisks(["/dev/nvme1n1", "/dev/nvme0n1"]), [
    { device: "/dev/nvme1n1", serial: "gw-nvme1" },
    { device: "/dev/nvme0n1", serial: "gw-nvme0" },
  ]);
});

test("the disk-names script's output reads back as serial → kernel name", () => {
  assert.deepEqual([...parseDiskNames("gw-sda /dev/sdb\ngw-sdb -\n\n").entries()], [["gw-sda", "/dev/sdb"]]);
  const script = renderDiskNamesScript(["gw-sda", "it's"]);
  assert.match(script, /\/dev\/disk\/by-id\/\*_gw-sda; do/);
  assert.match(script, /\*_'it'"'"'s'|\*_'it'\\''s'/);
});
