import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../../src/cli/main.ts";
import { bootUntilDisksNamed } from "../../src/execute/install-test-machines.ts";
import {
  buildInstaller,
  describeInstaller,
  type InstallerImage,
} from "../../src/image/installer/build-installer.ts";
import {
  INSTALLER_APPEND,
  type InstallerRunConfig,
  writeRunInitrd,
} from "../../src/image/installer/run-config.ts";
import { detectAccelerator } from "../../src/vm/accel.ts";
import { DEFAULT_MAC, type QemuOptions } from "../../src/vm/qemu-arguments.ts";
import { QemuMachine } from "../../src/vm/qemu-machine.ts";

const skip = process.getuid?.() !== 0 && "needs root for mmdebstrap";
const BOOT_TIMEOUT_MS = 180_000;

let installer: Promise<InstallerImage> | undefined;
/** Built once per run (and cached across runs). */
function theInstaller(): Promise<InstallerImage> {
  installer ??= buildInstaller();
  return installer;
}

/** A throwaway folder with an ed25519 key pair made by ssh-keygen. */
function keyPair(dir: string, name: string): { file: string; publicKey: string } {
  const file = join(dir, name);
  const made = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", file]);
  assert.equal(made.status, 0, made.stderr?.toString());
  return { file, publicKey: readFileSync(`${file}.pub`, "utf8").trim() };
}

/** Run `script` with sh on the machine as root, through the system ssh client. */
function onMachine(port: number, key: string, script: string): string {
  const result = spawnSync(
    "ssh",
    [
      ...["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"],
      ...[
        "-o",
        "BatchMode=yes",
        "-o",
        "ConnectTimeout=20",
        "-i",
        key,
        "-p",
        String(port),
        "root@127.0.0.1",
        "sh -s",
      ],
    ],
    { input: `set -eu\n${script}`, encoding: "utf8", timeout: 240_000 },
  );
  assert.equal(
    result.status,
    0,
    `${script}\nfailed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`,
  );
  return result.stdout;
}

/** Boot the installer with `config` in its run cpio; the machine is stopped when the test ends. */
async function bootInstaller(
  t: { after: (fn: () => Promise<void>) => void; diagnostic: (message: string) => void },
  image: InstallerImage,
  dir: string,
  config: InstallerRunConfig,
  options: Partial<QemuOptions> = {},
): Promise<QemuMachine> {
  const initrd = join(dir, `initrd-${Date.now()}`);
  await writeRunInitrd(image.initrd, config, initrd);
  const started = Date.now();
  const machine = await QemuMachine.start({
    memoryMiB: 1024,
    firmware: "bios",
    disks: [{ device: "/dev/sda", size: "4G" }],
    boot: { kernel: image.kernel, initrd, append: INSTALLER_APPEND },
    ...options,
  });
  t.after(() => machine.stop());
  try {
    await machine.waitForSsh(BOOT_TIMEOUT_MS);
  } catch (error) {
    t.diagnostic(machine.consoleTail());
    throw error;
  }
  t.diagnostic(
    `${await detectAccelerator()}: SSH answered ${((Date.now() - started) / 1000).toFixed(1)} s after QEMU started`,
  );
  return machine;
}

