import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { quote } from "../../render/quote.ts";
import { type CacheKind, cachedFolder, inputHash } from "../cache.ts";
import { runTool } from "../run-tool.ts";
import { INIT_SCRIPT, UDHCPC_SCRIPT } from "./init.sh.ts";
import { KEPT_MODULES, parseModulesDep, selectModules } from "./kernel-modules.ts";
import { INSTALLER_PACKAGES, KERNEL_METAPACKAGE, PURGED_PACKAGES, REMOVED_PATHS } from "./packages.ts";
import { BUNDLED_TOOLS, buildToolsBundle } from "./tools-bundle.ts";

export { INSTALLER_PACKAGES } from "./packages.ts";

/** Bump when the build changes in a way its inputs do not show. */
const BUILDER_VERSION = 3;
const ZSTD_LEVEL = 19;

/** Where the image says what it is: deploy reads it to know that a target already runs the installer. */
export const INSTALLER_MARKER = "/etc/groundwork-installer";

/** manifest.json of a cached installer: what it holds and how big it is. */
const installerManifestSchema = z.object({
  version: z.literal(1),
  /** The hash of the build's inputs; also the content of INSTALLER_MARKER in the image. */
  hash: z.string(),
  kernelVersion: z.string(),
  /** Package → version, the kernel package included. */
  packages: z.record(z.string(), z.string()).readonly(),
  /** Size of the initrd file. */
  compressedBytes: z.number().int().nonnegative(),
  /** Size of the files in it: what it takes in RAM once unpacked. */
  unpackedBytes: z.number().int().nonnegative(),
  /** Of the initrd; `kernelSha256` of the kernel. */
  sha256: z.string(),
  kernelSha256: z.string(),
  builtAt: z.string(),
  buildSeconds: z.number().nonnegative(),
});

export type InstallerManifest = Readonly<z.output<typeof installerManifestSchema>>;

/** Cached installers: `installer/<hash>`. */
export const INSTALLERS: CacheKind<typeof installerManifestSchema> = {
  kind: "installer",
  manifest: installerManifestSchema,
  description: "the cached installer",
};

export interface InstallerImage {
  /** The cache folder holding the files below. */
  readonly dir: string;
  readonly kernel: string;
  /** zstd-compressed newc cpio; append a run cpio with `writeRunInitrd`. */
  readonly initrd: string;
  /** Tools for targets that lack them (see tools-bundle.ts). */
  readonly tools: string;
  readonly manifest: InstallerManifest;
  /** Whether it came from the cache. */
  readonly cached: boolean;
}

export interface BuildInstallerOptions {
  readonly suite?: string;
  readonly mirror?: string;
  /** groundwork's cache folder (default `~/.cache/groundwork`); the image goes to `installer/<hash>` in it. */
  readonly cacheDir?: string;
  readonly onProgress?: (line: string) => void;
}

/** mmdebstrap hook: fetch Debian's kernel package without installing it (no initramfs-tools, no 400 MB of modules). */
const KERNEL_HOOK = `set -eu
root=$1 out=$2
package=$(chroot "$root" apt-cache depends --important ${KERNEL_METAPACKAGE} | sed -n 's/^ *Depends: \\(linux-image-[0-9][^ ]*\\)$/\\1/p' | head -n 1)
[ -n "$package" ] || { echo "${KERNEL_METAPACKAGE} names no kernel package" >&2; exit 1; }
chroot "$root" sh -c "cd /tmp && apt-get download -q $package"
mv "$root"/tmp/"$package"_*.deb "$out/kernel.deb"
`;

async function sha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Run `script` with sh on this machine, for pipelines and globs; values in it must be quoted. */
function shell(script: string, onProgress?: (line: string) => void): Promise<string> {
  return runTool("sh", ["-c", `set -eu\n${script}`], onProgress);
}

/** Installed packages of `root`, by name. */
async function installedPackages(root: string, work: string): Promise<Record<string, string>> {
  const list = join(work, "packages.tsv");
  await shell(
    `chroot ${quote(root)} dpkg-query -W -f='\${db:Status-Abbrev}\\t\${Package}\\t\${Version}\\n' > ${quote(list)}`,
  );
  const packages: Record<string, string> = {};
  for (const line of (await readFile(list, "utf8")).split("\n")) {
    const [status, name, version] = line.split("\t");
    if (status?.startsWith("ii") && name !== undefined && version !== undefined) packages[name] = version;
  }
  await rm(list);
  return packages;
}

