import type { Facts } from "../facts/facts.ts";
import type { DeployPhase } from "./deploy-phases.ts";
import type { DeployPlan } from "./deploy-plan.ts";
import { checkKexec, decideKexec, recordNetwork } from "./kexec.ts";
import { checkTarget, missingTools, type Refusal } from "./target-checks.ts";

/** What a deploy will do on one target, decided from the plan and the target's facts before anything runs. */
export interface DeployRun {
  /** Why the target cannot take this deploy: when there is one, nothing runs. */
  readonly refusals: readonly Refusal[];
  /** Whether the running system is replaced by the installer in RAM first. */
  readonly kexec: boolean;
  /** Why there is no kexec although the phases asked for it. */
  readonly note: string | undefined;
  /** The phases that run, in their order. */
  readonly phases: readonly DeployPhase[];
  /** Tools the target lacks that groundwork brings along before the disk phase (none when it kexecs: the
   * installer has them). */
  readonly tools: readonly string[];
  /** The plan a person reads before anything changes. */
  readonly text: string;
}

export interface DeployRunInput {
  readonly plan: DeployPlan;
  /** The phases asked for (`--phases`). */
  readonly phases: readonly DeployPhase[];
  readonly facts: Facts;
  /** How the deployer names the target, e.g. `root@host`. */
  readonly target: string;
  /** The installer's size unpacked in RAM; needed when `needsKexec` says so. */
  readonly installerBytes?: number | undefined;
}

/** Whether this deploy replaces the running system by the installer: asked before building the installer. */
export function needsKexec(plan: DeployPlan, phases: readonly DeployPhase[], facts: Facts): boolean {
  return phases.includes("kexec") && decideKexec(plan.devices, facts, plan.disk.rootMountpoint).needed;
}

function installs(phases: readonly DeployPhase[]): boolean {
  return phases.includes("disk") || phases.includes("install");
}

const NO_TAR_FOR_KEXEC: Refusal = {
  code: "GW_TARGET_NO_TAR",
  message: "the target has no tar, which groundwork needs to bring its own kexec",
};

/**
 * The checks that hold on the system the disk and install phases run on (the target as it is, or the
 * installer after kexec): the target itself, and the tools it lacks, which groundwork brings with tar.
 */
export function checkInstallTarget(
  plan: DeployPlan,
  phases: readonly DeployPhase[],
  facts: Facts,
): { readonly refusals: readonly Refusal[]; readonly tools: readonly string[] } {
  if (!installs(phases)) return { refusals: [], tools: [] };
  const refusals = checkTarget(plan.devices, facts, { rootMountpoint: plan.disk.rootMountpoint });
  const tools = missingTools(plan.devices, facts);
  if (tools.length > 0 && !facts.tools.includes("tar"))
    refusals.push({
      code: "GW_TARGET_NO_TAR",
      message: `the target has no tar, so groundwork cannot bring the tools it lacks (${tools.join(", ")})`,
    });
  return { refusals, tools };
}

/**
 * Decide a deploy: whether it kexecs, what refuses the target, which tools come along, and the plan text.
 * With kexec the target is checked as the installer will find it (its disks free then); the executor checks
 * the installer again with `checkInstallTarget` once it runs.
 */
export function planDeployRun(input: DeployRunInput): DeployRun {
  const { plan, facts } = input;
  const decision = input.phases.includes("kexec")
    ? decideKexec(plan.devices, facts, plan.disk.rootMountpoint)
    : undefined;
  const kexec = decision?.needed === true;
  const phases = input.phases.filter((phase) => kexec || phase !== "kexec");
  const note =
    decision !== undefined && !decision.needed
      ? `No kexec for ${input.target}: ${decision.reason}.`
      : undefined;
  let refusals: Refusal[];
  let tools: readonly string[] = [];
  if (kexec) {
    refusals = [
      ...checkKexec(facts, { installerBytes: input.installerBytes ?? 0 }),
      // The disks are in use now; after kexec they are free. The rest must hold already.
      ...checkTarget(plan.devices, facts, { rootMountpoint: plan.disk.rootMountpoint }).filter(
        (refusal) => refusal.code !== "GW_TARGET_DISK_IN_USE",
      ),
    ];
    if (!facts.tools.includes("tar")) refusals.push(NO_TAR_FOR_KEXEC);
  } else {
    const checked = checkInstallTarget(plan, phases, facts);
    refusals = [...checked.refusals];
    tools = checked.tools;
  }
  return { refusals, kexec, note, phases, tools, text: describeDeploy(input, kexec, phases) };
}

