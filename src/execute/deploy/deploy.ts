import { createReadStream } from "node:fs";
import { RunError, StopError } from "../../errors/index.ts";
import type { Facts } from "../../facts/facts.ts";
import { parseFacts } from "../../facts/parse-facts.ts";
import { TOOLS_PATH } from "../../image/installer/tools-bundle.ts";
import type { SystemImage } from "../../image/system/build-system.ts";
import type { DeployPlan } from "../../plan/deploy-plan.ts";
import { generationRecord } from "../../plan/generation.ts";
import { checkKexec, decideKexec, recordNetwork } from "../../plan/kexec.ts";
import { checkTarget, missingTools, type Refusal } from "../../plan/target-checks.ts";
import { renderActivationScript } from "../../render/activation-script.ts";
import { renderFactsScript } from "../../render/facts-script.ts";
import { type InstallScriptInputs, renderInstallScript } from "../../render/install-script.ts";
import type { SshTransport } from "../../transport/ssh.ts";
import type { EventSink } from "../../ui/events.ts";
import { runDiskPlan } from "../run-disk-plan.ts";
import { generateHostKey, type HostKey } from "./host-key.ts";
import { type KexecOptions, kexecIntoInstaller } from "./kexec.ts";
import type { DeployPhase } from "./phases.ts";
import { bringTools } from "./tools.ts";

/** The target refused: it cannot take this configuration. Nothing was changed. */
export class TargetError extends StopError {}

/** How the machine gets from the installer into its new system, and how the deployer reaches it again. */
export interface Rebooter {
  /** Reboot the machine (or power-cycle a test VM) and return a transport to the new system once it answers SSH. */
  reboot(transport: SshTransport, hostPublicKey: string): Promise<SshTransport>;
}

export interface DeployContext {
  readonly plan: DeployPlan;
  readonly phases: readonly DeployPhase[];
  readonly transport: SshTransport;
  /** Builds (or finds in the cache) the system image; called only when the install phase runs. */
  readonly systemImage: () => Promise<SystemImage>;
  /** The tools bundle (a plain tar), for targets that lack a tool the scripts run. */
  readonly tools: () => Promise<string>;
  /** Build the system here and upload it, or build it on the target with debootstrap. */
  readonly buildOn: "local" | "remote";
  readonly rebooter: Rebooter;
  /** How to kexec into the installer and reach it; needed when the phases include kexec. */
  readonly kexec?: KexecOptions;
  /** Asked after the plan was shown; resolves false to stop. */
  readonly confirm: (planText: string) => Promise<boolean>;
  readonly events: EventSink;
  readonly source: string;
}

export interface DeployResult {
  readonly facts: Facts;
  /** The transport the deploy ended with when it is a new one (to the installer after kexec, to the new
   * system after the reboot): the caller closes it. */
  readonly transport: SshTransport | undefined;
  readonly phases: readonly { phase: string; durationMs: number }[];
}

const UPLOAD_PATH = "/.groundwork-system.tar.zst";

async function timed<T>(
  context: DeployContext,
  phase: string,
  description: string,
  work: () => Promise<T>,
  record: { phase: string; durationMs: number }[],
): Promise<T> {
  context.events({ type: "phase-start", phase, description });
  const started = performance.now();
  const result = await work();
  const durationMs = Math.round(performance.now() - started);
  record.push({ phase, durationMs });
  context.events({ type: "phase-end", phase, durationMs });
  return result;
}

/** Collect the facts of the target in one round trip. */
export async function collectFacts(transport: SshTransport, devices: readonly string[]): Promise<Facts> {
  const result = await transport.runScript(renderFactsScript(devices));
  if (result.exitCode !== 0) {
    throw new RunError(
      `could not collect facts from ${transport.name} (exit ${result.exitCode}): ${result.stderr.trim()}`,
      {
        stderr: result.stderr,
        exitCode: result.exitCode,
      },
    );
  }
  return parseFacts(result.stdout);
}