/** Remove PURGED_PACKAGES without running their scripts (Python's would need the Python it removes). */
async function purgePackages(root: string, work: string, onProgress: (line: string) => void): Promise<void> {
  const purged = Object.keys(await installedPackages(root, work)).filter((name) =>
    PURGED_PACKAGES.some((pattern) => pattern.test(name)),
  );
  if (purged.length === 0) return;
  onProgress(`removing ${purged.join(" ")}`);
  const info = join(root, "var/lib/dpkg/info");
  for (const entry of await readdir(info)) {
    const match = /^([^:]+)(:[a-z0-9]+)?\.(prerm|postrm)$/.exec(entry);
    if (match?.[1] !== undefined && purged.includes(match[1])) await rm(join(info, entry));
  }
  await runTool(
    "chroot",
    [root, "dpkg", "--purge", "--force-depends", "--force-remove-essential", ...purged],
    onProgress,
  );
}

/** Unpack the kernel package beside the root, keep vmlinuz and the kept modules; returns version and package. */
async function installKernel(
  root: string,
  work: string,
  onProgress: (line: string) => void,
): Promise<{ version: string; name: string; packageVersion: string }> {
  await copyFile(join(work, "kernel.deb"), join(root, "tmp/kernel.deb"));
  await runTool("chroot", [root, "dpkg-deb", "-x", "/tmp/kernel.deb", "/tmp/kernel"], onProgress);
  const fields = await runTool("chroot", [root, "dpkg-deb", "-f", "/tmp/kernel.deb", "Package", "Version"]);
  const name = /^Package: (\S+)/m.exec(fields)?.[1] ?? "linux-image";
  const packageVersion = /^Version: (\S+)/m.exec(fields)?.[1] ?? "";
  const unpacked = join(root, "tmp/kernel");
  const modulesBase = await stat(join(unpacked, "usr/lib/modules")).then(
    () => "usr/lib/modules",
    () => "lib/modules",
  );
  const version = (await readdir(join(unpacked, modulesBase)))[0];
  if (version === undefined) throw new Error(`${name} holds no modules`);
  await copyFile(join(unpacked, "boot", `vmlinuz-${version}`), join(work, "vmlinuz"));
  // depmod on the whole tree gives the dependencies; the kept modules and what they need are copied.
  await runTool("chroot", [root, "depmod", "-b", "/tmp/kernel", version], onProgress);
  const from = join(unpacked, modulesBase, version);
  const to = join(root, "usr/lib/modules", version);
  const modules = selectModules(parseModulesDep(await readFile(join(from, "modules.dep"), "utf8")));
  onProgress(`keeping ${modules.length} kernel modules of ${version}`);
  for (const module of modules) {
    await mkdir(dirname(join(to, module)), { recursive: true });
    await copyFile(join(from, module), join(to, module));
  }
  for (const file of ["modules.order", "modules.builtin", "modules.builtin.modinfo"])
    await copyFile(join(from, file), join(to, file)).catch(() => undefined);
  // Compressed, the modules take a third of the RAM; kmod unpacks each one as it loads it.
  onProgress("compressing the kernel modules");
  await runTool("chroot", [
    root,
    "sh",
    "-c",
    `find ${quote(`/usr/lib/modules/${version}`)} -name '*.ko' -print0 | xargs -0 -r -P "$(nproc)" -n 40 zstd -q --rm -19`,
  ]);
  await runTool("chroot", [root, "depmod", version], onProgress);
  await rm(join(root, "tmp/kernel"), { recursive: true, force: true });
  await rm(join(root, "tmp/kernel.deb"), { force: true });
  return { version, name, packageVersion };
}

/** The files that make the root an installer: /init, the DHCP hook, the marker, reboot without init. */
async function writeInstallerFiles(root: string, hash: string): Promise<void> {
  await writeFile(join(root, "init"), INIT_SCRIPT, { mode: 0o755 });
  await mkdir(join(root, "usr/lib/groundwork"), { recursive: true });
  await writeFile(join(root, "usr/lib/groundwork/udhcpc"), UDHCPC_SCRIPT, { mode: 0o755 });
  await writeFile(join(root, INSTALLER_MARKER), `${hash}\n`);
  await writeFile(join(root, "etc/hostname"), "groundwork-installer\n");
  await writeFile(
    join(root, "etc/hosts"),
    "127.0.0.1 localhost\n127.0.1.1 groundwork-installer\n::1 localhost\n",
  );
  await writeFile(join(root, "etc/fstab"), "");
  for (const applet of ["reboot", "poweroff", "halt"]) {
    await rm(join(root, "usr/sbin", applet), { force: true });
    await symlink("/usr/bin/busybox", join(root, "usr/sbin", applet));
  }
}

