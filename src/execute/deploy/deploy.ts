import { declaredDisks } from "../../disk/steps.ts";
import { InternalError, RunError, TargetError, UsageError } from "../../errors/index.ts";
import type { Facts } from "../../facts/facts.ts";
import type { SystemImage } from "../../image/system/build-system.ts";
import type { DeployPhase } from "../../plan/deploy-phases.ts";
import type { DeployPlan } from "../../plan/deploy-plan.ts";
import { checkInstallTarget, interruptedAdvice, needsKexec, planDeployRun } from "../../plan/deploy-run.ts";
import {
  type BootUnlock,
  bootUnlock,
  type DiskKey,
  missingKeyProblems,
  opensDisks,
} from "../../plan/disk-keys.ts";
import type { Refusal } from "../../plan/target-checks.ts";
import { TOOLS_PATH } from "../../plan/target-paths.ts";
import { INSTALL_STEPS } from "../../render/install-script.ts";
import { renderPlaceKeys } from "../../render/keys-script.ts";
import { WAIT_STEP } from "../../render/prelude.ts";
import { SshError } from "../../transport/ssh-error.ts";
import type { ScriptOptions, Transport } from "../../transport/transport.ts";
import type { EventSink } from "../../ui/events.ts";
import { type PhaseTime, PhaseTimer } from "../phase-timer.ts";
import { runDiskPlan } from "../run-disk-plan.ts";
import { stepOutput } from "../step-output.ts";
import { collectFacts } from "./collect-facts.ts";
import { readDiskKeys } from "./disk-keys.ts";
import { runInstallPhase } from "./install-phase.ts";
import { type KexecOptions, kexecIntoInstaller } from "./kexec.ts";
import { type Rebooter, runRebootPhase } from "./reboot-phase.ts";
import { bringTools } from "./tools.ts";

export interface DeployContext {
  readonly plan: DeployPlan;
  readonly phases: readonly DeployPhase[];
  readonly transport: Transport;
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
  /** Key files for the LUKS devices, placed in the installer's RAM before the disk phase. */
  readonly diskEncryptionKeys?: readonly DiskKey[];
  /**
   * Send the passphrase to the initramfs of the machine as it boots (groundwork unlock), until the devices
   * opened or `signal` aborts; resolves with the names opened.
   */
  readonly unlockAtBoot?: (passphrase: string, signal: AbortSignal) => Promise<readonly string[]>;
  /** Keep the public host key of the initramfs's SSH server, made by the install, for `groundwork unlock`. */
  readonly recordInitrdHostKey?: (publicKey: string) => Promise<void>;
}

export interface DeployResult {
  readonly facts: Facts;
  /** The transport the deploy ended with when it is a new one (to the installer after kexec, to the new
   * system after the reboot): the caller closes it. */
  readonly transport: Transport | undefined;
  readonly phases: readonly PhaseTime[];
}

function refuse(target: string, refusals: readonly Refusal[]): void {
  if (refusals.length === 0) return;
  throw new TargetError(
    refusals[0]?.code ?? "GW_TARGET",
    `${target} cannot be installed, nothing was changed:\n${refusals.map((refusal) => `- ${refusal.message}`).join("\n")}`,
  );
}

/**
 * Say who unlocks the disks at the first boot, and when the deploy can, send the passphrase to the initramfs
 * while the reboot phase waits for the system. A failed unlock is a note: a person can still type it.
 */
function unlockAtFirstBoot(context: DeployContext, how: BootUnlock): { stop: () => Promise<void> } {
  const { events } = context;
  const idle = { stop: async () => {} };
  if (how.kind === "none") return idle;
  const names = how.names.join(", ");
  if (how.kind === "person" || context.unlockAtBoot === undefined) {
    events({
      type: "note",
      text: `At boot the machine waits for the passphrase of ${names}: type it on its console${how.kind === "person" && how.over === "console" ? "" : ", or run groundwork unlock HOST[:PORT] from another terminal"}.`,
    });
    return idle;
  }
  events({
    type: "note",
    text: `At boot, groundwork sends the passphrase of ${names} to the initramfs over SSH.`,
  });
  const abort = new AbortController();
  const running = context.unlockAtBoot(how.passphrase, abort.signal).then(
    (opened) => events({ type: "note", text: `Unlocked ${opened.join(", ")} over the initramfs's SSH.` }),
    (error: unknown) => {
      if (!abort.signal.aborted)
        events({
          type: "note",
          text: `Could not unlock over the initramfs's SSH (${error instanceof Error ? error.message : String(error)}): type the passphrase on the console, or run groundwork unlock.`,
        });
    },
  );
  return {
    stop: async () => {
      abort.abort();
      await running;
    },
  };
}

/**
 * Run a deploy: collect the facts, decide it (`planDeployRun`: kexec or not, refusals, tools, the plan text),
 * show the plan and ask, then carry out its phases — kexec into the installer when the target runs from the
 * disks to be wiped, then partition, install and reboot. The target is checked before anything changes, and
 * the installer again after kexec.
 */
