import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { renderInstallScript } from "../../src/render/install-script.ts";

const inputs = {
  root: "/mnt",
  system: { kind: "tarball", path: "/mnt/.groundwork-system.tar.zst" },
  fstab: [
    {
      source: { kind: "partlabel", label: "disk-main-root" },
      mountpoint: "/",
      fsType: "ext4",
      options: ["defaults"],
      pass: 1,
    },
    {
      source: { kind: "uuid", device: { kind: "partition", disk: "/dev/sda", number: 2 } },
      mountpoint: "/boot",
      fsType: "vfat",
      options: ["umask=0077"],
      pass: 2,
    },
  ],
  crypttab: [],
  resume: undefined,
  activationScript: "#!/bin/sh\necho 'activated'\n",
  hostKey: {
    privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n",
    publicKey: "ssh-ed25519 AAAA root@web1",
  },
  grub: { biosDevices: ["/dev/sda"], efiDirectory: "/boot", efiRemovable: true },
  generation: { "info.json": '{"number":1}\n' },
} as const;

test("renders an install script that sh can parse", () => {
  execFileSync("/bin/sh", ["-n"], { input: renderInstallScript(inputs) });
});

test("installs GRUB for BIOS on each device and for EFI on the removable path", () => {
  const script = renderInstallScript(inputs);
  assert.match(script, /chroot \/mnt grub-install --target=i386-pc \/dev\/sda/);
  assert.match(
    script,
    /grub-install --target=x86_64-efi --efi-directory=\/boot --bootloader-id=debian --removable --no-nvram/,
  );
  assert.match(script, /chroot \/mnt update-grub/);
});

test("writes fstab by label, and by the UUID it reads on the target for partitions without one", () => {
  const script = renderInstallScript(inputs);
  assert.ok(
    script.includes("printf '%s\\n' 'PARTLABEL=disk-main-root / ext4 defaults 0 1' >> /mnt/etc/fstab"),
  );
  assert.ok(script.includes('uuid=$(blkid -s UUID -o value "$(partition_device /dev/sda 2)")'));
});

test("writes crypttab by the LUKS UUID it reads on the target, and the kernel parameters that open them at boot", () => {
  const plain = renderInstallScript(inputs);
  assert.ok(!plain.includes("crypttab") && !plain.includes("60-groundwork-disks.cfg"));
  const script = renderInstallScript({
    ...inputs,
    crypttab: [
      {
        kind: "luks",
        name: "crypted",
        device: { kind: "partition", disk: "/dev/sda", number: 3 },
        options: ["luks", "initramfs", "discard"],
      },
      { kind: "luks", name: "later", device: { kind: "path", path: "/dev/pool/secret" }, options: ["luks"] },
    ],
    resume: { kind: "path", path: "/dev/pool/swap" },
  });
  execFileSync("/bin/sh", ["-n"], { input: script });
  assert.ok(script.includes('uuid=$(cryptsetup luksUUID "$(partition_device /dev/sda 3)")'));
  assert.ok(
    script.includes(
      "printf '%s%s%s\\n' 'crypted UUID=' \"$uuid\" ' none luks,initramfs,discard' >> /mnt/etc/crypttab",
    ),
  );
  assert.ok(script.includes('params="$params cryptopts=target=crypted,source=UUID=$uuid,luks,discard"'));
  // A device opened after the initramfs is in crypttab only.
  assert.ok(script.includes("uuid=$(cryptsetup luksUUID /dev/pool/secret)"));
  assert.ok(!script.includes("cryptopts=target=later"));
  assert.ok(script.includes('params="$params resume=UUID=$uuid"'));
  assert.ok(!script.includes("update-initramfs"), "the image's initramfs serves as it is");
  const snippet = script.indexOf("60-groundwork-disks.cfg");
  assert.ok(snippet > 0 && snippet < script.indexOf("update-grub"));
});

test("the kernel parameters reach GRUB as words after its own", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "groundwork-params-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const script = renderInstallScript({
    ...inputs,
    root: dir,
    crypttab: [
      {
        kind: "luks",
        name: "crypted",
        device: { kind: "path", path: "/dev/x" },
        options: ["luks", "initramfs"],
      },
    ],
  });
  // Only the boot-params lines, with the UUID the target would read.
  const lines = script.split("\n");
  const from = lines.indexOf("step boot-params");
  const body = lines.slice(from + 1, from + 3).join("\n");
  execFileSync("/bin/sh", ["-euc", `params=' cryptopts=target=crypted,source=UUID=1234-ab,luks'\n${body}`]);
  const cfg = readFileSync(join(dir, "etc/default/grub.d/60-groundwork-disks.cfg"), "utf8");
  assert.equal(
    cfg,
    'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX cryptopts=target=crypted,source=UUID=1234-ab,luks"\n',
  );
  const sourced = execFileSync(
    "/bin/sh",
    [
      "-c",
      `GRUB_CMDLINE_LINUX='console=ttyS0'; . '${join(dir, "etc/default/grub.d/60-groundwork-disks.cfg")}'; printf %s "$GRUB_CMDLINE_LINUX"`,
    ],
    { encoding: "utf8" },
  );
  assert.equal(sourced, "console=ttyS0 cryptopts=target=crypted,source=UUID=1234-ab,luks");
});

test("builds the system on the target with debootstrap for --build-on remote", () => {
  const script = renderInstallScript({
    ...inputs,
    system: {
      kind: "debootstrap",
      suite: "bookworm",
      mirror: "http://deb.debian.org/debian",
      packages: ["linux-image-amd64", "openssh-server"],
    },
  });
  execFileSync("/bin/sh", ["-n"], { input: script });
  assert.match(
    script,
    /debootstrap --variant=minbase --include=linux-image-amd64,openssh-server bookworm \/mnt http:\/\/deb\.debian\.org\/debian/,
  );
  assert.match(script, /rm -f \/mnt\/etc\/ssh\/ssh_host_\*/);
});