/**
 * Build the installer from Debian's packages: Debian's kernel, and an initramfs holding a small Debian userland
 * that runs from RAM with sshd and the disk tools. Content-addressed: a second call with the same inputs
 * returns the cached image at once.
 */
export async function buildInstaller(options: BuildInstallerOptions = {}): Promise<InstallerImage> {
  const started = Date.now();
  const suite = options.suite ?? "bookworm";
  const mirror = options.mirror ?? "http://deb.debian.org/debian";
  const onProgress = options.onProgress ?? (() => {});
  const hash = inputHash({
    builder: BUILDER_VERSION,
    suite,
    mirror,
    packages: INSTALLER_PACKAGES,
    purged: PURGED_PACKAGES.map(String),
    removed: REMOVED_PATHS,
    modules: KEPT_MODULES,
    tools: BUNDLED_TOOLS,
    zstd: ZSTD_LEVEL,
    scripts: [KERNEL_HOOK, INIT_SCRIPT, UDHCPC_SCRIPT],
  });
  const { dir, manifest, cached } = await cachedFolder(
    INSTALLERS,
    hash,
    async (work): Promise<InstallerManifest> => {
      const root = join(work, "root");
      const hook = join(work, "kernel-hook.sh");
      await writeFile(hook, KERNEL_HOOK);
      onProgress(`building the installer ${hash} from Debian ${suite} with mmdebstrap`);
      await runTool(
        "mmdebstrap",
        [
          "--variant=minbase",
          `--include=${INSTALLER_PACKAGES.join(",")}`,
          ...["doc", "man", "info", "locale", "lintian"].map(
            (folder) => `--dpkgopt=path-exclude=/usr/share/${folder}/*`,
          ),
          `--customize-hook=sh ${quote(hook)} "$1" ${quote(work)}`,
          suite,
          root,
          mirror,
        ],
        onProgress,
      );
      await purgePackages(root, work, onProgress);
      const kernel = await installKernel(root, work, onProgress);
      await shell(`cd ${quote(root)}\nrm -rf ${REMOVED_PATHS.join(" ")}`);
      await writeInstallerFiles(root, hash);
      const packages = { ...(await installedPackages(root, work)), [kernel.name]: kernel.packageVersion };
      onProgress("bundling the tools for targets that lack them");
      await buildToolsBundle(root, work);
      onProgress(`packing the initramfs (zstd -${ZSTD_LEVEL})`);
      const initrd = join(work, "initrd.zst");
      await shell(
        `cd ${quote(root)}\nfind . -mindepth 1 -printf '%P\\0' | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --reproducible --quiet | zstd -q -T0 -${ZSTD_LEVEL} -o ${quote(initrd)}`,
      );
      const unpacked = await runTool("du", ["-sb", root]);
      const manifest: InstallerManifest = {
        version: 1,
        hash,
        kernelVersion: kernel.version,
        packages,
        compressedBytes: (await stat(initrd)).size,
        unpackedBytes: Number(unpacked.trim().split(/\s+/)[0]),
        sha256: await sha256(initrd),
        kernelSha256: await sha256(join(work, "vmlinuz")),
        builtAt: new Date().toISOString(),
        buildSeconds: Math.round((Date.now() - started) / 1000),
      };
      await rm(root, { recursive: true, force: true });
      await rm(join(work, "kernel.deb"), { force: true });
      await rm(hook, { force: true });
      return manifest;
    },
    { root: options.cacheDir, onProgress },
  );
  return {
    dir,
    kernel: join(dir, "vmlinuz"),
    initrd: join(dir, "initrd.zst"),
    tools: join(dir, "tools.tar"),
    manifest,
    cached,
  };
}

/** A human summary of an image's sizes, for build output. */
export function describeInstaller(image: InstallerImage): string {
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `installer ${image.manifest.hash} (kernel ${image.manifest.kernelVersion}): ${mib(image.manifest.compressedBytes)} compressed, ${mib(image.manifest.unpackedBytes)} unpacked${image.cached ? ", cached" : ""}`;
}
