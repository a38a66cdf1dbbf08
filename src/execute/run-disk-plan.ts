import type { DiskStep } from "../disk/steps.ts";
import { RunError } from "../errors/index.ts";
import type { DiskPlan } from "../plan/disk-plan.ts";
import { renderDiskScript } from "../render/disk-script.ts";
import type { ScriptOptions, Transport } from "../transport/transport.ts";
import { startedSteps } from "./step-output.ts";

/** What a run of a disk plan left behind, said for a person. */
export function describeState(plan: DiskPlan, startedIds: readonly string[]): string {
  const failedId = startedIds.at(-1);
  const failedIndex = plan.steps.findIndex((step) => step.id === failedId);
  const done: DiskStep[] = failedIndex === -1 ? [] : plan.steps.slice(0, failedIndex);
  const failed = failedIndex === -1 ? undefined : plan.steps[failedIndex];
  const wrote = done.some((step) => !step.kind.startsWith("check-"));
  if (failed === undefined) return "It stopped before its first step: nothing was written.";
  const stopped = `It stopped at: ${failed.description}.`;
  if (!wrote && failed.kind.startsWith("check-")) return `${stopped} Nothing was written to the disks.`;
  if (!wrote) return `${stopped} No step before it wrote anything.`;
  const destroyed = done.some((step) => step.destroys) || failed.destroys;
  return `${stopped} Done before it: ${done.filter((step) => !step.kind.startsWith("check-")).length} of ${plan.steps.length} steps${destroyed ? ", including wiping disks" : ""}. Fix the cause and run the same command again: steps that are done are skipped.`;
}

/** Render the plan and run it through `transport`; a failure becomes a RunError that says what state it left. */
export async function runDiskPlan(
  plan: DiskPlan,
  transport: Transport,
  source: string,
  options: ScriptOptions = {},
): Promise<void> {
  const script = renderDiskScript(plan.steps, { mode: plan.mode, source, lock: true });
  const result = await transport.runScript(script, options);
  if (result.exitCode === 0) return;
  const startedIds = startedSteps(result.stdout);
  const lines = result.stderr
    .trim()
    .split("\n")
    .filter((line) => line.trim() !== "");
  // groundwork's own words when the script said why; else what the failing command said last.
  const reason = lines.filter((line) => line.startsWith("groundwork: ")).at(-1) ?? lines.at(-1);
  throw new RunError(
    `The ${plan.mode} script failed on ${transport.name} (exit ${result.exitCode})${reason === undefined ? "" : `: ${reason.replace(/^groundwork: /, "")}`}\n${describeState(plan, startedIds)}`,
    { stderr: result.stderr, exitCode: result.exitCode },
  );
}
