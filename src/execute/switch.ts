import { RunError, StopError, UsageError } from "../errors/index.ts";
import { type MachineState, parseGenerationFiles, parseMachineState } from "../facts/machine-state.ts";
import type { SystemSpec } from "../facts/system-spec.ts";
import type { DeployPlan } from "../plan/deploy-plan.ts";
import { GENERATION_FILES, generationDir, generationRecord, STATE_DIR } from "../plan/generation.ts";
import { lostPins, PinError } from "../plan/pins.ts";
import { describeSwitch, planSwitch, type SwitchPlan } from "../plan/switch-plan.ts";
import { BASE_PACKAGES } from "../plan/system-packages.ts";
import { renderGenerationFilesScript, renderMachineStateScript } from "../render/machine-state-script.ts";
import { quote } from "../render/quote.ts";
import {
  KERNEL_NOTE,
  renderApplyScript,
  renderAptPreferences,
  renderPackagesScript,
  renderRollbackScript,
  renderSwitchActivation,
} from "../render/switch-script.ts";
import type { SshTransport } from "../transport/ssh.ts";
import { SshError } from "../transport/ssh-error.ts";
import type { EventSink } from "../ui/events.ts";

/** What a switch to a planned configuration installs: its system, its configuration, and what it keeps. */
export function switchTargetOf(
  plan: DeployPlan,
): Pick<SwitchContext, "system" | "configuration" | "kept" | "kind" | "versions"> {
  return {
    system: plan.system,
    versions: plan.pins,
    configuration: plan.configuration,
    kept: new Set(plan.packages.filter((name) => !plan.system.packages.includes(name))),
    kind: "switch",
  };
}

/**
 * What a rollback installs: generation `to` of the machine (by default the last one before the current that
 * did not roll back), as a new generation.
 */
export async function rollbackTargetOf(
  transport: SshTransport,
  to?: number,
): Promise<Pick<SwitchContext, "system" | "configuration" | "kept" | "kind" | "from" | "versions">> {
  const state = await readMachineState(transport);
  const earlier = state.generations.filter(
    (entry) =>
      entry.number < (state.current ?? 0) && entry.rolledBack === undefined && entry.failed === undefined,
  );
  const number = to ?? earlier.at(-1)?.number;
  if (
    number === undefined ||
    number === state.current ||
    !state.generations.some((entry) => entry.number === number && entry.failed === undefined)
  )
    throw new UsageError(
      `${to === undefined ? "there is no earlier generation" : `--to ${to}: no such generation, other than the current one, that was ever active`} on ${transport.name}: see groundwork generations`,
    );
  const read = await transport.runScript(renderGenerationFilesScript(number));
  if (read.exitCode !== 0)
    throw new RunError(`could not read generation ${number} on ${transport.name}: ${read.stderr.trim()}`);
  const files = parseGenerationFiles(read.stdout, number, transport.name);
  return {
    system: files.system,
    configuration: files.configuration,
    // The versions it was pinned to come back with it; an unpinned generation leaves versions as they are.
    versions: files.pins,
    kept: new Set<string>(BASE_PACKAGES),
    kind: "rollback",
    from: number,
  };
}

/** The activation log's word that a newer kernel is installed than the one running, as a sentence. */
export function waitingKernel(log: string): string | undefined {
  const line = log.split("\n").find((candidate) => candidate.startsWith(`${KERNEL_NOTE} `));
  return line === undefined ? undefined : `Kernel ${line.slice(KERNEL_NOTE.length + 1)}: reboot to run it.`;
}

export type { GenerationEntry, MachineState } from "../facts/machine-state.ts";

/** Read the machine's generations and installed packages. */
export async function readMachineState(transport: SshTransport): Promise<MachineState> {
  const result = await transport.runScript(renderMachineStateScript());
  if (result.exitCode !== 0)
    throw new RunError(`could not read the state of ${transport.name}: ${result.stderr.trim()}`);
  return parseMachineState(result.stdout, transport.name);
}