function describePlan(context: DeployContext, facts: Facts, kexec: boolean): string {
  const { plan } = context;
  const lines = [
    `Target ${context.transport.name}: ${facts.os.prettyName}, ${facts.architecture}, ${Math.round(facts.memoryBytes / 2 ** 20)} MiB RAM, ${facts.firmware.toUpperCase()}.`,
    `Phases: ${context.phases.filter((phase) => kexec || phase !== "kexec").join(", ")}.`,
  ];
  if (kexec) {
    const addresses = recordNetwork(facts).interfaces.flatMap((entry) => entry.addresses);
    lines.push(
      `kexec: STOPS ${facts.os.prettyName} (everything running on ${facts.hostName}) and starts groundwork's installer in RAM, keeping ${addresses.join(", ") || "DHCP"} and the SSH host keys.`,
    );
  }
  if (context.phases.includes("disk")) {
    const wiped = plan.disk.steps.filter((step) => step.kind === "destroy-disk").map((step) => step.disk);
    lines.push(
      `disk: WIPES ${wiped.join(", ") || "nothing"}, then partitions, formats and mounts at ${plan.disk.rootMountpoint}.`,
    );
  }
  if (context.phases.includes("install")) {
    lines.push(
      `install: Debian ${plan.distribution.suite} with ${plan.packages.length} packages (${plan.packages.join(" ")}), host name ${plan.system.hostName}; GRUB for ${[
        plan.grub.biosDevices.length > 0 ? `BIOS on ${plan.grub.biosDevices.join(", ")}` : undefined,
        plan.grub.efiDirectory === undefined
          ? undefined
          : `EFI in ${plan.grub.efiDirectory}${plan.grub.efiRemovable ? " (removable path)" : ""}`,
      ]
        .filter((part) => part !== undefined)
        .join(" and ")}.`,
    );
  }
  if (context.phases.includes("reboot"))
    lines.push("reboot: into the new system, then wait until it answers SSH.");
  return lines.join("\n");
}

/** Upload the system image into the mounted root and check it arrived whole; returns its path there. */
async function uploadSystem(context: DeployContext, transport: SshTransport): Promise<string> {
  const { plan } = context;
  const image = await context.systemImage();
  const target = `${plan.disk.rootMountpoint}${UPLOAD_PATH}`;
  const upload = await transport.runChecked(`cat > ${target} && sha256sum ${target}`, {
    input: createReadStream(image.tarball),
  });
  const sum = upload.stdout.trim().split(/\s+/)[0];
  if (upload.exitCode !== 0 || sum !== image.manifest.tarball.sha256) {
    throw new RunError(
      `uploading the system to ${transport.name} failed (${upload.exitCode !== 0 ? upload.stderr.trim() : "its checksum differs"}). The disks are partitioned and mounted: run again with --phases install,reboot`,
    );
  }
  return target;
}

/** The public host key of the installed system, read from its disk. */
async function readInstalledHostKey(
  context: DeployContext,
  transport: SshTransport,
  onOutput: (stream: "stdout" | "stderr", text: string) => void,
): Promise<string> {
  await runDiskPlan(context.plan.mount, transport, context.source, { onOutput });
  const path = `${context.plan.disk.rootMountpoint}/etc/ssh/ssh_host_ed25519_key.pub`;
  const result = await transport.runChecked(`cat ${path}`);
  if (result.exitCode !== 0 || !result.stdout.startsWith("ssh-ed25519 ")) {
    throw new RunError(
      `${path} is missing on ${transport.name}: the install phase did not finish; run --phases install,reboot`,
    );
  }
  return result.stdout.trim();
}

function refuse(transport: SshTransport, refusals: readonly Refusal[]): never {
  throw new TargetError(
    refusals[0]?.code ?? "GW_TARGET",
    `${transport.name} cannot be installed, nothing was changed:\n${refusals.map((refusal) => `- ${refusal.message}`).join("\n")}`,
  );
}

/**
 * Run the phases of a deploy: kexec into the installer when the target runs from the disks to be wiped, then
 * partition, install and reboot. The target is checked before anything changes, and again after kexec.
 */