test("the installer boots from RAM with 1 GB, lets in the run's key and carries the disk tools", {
  skip,
  timeout: 1_200_000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "groundwork-installer-test-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const buildStarted = Date.now();
  const image = await theInstaller();
  t.diagnostic(`${describeInstaller(image)} in ${((Date.now() - buildStarted) / 1000).toFixed(1)} s`);
  const again = Date.now();
  assert.equal((await buildInstaller()).manifest.hash, image.manifest.hash);
  assert.ok(Date.now() - again < 1000, "a second build comes from the cache");
  assert.ok(image.manifest.unpackedBytes < 400 * 2 ** 20, "leaves most of 1 GB free");
  const lines: string[] = [];
  const code = await main(["installer", "build"], {
    stdout: (line) => lines.push(line),
    stderr: (line) => lines.push(line),
  });
  assert.equal(code, 0, lines.join("\n"));
  assert.match(lines.join("\n"), /MiB compressed, [\d.]+ MiB unpacked, cached\n.*vmlinuz\n.*initrd\.zst/);

  const key = keyPair(dir, "id_ed25519");
  const machine = await bootInstaller(t, image, dir, { authorizedKeys: [key.publicKey] });
  const run = (script: string) => onMachine(machine.sshPort, key.file, script);

  const disks = JSON.parse(run("lsblk --json --bytes --nodeps -o NAME,SIZE,TYPE")) as {
    blockdevices: { name: string; size: number; type: string }[];
  };
  assert.deepEqual(
    disks.blockdevices.filter((disk) => disk.type === "disk"),
    [{ name: "sda", size: 4 * 2 ** 30, type: "disk" }],
  );

  assert.equal(run("cat /etc/groundwork-installer").trim(), image.manifest.hash);
  const versions = run(
    [
      "sgdisk --version",
      "mkfs.vfat --help 2>&1 | head -n 1",
      "mkfs.xfs -V",
      "mkfs.btrfs --version",
      "mkfs.ext4 -V 2>&1 | head -n 1",
      "cryptsetup --version",
      "lvm version | head -n 1",
      "mdadm --version 2>&1",
      "grub-install --version",
      "kexec --version",
      "zstd --version",
      "tar --version | head -n 1",
      "debootstrap --version",
    ].join("\n"),
  );
  for (const tool of [
    "GPT fdisk",
    "mkfs.vfat",
    "mkfs.xfs",
    "btrfs-progs",
    "mke2fs",
    "cryptsetup",
    "LVM",
    "mdadm",
    "grub-install",
    "kexec-tools",
    "Zstandard",
    "GNU tar",
    "debootstrap",
  ])
    assert.match(versions, new RegExp(tool), tool);

  const free = run("free -m");
  const available = Number(/^Mem:(?:\s+\d+){5}\s+(\d+)/m.exec(free)?.[1]);
  t.diagnostic(`memory with the installer running:\n${free.trimEnd()}`);
  assert.ok(available > 600, `at least 600 MiB of 1 GiB stay available (${available})`);

  // PID 1 is the installer's /init, and it reaps the orphans handed to it.
  assert.equal(run("tr '\\0' ' ' < /proc/1/cmdline").trim(), "/bin/sh /init");
  assert.equal(run("sh -c 'sleep 1 &'; sleep 3; ps -eo stat= | grep -c '^Z' || :").trim(), "0");

  // What the install phase does from the installer: partition, make every kind of filesystem, dm-crypt, and
  // install GRUB for BIOS and EFI into the mounted target.
  run(`
    sgdisk -Z /dev/sda >/dev/null
    sgdisk -n1:0:+1M -t1:ef02 -c1:bios -n2:0:+100M -t2:ef00 -c2:esp -n3:0:+1G -t3:8300 -c3:root \\
      -n4:0:+600M -c4:xfs -n5:0:+600M -c5:btrfs -n6:0:+200M -c6:crypt \
      -n7:0:+64M -c7:md-a -n8:0:+64M -c8:md-b /dev/sda >/dev/null
    udevadm settle
    test -e /dev/disk/by-partlabel/root
    mkfs.vfat -F 32 -n ESP /dev/disk/by-partlabel/esp >/dev/null
    mkfs.ext4 -q -L root /dev/disk/by-partlabel/root
    mkfs.xfs -q -f /dev/disk/by-partlabel/xfs
    mkfs.btrfs -q -f /dev/disk/by-partlabel/btrfs
    printf secret > /tmp/key
    cryptsetup luksFormat -q --pbkdf pbkdf2 --pbkdf-force-iterations 1000 --key-file /tmp/key /dev/disk/by-partlabel/crypt
    cryptsetup open --key-file /tmp/key /dev/disk/by-partlabel/crypt secret
    mkfs.ext4 -q /dev/mapper/secret
    mount /dev/disk/by-partlabel/root /mnt
    mkdir -p /mnt/boot/efi /mnt/xfs /mnt/btrfs /mnt/secret
    mount /dev/disk/by-partlabel/esp /mnt/boot/efi
    mount /dev/disk/by-partlabel/xfs /mnt/xfs
    mount /dev/disk/by-partlabel/btrfs /mnt/btrfs
    mount /dev/mapper/secret /mnt/secret
    grub-install --target=i386-pc --boot-directory=/mnt/boot /dev/sda 2>&1
    grub-install --target=x86_64-efi --efi-directory=/mnt/boot/efi --boot-directory=/mnt/boot --removable --no-nvram 2>&1
    test -s /mnt/boot/grub/i386-pc/core.img
    test -s /mnt/boot/efi/EFI/BOOT/BOOTX64.EFI
    findmnt -n -o FSTYPE /mnt/boot/efi /mnt/xfs /mnt/btrfs /mnt/secret | tr '\\n' ' '
  `);
  assert.match(run("findmnt -n -o FSTYPE -R /mnt | sort | tr '\\n' ' '"), /btrfs ext4 ext4 vfat xfs/);

  // An old RAID array on the disks stays stopped when udev sees its members again (as after kexec), so the
  // disk phase finds the disks free.
  run(`
    yes | mdadm --create /dev/md/old --run --level=1 --raid-devices=2 --metadata=1.2 \\
      /dev/disk/by-partlabel/md-a /dev/disk/by-partlabel/md-b >/dev/null 2>&1
    grep -q '^md.* active raid1' /proc/mdstat
    mdadm --stop /dev/md/old >/dev/null 2>&1
    udevadm trigger --action=add "$(readlink -f /dev/disk/by-partlabel/md-a)" "$(readlink -f /dev/disk/by-partlabel/md-b)"
    udevadm settle
  `);
  assert.equal(run("grep -c '^md' /proc/mdstat || :").trim(), "0", "no array was assembled again");
  assert.equal(run("mdadm --examine /dev/disk/by-partlabel/md-a | grep -c 'Raid Level : raid1'").trim(), "1");
});