export interface SwitchContext {
  readonly transport: SshTransport;
  /** The system to switch to. */
  readonly system: SystemSpec;
  /** The resolved configuration, recorded with the generation. */
  readonly configuration: unknown;
  /** Packages the new system needs whatever it declares (base system, filesystem tools): never removed. */
  readonly kept: ReadonlySet<string>;
  /** Exact versions to install (groundwork.lock). */
  readonly versions?: Readonly<Record<string, string>>;
  /** `switch`, or `rollback` (to `from`). */
  readonly kind: "switch" | "rollback";
  readonly from?: number;
  /** A new connection to the machine, to confirm that it still answers after the activation. */
  readonly reconnect: (timeoutMs: number) => Promise<SshTransport>;
  readonly confirmTimeoutMs: number;
  readonly dryRun: boolean;
  readonly confirm: (planText: string) => Promise<boolean>;
  readonly events: EventSink;
}

export interface SwitchResult {
  readonly plan: SwitchPlan;
  /** The new generation, when one was made. */
  readonly generation: number | undefined;
}

/** The machine went back to its previous generation: the new one broke the way in, or its activation failed. */
export class RolledBackError extends StopError {
  constructor(message: string) {
    super("GW_SWITCH_ROLLED_BACK", message);
  }
}

function writeFiles(dir: string, files: Readonly<Record<string, string>>): string {
  return [
    "set -eu",
    `mkdir -p ${quote(dir)}`,
    ...Object.entries(files).map(([name, text]) => `printf '%s' ${quote(text)} > ${quote(`${dir}/${name}`)}`),
  ].join("\n");
}

/**
 * Switch a running machine to a new system: compare with its current generation, show the difference, write
 * the new generation, apply it detached from SSH with a rollback armed, and confirm over a new connection. A
 * machine that cannot be reached again in time goes back to the previous generation by itself.
 */
