import type { SystemSpec } from "../facts/system-spec.ts";
import { GENERATION_FILES, generationDir, generationRecord } from "../plan/generation.ts";
import type { SwitchRun, SwitchTarget } from "../plan/switch-run.ts";
import {
  renderApplyScript,
  renderAptPreferences,
  renderPackagesScript,
  renderRollbackScript,
  renderSwitchActivation,
} from "./switch-script.ts";

/**
 * Every file of a new generation, by name: its records, its package changes and activation, the script that
 * applies them, and — when there is a generation to go back to — the way back.
 */
export function renderGenerationFiles(
  run: SwitchRun,
  target: SwitchTarget,
  current: SystemSpec | undefined,
  options: { readonly time: string; readonly confirmSeconds: number },
): Record<string, string> {
  const f = GENERATION_FILES;
  const { generation, previous, pins, plan } = run;
  const pinned = Object.keys(pins).length > 0;
  const files: Record<string, string> = {
    ...generationRecord({
      number: generation,
      time: options.time,
      kind: target.kind,
      from: target.from,
      summary: run.lines.at(-1) ?? "",
      system: target.system,
      configuration: target.configuration,
      pins,
    }),
    [f.packagesScript]: renderPackagesScript(plan, {
      pins,
      ...(pinned ? { preferences: `${generationDir(generation)}/${f.pins}` } : {}),
    }),
    ...(pinned ? { [f.pins]: renderAptPreferences(pins) } : {}),
    [f.activate]: renderSwitchActivation(current, target.system),
    [f.apply]: renderApplyScript(generation, previous, options.confirmSeconds),
  };
  if (previous !== undefined && current !== undefined) {
    files[f.rollback] = renderRollbackScript(generation, previous);
    files[f.rollbackActivate] = renderSwitchActivation(target.system, current);
    files[f.rollbackPackages] = renderPackagesScript({
      install: plan.remove,
      remove: plan.install,
      versions: plan.versions.map((change) => ({ name: change.name, from: change.to, to: change.from })),
    });
  }
  return files;
}