export async function deploy(context: DeployContext): Promise<DeployResult> {
  const { plan, events } = context;
  let transport = context.transport;
  const record: { phase: string; durationMs: number }[] = [];
  const started = performance.now();
  const declared = [...new Set(plan.disk.steps.map((step) => step.disk).filter((disk) => disk !== "nodev"))];
  const factsOf = (on: SshTransport) =>
    timed(context, "facts", `ask ${on.name} what it is`, () => collectFacts(on, declared), record);
  const installs = context.phases.includes("disk") || context.phases.includes("install");
  const rootMountpoint = plan.disk.rootMountpoint;

  let facts = await factsOf(transport);
  let kexec = false;
  if (context.phases.includes("kexec")) {
    const decision = decideKexec(plan.devices, facts, rootMountpoint);
    if (decision.needed) {
      if (context.kexec === undefined) throw new RunError("the kexec phase needs kexec options");
      const installer = await context.kexec.installer();
      const refusals = [
        ...checkKexec(facts, { installerBytes: installer.manifest.unpackedBytes }),
        // The disks are in use now; after kexec they are free. The rest must hold already.
        ...checkTarget(plan.devices, facts, { rootMountpoint }).filter(
          (refusal) => refusal.code !== "GW_TARGET_DISK_IN_USE",
        ),
      ];
      if (!facts.tools.includes("tar"))
        refusals.push({
          code: "GW_TARGET_NO_TAR",
          message: "the target has no tar, which groundwork needs to bring its own kexec",
        });
      if (refusals.length > 0) refuse(transport, refusals);
      kexec = true;
    } else {
      events({ type: "note", text: `No kexec: ${transport.name} ${decision.reason}.` });
    }
  }
  if (installs && !kexec) {
    const refusals = checkTarget(plan.devices, facts, { rootMountpoint });
    if (refusals.length > 0) refuse(transport, refusals);
  }

  const planText = describePlan(context, facts, kexec);
  events({ type: "plan", text: planText });
  if (!(await context.confirm(planText))) {
    events({ type: "note", text: "Nothing was done." });
    return { facts, transport: undefined, phases: record };
  }

  if (kexec && context.kexec !== undefined) {
    const options = context.kexec;
    const from = transport;
    transport = await timed(
      context,
      "kexec",
      "replace the running system by the installer in RAM",
      () => kexecIntoInstaller(from, facts, options, (text) => events({ type: "note", text })),
      record,
    );
    events({ type: "note", text: `${transport.name} runs groundwork's installer.` });
    facts = await factsOf(transport);
    if (installs) {
      const refusals = checkTarget(plan.devices, facts, { rootMountpoint });
      if (refusals.length > 0) refuse(transport, refusals);
    }
  }
  const target = transport;

  // Tools the target lacks come along: the installer's own binaries with their loader and libraries.
  const missing = installs ? missingTools(plan.devices, facts) : [];
  let extraPath: string | undefined;
  if (missing.length > 0) {
    if (!facts.tools.includes("tar")) {
      throw new TargetError(
        "GW_TARGET_NO_TAR",
        `${target.name} has no tar: groundwork cannot bring the tools it lacks (${missing.join(", ")}). Nothing was changed.`,
      );
    }
    events({ type: "note", text: `${target.name} lacks ${missing.join(", ")}: bringing them along.` });
    await bringTools(target, await context.tools());
    extraPath = TOOLS_PATH;
  }
  const withPath = extraPath === undefined ? {} : { extraPath };

  const output = (phase: string) => (_stream: "stdout" | "stderr", text: string) =>
    events({ type: "output", phase, text });

  if (context.phases.includes("disk")) {
    await timed(
      context,
      "disk",
      "partition, format and mount",
      () => runDiskPlan(plan.disk, target, context.source, { onOutput: output("disk"), ...withPath }),
      record,
    );
  }

  let hostKey: HostKey | undefined;
  if (context.phases.includes("install")) {
    hostKey = await timed(
      context,
      "install",
      "unpack the system, write fstab, activate, install GRUB",
      async () => {
        // A resumed run finds the layout unmounted (say, after the live system restarted): mount it again.
        await runDiskPlan(plan.mount, target, context.source, { onOutput: output("install"), ...withPath });
        const system: InstallScriptInputs["system"] =
          context.buildOn === "remote"
            ? { kind: "debootstrap", ...plan.distribution, packages: plan.packages }
            : { kind: "tarball", path: await uploadSystem(context, target) };
        const key = await generateHostKey(`root@${plan.system.hostName}`);
        const script = renderInstallScript({
          root: rootMountpoint,
          system,
          fstab: plan.fstab,
          activationScript: renderActivationScript(plan.system),
          hostKey: key,
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
        const result = await target.runScript(script, { onOutput: output("install"), ...withPath });
        if (result.exitCode !== 0) {
          const reason = result.stderr.trim().split("\n").slice(-5).join("\n");
          throw new RunError(
            `the install failed on ${target.name} (exit ${result.exitCode}):\n${reason}\nThe disks are partitioned and formatted; run again with --phases install,reboot after fixing the cause.`,
            { stderr: result.stderr, exitCode: result.exitCode },
          );
        }
        return key;
      },
      record,
    );
  }

  if (context.phases.includes("reboot")) {
    transport = await timed(
      context,
      "reboot",
      "reboot into the new system and wait for SSH",
      async () => {
        // A resumed run (reboot only) reads the host key the install wrote, so that the new system is still checked.
        const publicKey =
          hostKey?.publicKey ?? (await readInstalledHostKey(context, target, output("reboot")));
        await runDiskPlan(plan.unmount, target, context.source, { onOutput: output("reboot") });
        return context.rebooter.reboot(target, publicKey);
      },
      record,
    );
    const check = await transport.runChecked("cat /proc/sys/kernel/hostname");
    const hostName = check.stdout.trim();
    if (check.exitCode !== 0 || hostName !== plan.system.hostName) {
      throw new RunError(
        `the machine came back, but its host name is ${JSON.stringify(hostName)}, not ${JSON.stringify(plan.system.hostName)}`,
      );
    }
    events({ type: "note", text: `${transport.name} runs the new system (host name ${hostName}).` });
  }
  events({ type: "done", durationMs: Math.round(performance.now() - started), phases: record });
  return { facts, transport: transport === context.transport ? undefined : transport, phases: record };
}
