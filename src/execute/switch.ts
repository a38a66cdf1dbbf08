import { hostname, userInfo } from "node:os";
import { RunError, StopError } from "../errors/index.ts";
import { type MachineState, parseGenerationFiles, parseMachineState } from "../facts/machine-state.ts";
import { type LockHolder, parseLockHolder } from "../facts/switch-lock.ts";
import {
  GENERATION_FILES,
  generationDir,
  LOCK_GRACE_SECONDS,
  SWITCH_LOCKED_EXIT,
  SWITCH_STALE_EXIT,
} from "../plan/generation.ts";
import { PinError } from "../plan/pins.ts";
import type { SwitchPlan } from "../plan/switch-plan.ts";
import {
  applyOutcome,
  chooseRollback,
  planSwitchRun,
  rollbackMessage,
  rollbackTarget,
  type SwitchTarget,
  waitingKernel,
} from "../plan/switch-run.ts";
import { renderGenerationFiles } from "../render/generation-files.ts";
import { renderGenerationFilesScript, renderMachineStateScript } from "../render/machine-state-script.ts";
import {
  renderAbandonCommand,
  renderApplyCommand,
  renderAwaitRollbackCommand,
  renderConfirmCommand,
  renderWriteGenerationScript,
} from "../render/switch-commands.ts";
import { SshError } from "../transport/ssh-error.ts";
import type { Transport } from "../transport/transport.ts";
import type { EventSink } from "../ui/events.ts";

/** Read the machine's generations and installed packages. */
export async function readMachineState(transport: Transport): Promise<MachineState> {
  const result = await transport.runScript(renderMachineStateScript());
  if (result.exitCode !== 0)
    throw new RunError(`could not read the state of ${transport.name}: ${result.stderr.trim()}`);
  return parseMachineState(result.stdout, transport.name);
}

/**
 * What a rollback installs: generation `to` of the machine (by default the last one before the current that
 * did not roll back), as a new generation.
 */
export async function rollbackTargetOf(transport: Transport, to?: number): Promise<SwitchTarget> {
  const number = chooseRollback(await readMachineState(transport), to, transport.name);
  const read = await transport.runScript(renderGenerationFilesScript(number));
  if (read.exitCode !== 0)
    throw new RunError(`could not read generation ${number} on ${transport.name}: ${read.stderr.trim()}`);
  return rollbackTarget(number, parseGenerationFiles(read.stdout, number, transport.name));
}

export interface SwitchContext extends SwitchTarget {
  readonly transport: Transport;
  /** A new connection to the machine, to confirm that it still answers after the activation. */
  readonly reconnect: (timeoutMs: number) => Promise<Transport>;
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

/** Who switches, as the machine's switch lock records it: `user@host` of this side. */
function deployer(): string {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `uid ${process.getuid?.() ?? "?"}@${hostname()}`;
  }
}

/** Another switch holds the machine: say which, and when it ends by itself. */
function lockedError(machine: string, holder: LockHolder): StopError {
  const which =
    holder.generation === undefined ? "another switch" : `the switch to generation ${holder.generation}`;
  const who = [
    holder.by === undefined ? "" : ` by ${holder.by}`,
    holder.since === undefined ? "" : ` since ${holder.since}`,
  ].join("");
  return new StopError(
    "GW_SWITCH_LOCKED",
    `${machine} is busy with ${which}${who}; nothing was changed. Run this again when it has ended: it ends when it is confirmed or rolled back, and a lock left by a switch that died is taken over after ${LOCK_GRACE_SECONDS} s.`,
  );
}

/** Run the apply script detached from SSH and wait for it; a dropped connection leaves the status unknown. */
async function runApply(
  context: SwitchContext,
  generation: number,
): Promise<{ readonly status: number | null | undefined; readonly log: string }> {
  try {
    const run = await context.transport.runChecked(renderApplyCommand(generation));
    for (const line of run.stdout.trimEnd().split("\n"))
      context.events({ type: "output", phase: "activate", text: line });
    // systemd-run's own complaint (the unit did not start) comes on stderr.
    return { status: run.exitCode, log: `${run.stdout}${run.stderr}` };
  } catch (error) {
    // The activation may cut this connection (network, sshd): the confirmation tells what happened.
    if (!(error instanceof SshError)) throw error;
    context.events({ type: "note", text: `The connection dropped during the activation: ${error.message}` });
    return { status: undefined, log: "" };
  }
}

/** Run one command over a new connection within `timeoutMs`; undefined when the machine cannot be reached. */
async function overNewConnection(
  context: SwitchContext,
  timeoutMs: number,
  command: string,
): Promise<{ readonly ok: boolean; readonly stdout: string } | undefined> {
  const fresh = await context.reconnect(timeoutMs).catch(() => undefined);
  if (fresh === undefined) return undefined;
  try {
    const result = await fresh.runChecked(command);
    return { ok: result.exitCode === 0, stdout: result.stdout };
  } catch (error) {
    // The new connection dropped too (sshd going down as the activation stops it): not confirmed.
    if (error instanceof SshError) return undefined;
    throw error;
  } finally {
    await fresh.close();
  }
}