export async function deploy(context: DeployContext): Promise<DeployResult> {
  const { plan, events } = context;
  const timer = new PhaseTimer(events);
  // A lost connection in a phase says what that phase left and which command finishes the job.
  const phase = <T>(name: "facts" | DeployPhase, description: string, work: () => Promise<T>): Promise<T> =>
    timer.run(name, description, work).catch((error: unknown) => {
      if (!(error instanceof SshError)) throw error;
      throw new RunError(
        `the ${name} phase on ${context.transport.name} was interrupted: ${error.message}\n${interruptedAdvice(name)}`,
      );
    });
  const declared = declaredDisks(plan.disk);
  const factsOf = (on: Transport) =>
    phase("facts", `ask ${on.name} what it is`, () => collectFacts(on, declared));

  // Keys are checked and read before anything is asked of the target.
  const missing = missingKeyProblems(plan, context.phases, context.diskEncryptionKeys ?? []);
  if (missing.length > 0)
    throw new UsageError(
      `the layout's LUKS devices need their keys, nothing was changed:\n- ${missing.join("\n- ")}`,
    );
  const keys = await readDiskKeys(context.diskEncryptionKeys ?? []);

  let transport = context.transport;
  let facts = await factsOf(transport);
  const wantsKexec = needsKexec(plan, context.phases, facts);
  const kexecOptions = wantsKexec ? context.kexec : undefined;
  if (wantsKexec && kexecOptions === undefined)
    throw new InternalError("a deploy with the kexec phase was started without kexec options");
  const installer = await kexecOptions?.installer();
  const run = planDeployRun({
    plan,
    phases: context.phases,
    facts,
    target: transport.name,
    installerBytes: installer?.manifest.unpackedBytes,
  });
  refuse(transport.name, run.refusals);
  if (run.note !== undefined) events({ type: "note", text: run.note });
  events({ type: "plan", text: run.text });
  if (!(await context.confirm(run.text))) {
    events({ type: "note", text: "Nothing was done." });
    return { facts, transport: undefined, phases: timer.phases };
  }

  let tools = run.tools;
  if (run.kexec && kexecOptions !== undefined) {
    const from = transport;
    transport = await phase("kexec", "replace the running system by the installer in RAM", () =>
      kexecIntoInstaller(
        from,
        facts,
        kexecOptions,
        (text) => events({ type: "note", text }),
        (text) => events({ type: "step", phase: "kexec", text }),
      ),
    );
    events({ type: "note", text: `${transport.name} runs groundwork's installer.` });
    facts = await factsOf(transport);
    const checked = checkInstallTarget(plan, run.phases, facts);
    refuse(transport.name, checked.refusals);
    tools = checked.tools;
  }
  const target = transport;

  // Tools the target lacks come along: the installer's own binaries with their loader and libraries.
  if (tools.length > 0) {
    events({ type: "note", text: `${target.name} lacks ${tools.join(", ")}: bringing them along.` });
    await bringTools(target, await context.tools());
  }
  const stepNames = new Map<string, string>([
    ...[...plan.disk.steps, ...plan.mount.steps, ...plan.unmount.steps].map(
      (step) => [step.id, step.description] as const,
    ),
    ...Object.entries(INSTALL_STEPS),
    [WAIT_STEP.id, WAIT_STEP.description],
  ]);
  const script = (phase: string): ScriptOptions => ({
    onOutput: stepOutput(phase, events, (id) => stepNames.get(id)),
    ...(tools.length > 0 ? { extraPath: TOOLS_PATH } : {}),
  });

  if (keys.length > 0 && opensDisks(run.phases)) {
    const placed = await target.runScript(renderPlaceKeys(keys));
    if (placed.exitCode !== 0)
      throw new RunError(
        `could not place the disk encryption keys on ${target.name}: ${placed.stderr.trim()}`,
      );
    events({
      type: "note",
      text: `Placed ${keys.length === 1 ? "the disk encryption key" : `${keys.length} disk encryption keys`} on ${target.name}: ${keys.map((key) => key.remote).join(", ")}.`,
    });
  }
  if (run.phases.includes("disk"))
    await phase("disk", "partition, format and mount", () =>
      runDiskPlan(plan.disk, target, context.source, script("disk")),
    );
  const installed = run.phases.includes("install")
    ? await phase("install", "unpack the system, write fstab, activate, install GRUB", () =>
        runInstallPhase({ ...context, script: script("install") }, target),
      )
    : undefined;
  const hostKey = installed?.hostKey;
  if (installed?.initrdHostKey !== undefined)
    await context.recordInitrdHostKey?.(installed.initrdHostKey.publicKey);
  if (run.phases.includes("reboot")) {
    const unlocking = unlockAtFirstBoot(context, bootUnlock(plan, keys));
    try {
      transport = await phase("reboot", "reboot into the new system and wait for SSH", () =>
        runRebootPhase({ ...context, script: script("reboot") }, target, hostKey?.publicKey),
      );
    } finally {
      await unlocking.stop();
    }
    events({
      type: "note",
      text: `${transport.name} runs the new system (host name ${plan.system.hostName}).`,
    });
  }
  events({ type: "done", durationMs: timer.elapsedMs(), phases: timer.phases });
  return { facts, transport: transport === context.transport ? undefined : transport, phases: timer.phases };
}
