import { chmod, copyFile, mkdir, realpath, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { TOOLS_DIR } from "../../plan/target-paths.ts";
import { quote } from "../../render/quote.ts";
import { runTool } from "../run-tool.ts";

export { TOOLS_DIR, TOOLS_PATH } from "../../plan/target-paths.ts";

/** The commands the kexec, disk and install phases run that a live or rescue system may lack. */
export const BUNDLED_TOOLS = [
  "sgdisk",
  "parted",
  "partprobe",
  "sfdisk",
  "wipefs",
  "blkid",
  "lsblk",
  "findmnt",
  "partx",
  "blockdev",
  "mkfs.ext4",
  "mkfs.vfat",
  "mkfs.xfs",
  "mkfs.btrfs",
  "btrfs",
  "chattr",
  "fallocate",
  "mkswap",
  "swapon",
  "zstd",
  "tar",
  "kexec",
] as const;

/**
 * Make the tools bundle from the installer's root: each tool with the libraries it needs and the installer's
 * own dynamic loader, behind a wrapper that runs it through that loader. So the tools run on any x86-64 Linux,
 * whatever libraries (or none) it has. Writes `tools.tar` into `out`: plain, since the target may lack zstd.
 */
export async function buildToolsBundle(root: string, out: string): Promise<void> {
  const stage = join(out, "tools-stage");
  await mkdir(join(stage, "bin"), { recursive: true });
  await mkdir(join(stage, "libexec"), { recursive: true });
  await mkdir(join(stage, "lib"), { recursive: true });
  const libraries = new Set<string>();
  for (const tool of BUNDLED_TOOLS) {
    const found = (await runTool("chroot", [root, "sh", "-c", `command -v ${quote(tool)}`])).trim();
    const real = await realpath(join(root, found));
    const inside = real.slice(root.length);
    await copyFile(real, join(stage, "libexec", basename(inside)));
    for (const line of (await runTool("chroot", [root, "ldd", inside])).split("\n")) {
      const path = /=> (\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+ld-linux\S*)/.exec(line)?.[1];
      if (path !== undefined) libraries.add(path);
    }
    // --argv0 keeps the name multi-call programs look at (mkfs.ext4 is mke2fs, mkfs.vfat is mkfs.fat).
    const wrapper = `#!/bin/sh\nexec ${TOOLS_DIR}/lib/ld-linux-x86-64.so.2 --library-path ${TOOLS_DIR}/lib --argv0 ${quote(tool)} ${TOOLS_DIR}/libexec/${quote(basename(inside))} "$@"\n`;
    await writeFile(join(stage, "bin", tool), wrapper);
    await chmod(join(stage, "bin", tool), 0o755);
  }
  for (const library of libraries) {
    await copyFile(await realpath(join(root, library)), join(stage, "lib", basename(library)));
  }
  await runTool("tar", ["-C", stage, "-cf", join(out, "tools.tar"), "."]);
  await runTool("rm", ["-rf", stage]);
}