/**
 * Switch a running machine to a new system: compare with its current generation, show the difference, write
 * the new generation, apply it detached from SSH with a rollback armed, and confirm over a new connection. A
 * machine that cannot be reached again in time goes back to the previous generation by itself.
 */
export async function switchSystem(context: SwitchContext): Promise<SwitchResult> {
  const { events, transport } = context;
  const state = await readMachineState(transport);
  const run = planSwitchRun(state, context);
  const { plan, generation, previous } = run;
  events({ type: "plan", text: run.lines.join("\n") });
  if (plan.changes.length === 0) return { plan, generation: undefined };

  const confirmSeconds = Math.max(10, Math.round(context.confirmTimeoutMs / 1000));
  const files = renderGenerationFiles(run, context, state.system, {
    time: new Date().toISOString(),
    confirmSeconds,
  });
  const f = GENERATION_FILES;
  if (context.dryRun) {
    events({
      type: "note",
      text: `Dry run: generation ${generation} would run these scripts.\n\n${files[f.packagesScript]}\n${files[f.activate]}`,
    });
    return { plan, generation: undefined };
  }
  if (!(await context.confirm(run.lines.join("\n")))) {
    events({ type: "note", text: "Nothing was done." });
    return { plan, generation: undefined };
  }

  const dir = generationDir(generation);
  const written = await transport.runScript(
    renderWriteGenerationScript(generation, files, deployer(), state.current),
  );
  if (written.exitCode === SWITCH_LOCKED_EXIT)
    throw lockedError(transport.name, parseLockHolder(written.stdout));
  if (written.exitCode === SWITCH_STALE_EXIT)
    throw new StopError(
      "GW_SWITCH_STALE",
      `${transport.name} changed while this switch was being prepared (its current generation is ${written.stdout.trim() || "none"} now, not ${state.current ?? "none"}): another switch ended meanwhile. Nothing was changed; run the command again to switch from where it is now.`,
    );
  for (const line of written.stderr.split("\n"))
    if (line.startsWith("groundwork: ")) events({ type: "note", text: line.slice("groundwork: ".length) });
  if (written.exitCode !== 0)
    throw new RunError(
      `could not write generation ${generation} on ${transport.name}: ${written.stderr.trim()}`,
    );
  events({ type: "phase-start", phase: "activate", description: `activate generation ${generation}` });
  const started = performance.now();
  const { status, log } = await runApply(context, generation);
  await transport.close();
  events({ type: "phase-end", phase: "activate", durationMs: Math.round(performance.now() - started) });
  const outcome = applyOutcome(status, log);
  switch (outcome.kind) {
    case "pins-lost":
      throw new PinError(
        outcome.pins,
        context.kind === "rollback"
          ? `generation ${context.from} pinned them: roll back to another generation, or switch to a configuration with a current lock`
          : undefined,
      );
    case "packages-failed":
      throw new RunError(
        `the package changes of generation ${generation} failed on ${transport.name} and were undone; nothing else was changed (see ${dir}/${f.log})`,
      );
    case "activation-failed":
      throw new RolledBackError(
        `the activation of generation ${generation} failed on ${transport.name}; it went back to generation ${previous} (see ${dir}/${f.log})`,
      );
    case "apply-error": {
      const fresh = await context.reconnect(30_000).catch(() => undefined);
      const left = await fresh?.run(renderAbandonCommand(generation)).finally(() => fresh.close());
      const began = left?.stdout.trim() === "started";
      throw new RunError(
        `the apply of generation ${generation} ended with exit ${outcome.status} on ${transport.name}, which its script never gives${log.trim() === "" ? "" : `:\n${log.trim().split("\n").slice(-5).join("\n")}`}\n${began ? `It had begun: see ${dir}/${f.log}, and run groundwork generations to see where the machine is.` : "It never began: the generation is marked failed, and nothing was changed."}`,
      );
    }
    case "confirm":
      break;
  }

  // Confirm over a new connection: the proof that the new generation still lets the deployer in.
  const confirmStarted = performance.now();
  const confirmation = await overNewConnection(
    context,
    context.confirmTimeoutMs - 5000,
    renderConfirmCommand(generation),
  );
  if (confirmation?.ok === true) {
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
      `generation ${generation} was activated, but ${transport.name} cannot be reached again, and it had no earlier generation to go back to`,
    );
  // Not confirmed: the machine rolls back when its timer fires; wait for that, and look.
  events({
    type: "note",
    text: `No new connection within ${confirmSeconds} s: the machine goes back to generation ${previous} by itself.`,
  });
  const after = await overNewConnection(
    context,
    confirmSeconds * 1000 + 180_000,
    renderAwaitRollbackCommand(generation),
  );
  const back = rollbackMessage(after?.stdout, { generation, previous, machine: transport.name });
  throw back.rolledBack ? new RolledBackError(back.message) : new RunError(back.message);
}
