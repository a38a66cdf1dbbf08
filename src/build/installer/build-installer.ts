import { chmod, copyFile, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { quote } from "../../render/quote.ts";
import { cachedFolder, inputHash } from "../cache.ts";
import { runTool } from "../run-tool.ts";
import { INITTAB, START_SCRIPT, UDHCPC_SCRIPT } from "./init-files.ts";
import { BUNDLED_TOOLS, buildToolsBundle } from "./tools-bundle.ts";

/** Everything the installer carries: sshd, the disk tools, kexec, debootstrap, busybox for init and DHCP. */
export const INSTALLER_PACKAGES = [
  "linux-image-amd64",
  "busybox",
  "udev",
  "kmod",
  "iproute2",
  "openssh-server",
  "gdisk",
  "parted",
  "fdisk",
  "dosfstools",
  "e2fsprogs",
  "xfsprogs",
  "btrfs-progs",
  "cryptsetup-bin",
  "lvm2",
  "mdadm",
  "zstd",
  "kexec-tools",
  "debootstrap",
  "ca-certificates",
  "sudo",
] as const;

/** Kernel modules a RAM system that partitions disks and talks over ethernet needs; the rest is left out. */
const KEPT_MODULE_DIRS = [
  "kernel/arch",
  "kernel/crypto",
  "kernel/lib",
  "kernel/fs",
  "kernel/block",
  "kernel/net/packet",
  "kernel/net/core",
  "kernel/drivers/ata",
  "kernel/drivers/block",
  "kernel/drivers/scsi",
  "kernel/drivers/nvme",
  "kernel/drivers/md",
  "kernel/drivers/virtio",
  "kernel/drivers/net/ethernet",
  "kernel/drivers/net/phy",
  "kernel/drivers/net/mdio",
  "kernel/drivers/net/pcs",
  "kernel/drivers/mmc",
  "kernel/drivers/usb/host",
  "kernel/drivers/usb/storage",
  "kernel/drivers/usb/core",
  "kernel/drivers/message",
  "kernel/drivers/char/virtio_console.ko",
  "kernel/drivers/net/virtio_net.ko",
  "kernel/drivers/net/net_failover.ko",
  "kernel/drivers/net/mii.ko",
];

const BUILDER_VERSION = 1;

export interface InstallerManifest {
  readonly hash: string;
  readonly kernelVersion: string;
  readonly packages: Readonly<Record<string, string>>;
  readonly compressedBytes: number;
  readonly unpackedBytes: number;
  readonly builtAt: string;
}

export interface InstallerImage {
  readonly kernel: string;
  readonly initrd: string;
  /** Tools for targets that lack them (see tools-bundle.ts). */
  readonly tools: string;
  readonly manifest: InstallerManifest;
  readonly cached: boolean;
}

/** Remove every module directory and file but the kept ones. */
async function trimModules(modules: string): Promise<void> {
  const keep = (relative: string) =>
    KEPT_MODULE_DIRS.some(
      (kept) => relative === kept || relative.startsWith(`${kept}/`) || kept.startsWith(`${relative}/`),
    );
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(modules, relative), { withFileTypes: true })) {
      const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
      if (!child.startsWith("kernel")) continue;
      if (!keep(child)) await rm(join(modules, child), { recursive: true, force: true });
      else if (
        entry.isDirectory() &&
        !KEPT_MODULE_DIRS.some((kept) => child === kept || child.startsWith(`${kept}/`))
      )
        await walk(child);
    }
  };
  await walk("");
}

/**
 * Build the installer from Debian's packages: Debian's kernel, and an initramfs holding a small Debian userland
 * that runs from RAM with sshd and the disk tools. Cached by its inputs.
 */