export async function switchSystem(context: SwitchContext): Promise<SwitchResult> {
  const { events } = context;
  const state = await readMachineState(context.transport);
  const pins = context.versions ?? {};
  const plan = planSwitch(state.system, context.system, state.installed, context.kept, pins);
  events({ type: "plan", text: describeSwitch(plan).join("\n") });
  if (plan.changes.length === 0) return { plan, generation: undefined };

  const generation = Math.max(0, ...state.generations.map((entry) => entry.number)) + 1;
  const previous = state.current;
  const confirmSeconds = Math.max(10, Math.round(context.confirmTimeoutMs / 1000));
  const f = GENERATION_FILES;
  const files: Record<string, string> = {
    ...generationRecord({
      number: generation,
      time: new Date().toISOString(),
      kind: context.kind,
      from: context.from,
      summary: describeSwitch(plan).at(-1) ?? "",
      system: context.system,
      configuration: context.configuration,
      pins,
    }),
    [f.packagesScript]: renderPackagesScript(plan, {
      pins,
      ...(Object.keys(pins).length === 0 ? {} : { preferences: `${generationDir(generation)}/${f.pins}` }),
    }),
    ...(Object.keys(pins).length === 0 ? {} : { [f.pins]: renderAptPreferences(pins) }),
    [f.activate]: renderSwitchActivation(state.system, context.system),
    [f.apply]: renderApplyScript(generation, previous, confirmSeconds),
  };
  if (previous !== undefined && state.system !== undefined) {
    files[f.rollback] = renderRollbackScript(generation, previous);
    files[f.rollbackActivate] = renderSwitchActivation(context.system, state.system);
    files[f.rollbackPackages] = renderPackagesScript({
      install: plan.remove,
      remove: plan.install,
      versions: plan.versions.map((change) => ({ name: change.name, from: change.to, to: change.from })),
    });
  }
  if (context.dryRun) {
    events({
      type: "note",
      text: `Dry run: generation ${generation} would run these scripts.\n\n${files[f.packagesScript]}\n${files[f.activate]}`,
    });
    return { plan, generation: undefined };
  }
  if (!(await context.confirm(describeSwitch(plan).join("\n")))) {
    events({ type: "note", text: "Nothing was done." });
    return { plan, generation: undefined };
  }

  const dir = generationDir(generation);
  const written = await context.transport.runScript(writeFiles(dir, files));
  if (written.exitCode !== 0)
    throw new RunError(
      `could not write generation ${generation} on ${context.transport.name}: ${written.stderr.trim()}`,
    );
  events({ type: "phase-start", phase: "activate", description: `activate generation ${generation}` });
  const started = performance.now();
  let status: number | null | undefined;
  let log = "";
  try {
    const run = await context.transport.runChecked(
      `systemd-run --quiet --collect --wait --unit=groundwork-switch-${generation} /bin/sh ${dir}/${f.apply}; status=$?; cat ${dir}/${f.log}; exit $status`,
    );
    status = run.exitCode;
    log = run.stdout;
    for (const line of run.stdout.trimEnd().split("\n"))
      events({ type: "output", phase: "activate", text: line });
  } catch (error) {
    // The activation may cut this connection (network, sshd): the confirmation below tells what happened.
    if (!(error instanceof SshError)) throw error;
    events({ type: "note", text: `The connection dropped during the activation: ${error.message}` });
  }
  await context.transport.close();
  events({ type: "phase-end", phase: "activate", durationMs: Math.round(performance.now() - started) });
  const lost = status === 3 ? lostPins(log) : [];
  if (lost.length > 0)
    throw new PinError(
      lost,
      context.kind === "rollback"
        ? `generation ${context.from} pinned them: roll back to another generation, or switch to a configuration with a current lock`
        : undefined,
    );
  if (status === 3)
    throw new RunError(
      `the package changes of generation ${generation} failed on ${context.transport.name}; nothing else was changed (see ${dir}/${f.log})`,
    );
  if (status === 4)
    throw new RolledBackError(
      `the activation of generation ${generation} failed on ${context.transport.name}; it went back to generation ${previous} (see ${dir}/${f.log})`,
    );

  // Confirm over a new connection: the proof that the new generation still lets the deployer in.
  const confirmStarted = performance.now();
  const confirmation = await context.reconnect(context.confirmTimeoutMs - 5000).then(
    async (fresh) => {
      const result = await fresh.runChecked(
        `systemctl stop groundwork-rollback-${generation}.timer 2>/dev/null; test ! -e ${dir}/${f.rolledBack} && test "$(cat ${STATE_DIR}/current)" = ${generation} && date -u +%Y-%m-%dT%H:%M:%SZ > ${dir}/confirmed`,
      );
      await fresh.close();
      return result.exitCode === 0;
    },
    () => false,
  );
  if (confirmation) {
    events({
      type: "note",
      text: `Generation ${generation} is active and confirmed (${((performance.now() - confirmStarted) / 1000).toFixed(1)} s after the activation).`,
    });
    const kernel = waitingKernel(log);
    if (kernel !== undefined) events({ type: "note", text: kernel });
    return { plan, generation };
  }
  if (previous === undefined)
    throw new RunError(
      `generation ${generation} was activated, but ${context.transport.name} cannot be reached again, and it had no earlier generation to go back to`,
    );
  // Not confirmed: the machine rolls back when its timer fires; wait for that, and look.
  events({
    type: "note",
    text: `No new connection within ${confirmSeconds} s: the machine goes back to generation ${previous} by itself.`,
  });
  const after = await context.reconnect(confirmSeconds * 1000 + 180_000).then(
    async (fresh) => {
      // sshd may be back a moment before the rollback records itself: wait for its mark.
      const current = await fresh.runChecked(
        `for i in $(seq 60); do [ -e ${dir}/${f.rolledBack} ] && break; sleep 1; done; cat ${STATE_DIR}/current`,
      );
      await fresh.close();
      return current.stdout.trim();
    },
    () => undefined,
  );
  throw new RolledBackError(
    after === String(previous)
      ? `generation ${generation} cut off SSH to ${context.transport.name}; the machine went back to generation ${previous} by itself and answers again`
      : `generation ${generation} cut off SSH to ${context.transport.name}, and the machine does not answer after its rollback to generation ${previous} either`,
  );
}
