import { copyFile, link, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DISK_MODES } from "../disk/modes.ts";
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
  const image = await systemImageOf(plan, onProgress);
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  const write = async (name: string, text: string, mode = 0o644) => {
    await writeFile(join(dir, name), text, { mode });
    files.push(name);
  };
  for (const mode of DISK_MODES) {
    const diskPlan = planDisk({ disko: { devices: plan.devices } }, mode, {
      rootMountpoint: plan.disk.rootMountpoint,
    });
    await write(`disk-${mode}.sh`, renderDiskScript(diskPlan.steps, { mode, source }), 0o755);
  }
  await write("activate.sh", renderActivationScript(plan.system), 0o755);
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