function describeDeploy(input: DeployRunInput, kexec: boolean, phases: readonly DeployPhase[]): string {
  const { plan, facts } = input;
  const lines = [
    `Target ${input.target}: ${facts.os.prettyName}, ${facts.architecture}, ${Math.round(facts.memoryBytes / 2 ** 20)} MiB RAM, ${facts.firmware.toUpperCase()}.`,
    `Phases: ${phases.join(", ")}.`,
  ];
  if (kexec) {
    const addresses = recordNetwork(facts).interfaces.flatMap((entry) => entry.addresses);
    lines.push(
      `kexec: STOPS ${facts.os.prettyName} (everything running on ${facts.hostName}) and starts groundwork's installer in RAM, keeping ${addresses.join(", ") || "DHCP"} and the SSH host keys.`,
    );
  }
  if (phases.includes("disk")) {
    const wiped = plan.disk.steps.filter((step) => step.kind === "destroy-disk").map((step) => step.disk);
    lines.push(
      `disk: WIPES ${wiped.join(", ") || "nothing"}, then partitions, formats and mounts at ${plan.disk.rootMountpoint}.`,
    );
  }
  if (phases.includes("install")) {
    const grub = [
      plan.grub.biosDevices.length > 0 ? `BIOS on ${plan.grub.biosDevices.join(", ")}` : undefined,
      plan.grub.efiDirectory === undefined
        ? undefined
        : `EFI in ${plan.grub.efiDirectory}${plan.grub.efiRemovable ? " (removable path)" : ""}`,
    ].filter((part) => part !== undefined);
    lines.push(
      `install: Debian ${plan.distribution.suite} with ${plan.packages.length} packages (${plan.packages.join(" ")}), host name ${plan.system.hostName}; GRUB for ${grub.join(" and ")}.`,
    );
  }
  const initrdSsh = plan.system.initrdSsh;
  if (phases.includes("install") && initrdSsh !== undefined)
    lines.push(
      `initramfs: SSH on port ${initrdSsh.port} for ${initrdSsh.authorizedKeys.length} key${initrdSsh.authorizedKeys.length === 1 ? "" : "s"}, with a host key made now and recorded; at each boot, unlock the disks with groundwork unlock.`,
    );
  if (phases.includes("reboot")) lines.push("reboot: into the new system, then wait until it answers SSH.");
  return lines.join("\n");
}

/** What to do when a machine lost power after its disks were changed: the installer lived in RAM only. */
const RESTARTED =
  "\nIf the machine restarted meanwhile, the installer in RAM is gone and its disks may not boot: start its rescue system and run that command against it.";

/**
 * What a deploy left when its connection was lost in `phase` (the network, or the machine), and the command
 * that finishes the job from there.
 */
export function interruptedAdvice(phase: "facts" | DeployPhase): string {
  switch (phase) {
    case "facts":
      return "Nothing was changed: run the same command again.";
    case "kexec":
      return "The machine runs its old system still, or groundwork's installer in RAM already (same address, same host keys): run the same command again; kexec is skipped when the installer runs.";
    case "disk":
      return `The disks may be partly partitioned: run again with --phases disk,install,reboot.${RESTARTED}`;
    case "install":
      return `The disks are partitioned and formatted: run again with --phases install,reboot.${RESTARTED}`;
    case "reboot":
      return "The system is installed, and the machine may be rebooting into it: if it still runs the installer, run again with --phases reboot; otherwise log in, it is done.";
  }
}
