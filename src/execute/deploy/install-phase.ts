import { createReadStream } from "node:fs";
import { RunError } from "../../errors/index.ts";
import type { SystemImage } from "../../image/system/build-system.ts";
import type { DeployPlan } from "../../plan/deploy-plan.ts";
import { generationRecord } from "../../plan/generation.ts";
import { SYSTEM_UPLOAD_PATH } from "../../plan/target-paths.ts";
import { renderActivationScript } from "../../render/activation-script.ts";
import { renderUploadCommand } from "../../render/file-commands.ts";
import { type InstallScriptInputs, renderInstallScript } from "../../render/install-script.ts";
import type { ScriptOptions, Transport } from "../../transport/transport.ts";
import type { EventSink } from "../../ui/events.ts";
import { runDiskPlan } from "../run-disk-plan.ts";
import { generateHostKey, type HostKey } from "./host-key.ts";

export interface InstallPhaseInputs {
  readonly plan: DeployPlan;
  /** Builds (or finds in the cache) the system image, for `buildOn: "local"`. */
  readonly systemImage: () => Promise<SystemImage>;
  readonly buildOn: "local" | "remote";
  readonly source: string;
  /** Output and the PATH of tools groundwork brought. */
  readonly script: ScriptOptions;
  readonly events: EventSink;
}

/** Upload the system image into the mounted root and check it arrived whole; returns its path there. */
async function uploadSystem(inputs: InstallPhaseInputs, target: Transport): Promise<string> {
  const image = await inputs.systemImage();
  inputs.events({
    type: "step",
    phase: "install",
    text: `upload the system (${(image.manifest.tarball.bytes / 2 ** 20).toFixed(0)} MiB)`,
  });
  const path = `${inputs.plan.disk.rootMountpoint}${SYSTEM_UPLOAD_PATH}`;
  const upload = await target.runChecked(renderUploadCommand(path, "sha256"), {
    input: createReadStream(image.tarball),
  });
  const sum = upload.stdout.trim().split(/\s+/)[0];
  if (upload.exitCode !== 0 || sum !== image.manifest.tarball.sha256) {
    throw new RunError(
      `uploading the system to ${target.name} failed (${upload.exitCode !== 0 ? upload.stderr.trim() : "its checksum differs"}). The disks are partitioned and mounted: run again with --phases install,reboot`,
    );
  }
  return path;
}

/**
 * The install phase: mount the layout again (a resumed run may find it unmounted), put the system in place
 * (uploaded, or bootstrapped on the target), write fstab and the host key made here, activate, install GRUB.
 * Returns the host key, whose public half identifies the new system after the reboot, and the initramfs's.
 */
export async function runInstallPhase(
  inputs: InstallPhaseInputs,
  target: Transport,
): Promise<{ readonly hostKey: HostKey; readonly initrdHostKey: HostKey | undefined }> {
  const { plan } = inputs;
  await runDiskPlan(plan.mount, target, inputs.source, inputs.script);
  const system: InstallScriptInputs["system"] =
    inputs.buildOn === "remote"
      ? { kind: "debootstrap", ...plan.distribution, packages: plan.packages }
      : { kind: "tarball", path: await uploadSystem(inputs, target) };
  const key = await generateHostKey(`root@${plan.system.hostName}`);
  const initrdHostKey =
    plan.system.initrdSsh === undefined
      ? undefined
      : await generateHostKey(`initramfs@${plan.system.hostName}`);
  const script = renderInstallScript({
    root: plan.disk.rootMountpoint,
    system,
    fstab: plan.fstab,
    crypttab: plan.crypttab,
    resume: plan.resume,
    activationScript: renderActivationScript(plan.system),
    hostKey: key,
    initrdHostKey,
    grub: plan.grub,
    generation: generationRecord({
      number: 1,
      time: new Date().toISOString(),
      kind: "install",
      summary: `installed Debian ${plan.distribution.suite} with ${plan.packages.length} packages`,
      system: plan.system,
      configuration: plan.configuration,
      pins: plan.pins,
    }),
  });
  const result = await target.runScript(script, inputs.script);
  if (result.exitCode !== 0) {
    const reason = result.stderr.trim().split("\n").slice(-5).join("\n");
    throw new RunError(
      `the install failed on ${target.name} (exit ${result.exitCode}):\n${reason}\nThe disks are partitioned and formatted; run again with --phases install,reboot after fixing the cause.`,
      { stderr: result.stderr, exitCode: result.exitCode },
    );
  }
  return { hostKey: key, initrdHostKey };
}
