import { UsageError } from "../errors/index.ts";
import type { MachineState } from "../facts/machine-state.ts";
import type { SystemSpec } from "../facts/system-spec.ts";
import type { DeployPlan } from "./deploy-plan.ts";
import { APPLY_EXIT, INTERRUPTED_WORD, KERNEL_NOTE, NOT_STARTED_WORD, PENDING_WORD } from "./generation.ts";
import { lostPins } from "./pins.ts";
import { describeSwitch, planSwitch, type SwitchPlan } from "./switch-plan.ts";
import { BASE_PACKAGES } from "./system-packages.ts";

/** What a switch (or a rollback) installs on a running machine. */
export interface SwitchTarget {
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
}

/** What a switch to a planned configuration installs: its system, its configuration, and what it keeps. */
export function switchTargetOf(plan: DeployPlan): SwitchTarget {
  return {
    system: plan.system,
    versions: plan.pins,
    configuration: plan.configuration,
    kept: new Set(plan.packages.filter((name) => !plan.system.packages.includes(name))),
    kind: "switch",
  };
}

/**
 * Which generation a rollback returns to: `to`, or by default the last one before the current that neither
 * rolled back nor failed. Refuses the current generation and one that never became active.
 */
export function chooseRollback(state: MachineState, to: number | undefined, machine: string): number {
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
      `${to === undefined ? "there is no earlier generation" : `--to ${to}: no such generation, other than the current one, that was ever active`} on ${machine}: see groundwork generations`,
    );
  return number;
}

/** A rollback to generation `number`, whose records were read back from the machine. */
export function rollbackTarget(
  number: number,
  records: {
    readonly system: SystemSpec;
    readonly configuration: unknown;
    readonly pins: Record<string, string>;
  },
): SwitchTarget {
  return {
    system: records.system,
    configuration: records.configuration,
    // The versions it was pinned to come back with it; an unpinned generation leaves versions as they are.
    versions: records.pins,
    kept: new Set<string>(BASE_PACKAGES),
    kind: "rollback",
    from: number,
  };
}

/** A switch decided from the machine's state: the difference, and the generation that would carry it. */
export interface SwitchRun {
  readonly plan: SwitchPlan;
  /** The difference as a person reads it, one change a line, then a count. */
  readonly lines: readonly string[];
  /** The new generation's number (when there is anything to do). */
  readonly generation: number;
  /** The active generation before the switch: where a failed or unconfirmed one goes back to. */
  readonly previous: number | undefined;
  readonly pins: Readonly<Record<string, string>>;
}

/** Compare the machine's current generation with the target and number the generation that would follow. */
export function planSwitchRun(state: MachineState, target: SwitchTarget): SwitchRun {
  const pins = target.versions ?? {};
  const plan = planSwitch(state.system, target.system, state.installed, target.kept, pins);
  return {
    plan,
    lines: describeSwitch(plan),
    generation: Math.max(0, ...state.generations.map((entry) => entry.number)) + 1,
    previous: state.current,
    pins,
  };
}

/** What the apply script's exit says happened, read with its log. */
export type ApplyOutcome =
  /** It ran, or the connection dropped before it said: the confirmation over a new connection tells. */
  | { readonly kind: "confirm" }
  | { readonly kind: "pins-lost"; readonly pins: ReturnType<typeof lostPins> }
  | { readonly kind: "packages-failed" }
  | { readonly kind: "activation-failed" }
  /** An exit the apply script never gives: its unit did not run (systemd-run failed) or was killed. */
  | { readonly kind: "apply-error"; readonly status: number };

/** Read the apply script's exit status (`undefined` when the connection dropped before it ended). */
export function applyOutcome(status: number | null | undefined, log: string): ApplyOutcome {
  if (status === APPLY_EXIT.packagesFailed) {
    const pins = lostPins(log);
    return pins.length > 0 ? { kind: "pins-lost", pins } : { kind: "packages-failed" };
  }
  if (status === APPLY_EXIT.activationFailed) return { kind: "activation-failed" };
  if (typeof status === "number" && status !== 0) return { kind: "apply-error", status };
  return { kind: "confirm" };
}

/** The activation log's word that a newer kernel is installed than the one running, as a sentence. */
export function waitingKernel(log: string): string | undefined {
  const line = log.split("\n").find((candidate) => candidate.startsWith(`${KERNEL_NOTE} `));
  return line === undefined ? undefined : `Kernel ${line.slice(KERNEL_NOTE.length + 1)}: reboot to run it.`;
}

/**
 * What the deployer says after an unconfirmed generation, from what the machine printed once it answered again
 * (the await-rollback command: the current generation, and INTERRUPTED_WORD when a restart cut the switch), or
 * undefined when it did not answer.
 */
export function rollbackMessage(
  answer: string | undefined,
  switched: { readonly generation: number; readonly previous: number; readonly machine: string },
): { readonly rolledBack: boolean; readonly message: string } {
  const { generation, previous, machine } = switched;
  const [current, ...words] = (answer ?? "")
    .trim()
    .split("\n")
    .map((line) => line.trim());
  const lost = `${machine} could not be reached again after generation ${generation} was activated (the generation cut SSH off, or the network failed)`;
  // No answer reads as an empty current generation: not the previous one.
  if (words.includes(NOT_STARTED_WORD))
    return {
      rolledBack: false,
      message: `the connection to ${machine} dropped before generation ${generation}'s apply could start: nothing was changed, and generation ${generation} is marked failed. Run the switch again.`,
    };
  if (words.includes(PENDING_WORD))
    return {
      rolledBack: false,
      message: `${machine} answers again, but generation ${generation} is still being applied (its package changes may have waited for the network) and runs generation ${current || "none"} now; unless it is confirmed, the machine goes back to generation ${previous} by itself. Run groundwork generations to see where it is.`,
    };
  if (current !== String(previous))
    return {
      rolledBack: false,
      message: `${lost}, and the machine does not answer after its rollback to generation ${previous} either`,
    };
  if (words.includes(INTERRUPTED_WORD))
    return {
      rolledBack: true,
      message: `${machine} restarted before generation ${generation} was confirmed; at boot it went back to generation ${previous}, which runs now`,
    };
  return {
    rolledBack: true,
    message: `${lost}; the machine went back to generation ${previous} by itself and answers again`,
  };
}
