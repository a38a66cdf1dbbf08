import { access, chmod, constants, copyFile, link, mkdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DISK_MODES } from "../disk/modes.ts";
import { displayValue, UsageError } from "../errors/index.ts";
import { buildSystem, type SystemImage } from "../image/system/build-system.ts";
import type { DeployPlan } from "../plan/deploy-plan.ts";
import { planDisk } from "../plan/disk-plan.ts";
import { renderActivationScript } from "../render/activation-script.ts";
import { renderDiskScript } from "../render/disk-script.ts";

/** The system image a plan installs, from the cache or built now. */
export function systemImageOf(plan: DeployPlan, onProgress?: (line: string) => void): Promise<SystemImage> {
  return buildSystem(
    {
      suite: plan.distribution.suite,
      mirror: plan.distribution.mirror,
      architecture: "amd64",
      packages: plan.packages,
      ...(Object.keys(plan.pins).length === 0 ? {} : { pins: plan.pins }),
    },
    onProgress === undefined ? {} : { onProgress },
  );
}

/** The files a build writes into its folder. */
function outputNames(): string[] {
  return [...DISK_MODES.map((mode) => `disk-${mode}.sh`), "activate.sh", "system.tar.zst", "manifest.json"];
}

/**
 * Make sure the build can write its outputs into `dir` before it spends minutes building: the folder is made
 * (0700: activate.sh holds password hashes) or is a writable folder, and no output name is a folder.
 */
export async function prepareBuildFolder(dir: string): Promise<void> {
  const refuse = (problem: string): never => {
    throw new UsageError(
      `-o ${displayValue(dir)}: ${problem}; give a folder groundwork can write to, e.g. -o result`,
    );
  };
  const made = await mkdir(dir, { recursive: true, mode: 0o700 }).catch((error: NodeJS.ErrnoException) =>
    refuse(
      error.code === "EEXIST" || error.code === "ENOTDIR"
        ? "it, or a folder above it, is a file"
        : `it cannot be made (${error.code ?? error.message})`,
    ),
  );
  if (made === undefined) {
    const found = await stat(dir).catch(() => undefined);
    if (found !== undefined && !found.isDirectory()) refuse("it is a file, not a folder");
    await access(dir, constants.W_OK | constants.X_OK).catch(() => refuse("it is not writable"));
  }
  for (const name of outputNames()) {
    const found = await stat(join(dir, name)).catch(() => undefined);
    if (found?.isDirectory() === true) refuse(`${name} in it is a folder`);
  }
}

/**
 * Write what a deploy installs into `dir`, like the seed's `toplevel` and `diskoScript`: the disk scripts of
 * every mode, the system image, the activation script and a manifest.
 */
export async function writeBuildOutputs(
  plan: DeployPlan,
  dir: string,
  source: string,
  onProgress?: (line: string) => void,
): Promise<{ image: SystemImage; files: string[] }> {
  await prepareBuildFolder(dir);
  const image = await systemImageOf(plan, onProgress);
  const files: string[] = [];
  // writeFile's mode applies only to a new file: chmod sets it on one from an earlier build too.
  const write = async (name: string, text: string, mode = 0o644) => {
    await writeFile(join(dir, name), text, { mode });
    await chmod(join(dir, name), mode);
    files.push(name);
  };
  for (const mode of DISK_MODES) {
    const diskPlan = planDisk({ disko: { devices: plan.devices } }, mode, {
      rootMountpoint: plan.disk.rootMountpoint,
    });
    await write(`disk-${mode}.sh`, renderDiskScript(diskPlan.steps, { mode, source }), 0o755);
  }
  // Password hashes and the text of /etc files declared 0600: the user's alone.
  await write("activate.sh", renderActivationScript(plan.system), 0o700);
  const tarball = join(dir, "system.tar.zst");
  await rm(tarball, { force: true });
  // A hard link costs nothing when the cache is on the same filesystem.
  await link(image.tarball, tarball).catch(() => copyFile(image.tarball, tarball));
  files.push("system.tar.zst");
  await write(
    "manifest.json",
    `${JSON.stringify({ source, system: image.manifest, plan: { packages: plan.packages, grub: plan.grub, fstab: plan.fstab, hostName: plan.system.hostName } }, null, 2)}\n`,
  );
  return { image, files };
}