export async function buildInstaller(
  options: {
    readonly suite?: string;
    readonly mirror?: string;
    readonly cacheRoot?: string;
    readonly onProgress?: (line: string) => void;
  } = {},
): Promise<InstallerImage> {
  const suite = options.suite ?? "bookworm";
  const mirror = options.mirror ?? "http://deb.debian.org/debian";
  const onProgress = options.onProgress ?? (() => {});
  const hash = inputHash({
    builder: BUILDER_VERSION,
    suite,
    mirror,
    packages: INSTALLER_PACKAGES,
    tools: BUNDLED_TOOLS,
    modules: KEPT_MODULE_DIRS,
    START_SCRIPT,
    INITTAB,
    UDHCPC_SCRIPT,
  });
  const { dir, cached } = await cachedFolder(
    "installer",
    hash,
    async (work) => {
      const root = join(work, "root");
      await runTool(
        "mmdebstrap",
        [
          "--variant=minbase",
          `--include=${INSTALLER_PACKAGES.join(",")}`,
          ...[
            "/usr/share/doc/*",
            "/usr/share/man/*",
            "/usr/share/info/*",
            "/usr/share/locale/*",
            "/usr/share/lintian/*",
          ].map((path) => `--dpkgopt=path-exclude=${path}`),
          `--customize-hook=chroot "$1" dpkg-query -W -f='\${Package}\\t\${Version}\\n' > ${quote(join(work, "packages.tsv"))}`,
          suite,
          root,
          mirror,
        ],
        onProgress,
      );
      const kernelVersion = (await readdir(join(root, "usr/lib/modules")))[0] ?? "";
      await copyFile(join(root, "boot", `vmlinuz-${kernelVersion}`), join(work, "vmlinuz"));
      for (const path of [
        "boot",
        "var/cache/apt",
        "var/lib/apt/lists",
        "usr/share/doc",
        "usr/share/man",
        "usr/lib/firmware",
      ]) {
        await rm(join(root, path), { recursive: true, force: true });
      }
      await trimModules(join(root, "usr/lib/modules", kernelVersion));
      await runTool("chroot", [root, "depmod", kernelVersion], onProgress);
      await buildToolsBundle(root, work);
      await writeFile(join(root, "etc/inittab"), INITTAB);
      await runTool("mkdir", ["-p", join(root, "etc/groundwork")], onProgress);
      await writeFile(join(root, "etc/groundwork/start"), START_SCRIPT, { mode: 0o755 });
      await writeFile(join(root, "etc/groundwork/udhcpc"), UDHCPC_SCRIPT, { mode: 0o755 });
      await chmod(join(root, "etc/groundwork/start"), 0o755);
      await chmod(join(root, "etc/groundwork/udhcpc"), 0o755);
      await writeFile(join(root, "etc/groundwork-installer"), `${hash}\n`);
      await writeFile(join(root, "etc/hostname"), "groundwork-installer\n");
      await rm(join(root, "init"), { force: true });
      await symlink("/bin/busybox", join(root, "init"));
      for (const applet of ["reboot", "poweroff", "halt"]) {
        await rm(join(root, "sbin", applet), { force: true });
        await symlink("/bin/busybox", join(root, "sbin", applet));
      }
      const unpacked = await runTool("du", ["-sb", root], () => {});
      await runTool(
        "sh",
        [
          "-c",
          `cd ${quote(root)} && find . -print0 | cpio --null -o -H newc --quiet | zstd -q -T0 -12 > ${quote(join(work, "initrd.zst"))}`,
        ],
        onProgress,
      );
      const packages = Object.fromEntries(
        (await readFile(join(work, "packages.tsv"), "utf8"))
          .trim()
          .split("\n")
          .map((line) => line.split("\t") as [string, string]),
      );
      const manifest: InstallerManifest = {
        hash,
        kernelVersion,
        packages,
        compressedBytes: (await stat(join(work, "initrd.zst"))).size,
        unpackedBytes: Number(unpacked.trim().split(/\s+/)[0]),
        builtAt: new Date().toISOString(),
      };
      await writeFile(join(work, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
      await rm(root, { recursive: true, force: true });
    },
    options.cacheRoot,
  );
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as InstallerManifest;
  return {
    kernel: join(dir, "vmlinuz"),
    initrd: join(dir, "initrd.zst"),
    tools: join(dir, "tools.tar"),
    manifest,
    cached,
  };
}