test("the installer keeps a static address, the given host key and sshd port instead of DHCP", {
  skip,
  timeout: 1_200_000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "groundwork-installer-test-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const image = await theInstaller();
  const key = keyPair(dir, "id_ed25519");
  const hostKey = keyPair(dir, "ssh_host_ed25519_key");
  // QEMU's DHCP would give 10.0.2.15: SSH reaches 10.0.2.20:2222 only if the static configuration was applied.
  const machine = await bootInstaller(
    t,
    image,
    dir,
    {
      authorizedKeys: [key.publicKey],
      hostKeys: [
        { type: "ed25519", privateKey: readFileSync(hostKey.file, "utf8"), publicKey: hostKey.publicKey },
      ],
      network: {
        interfaces: [{ mac: DEFAULT_MAC, addresses: ["10.0.2.20/24"], gateways: ["10.0.2.2"] }],
        nameservers: ["10.0.2.3"],
      },
      sshPort: 2222,
    },
    { disks: [], sshGuest: { address: "10.0.2.20", port: 2222 } },
  );
  const scan = spawnSync("ssh-keyscan", ["-t", "ed25519", "-p", String(machine.sshPort), "127.0.0.1"], {
    encoding: "utf8",
  });
  assert.equal(
    scan.stdout.trim().split(/\s+/).slice(1, 3).join(" "),
    hostKey.publicKey.split(" ").slice(0, 2).join(" "),
  );

  const run = (script: string) => onMachine(machine.sshPort, key.file, script);
  const addresses = JSON.parse(run("ip -j -4 addr show dev eth0")) as {
    addr_info: { local: string; prefixlen: number }[];
  }[];
  assert.deepEqual(
    addresses[0]?.addr_info.map((info) => `${info.local}/${info.prefixlen}`),
    ["10.0.2.20/24"],
  );
  const routes = JSON.parse(run("ip -j route show default")) as { gateway: string; dev: string }[];
  assert.deepEqual(
    routes.map((route) => [route.gateway, route.dev]),
    [["10.0.2.2", "eth0"]],
  );
  assert.equal(run("cat /etc/resolv.conf").trim(), "nameserver 10.0.2.3");
  assert.equal(run("pgrep -c udhcpc || true").trim(), "0", "no DHCP client runs on a static interface");
});

test("disks appear under the names a layout declares: SCSI, SATA, virtio, NVMe and by-id", {
  skip,
  timeout: 600_000,
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "groundwork-installer-test-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const key = keyPair(dir, "id_ed25519");
  // A fixed host key: a power-cycled installer must show the key known_hosts recorded at its first boot.
  const hostKey = keyPair(dir, "ssh_host_ed25519_key");
  const names = ["/dev/sda", "/dev/sdb", "/dev/vda", "/dev/nvme0n1", "/dev/disk/by-id/virtio-data1"];
  const disks = names.map((device, index) => ({ device, size: `${index + 1}G` }));
  const machine = await bootInstaller(
    t,
    await theInstaller(),
    dir,
    {
      authorizedKeys: [key.publicKey],
      hostKeys: [
        { type: "ed25519", privateKey: readFileSync(hostKey.file, "utf8"), publicKey: hostKey.publicKey },
      ],
    },
    { disks },
  );
  // sda and sdb are probed in parallel: a boot that names them the other way round is power-cycled.
  const reboots: string[] = [];
  await bootUntilDisksNamed(
    machine,
    { identityFile: key.file, knownHostsFile: join(dir, "known_hosts"), sudo: false },
    disks,
    (line) => reboots.push(line),
  );
  if (reboots.length > 0) t.diagnostic(reboots.join("\n"));
  const sizes = onMachine(
    machine.sshPort,
    key.file,
    `udevadm settle; for disk in ${names.join(" ")}; do printf '%s %s\\n' "$disk" "$(blockdev --getsize64 "$(readlink -f "$disk")")"; done`,
  );
  assert.deepEqual(
    sizes.trim().split("\n"),
    names.map((device, index) => `${device} ${(index + 1) * 2 ** 30}`),
    "each declared name is the disk of that size",
  );
  // SATA, when asked for: the AHCI controller names its disks sdX too.
  const sata = await bootInstaller(
    t,
    await theInstaller(),
    dir,
    { authorizedKeys: [key.publicKey] },
    {
      disks: [{ device: "/dev/sda", size: "2G" }],
      sdBus: "sata",
    },
  );
  assert.match(onMachine(sata.sshPort, key.file, "lsblk -dn -o NAME,TRAN,SIZE /dev/sda"), /^sda\s+sata\s+2G/);
});
