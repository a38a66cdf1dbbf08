import type { z } from "zod";
import { checkedString } from "./checked-string.ts";
import type { ContentPlanner } from "./content/planner.ts";
import type { DeviceRef, DiskStep } from "./steps.ts";

/**
 * disko's hooks: shell commands a layout runs before and after a device (or content) is created, mounted and
 * unmounted. They are code by design, run as root on the target in the disk script, and shown in the plan.
 */
export const HOOK_NAMES = [
  "preCreateHook",
  "postCreateHook",
  "preMountHook",
  "postMountHook",
  "preUnmountHook",
  "postUnmountHook",
] as const;

export type HookName = (typeof HOOK_NAMES)[number];
export type Stage = "Create" | "Mount" | "Unmount";

const hookText = checkedString((text) =>
  text.includes("\u0000") ? "holds a NUL byte, which no shell script can: remove it" : undefined,
);

const hook = (when: string): z.ZodOptional<z.ZodString> =>
  hookText.optional().meta({
    description: `Shell commands run as root on the target ${when} (as disko runs them: each time that step runs, so make them harmless to run twice).`,
  });

/** The six hook options, for every content type and top-level device. */
export const hookOptions: { readonly [K in HookName]: z.ZodOptional<z.ZodString> } = {
  preCreateHook: hook("before this is created (format and disko modes)"),
  postCreateHook: hook("after this and what it holds are created"),
  preMountHook: hook("before each of its mounts"),
  postMountHook: hook("after each of its mounts"),
  preUnmountHook: hook("before each of its unmounts"),
  postUnmountHook: hook("after each of its unmounts"),
};

type WithHooks = { readonly [K in HookName]?: string | undefined };

/** One hook to run: its commands, the option that declares it, and the shell variables it sees. */
export interface HookRun {
  readonly hook: HookName;
  readonly script: string;
  /** Option path of the hook, e.g. `disko.devices.disk.main.content.postCreateHook`. */
  readonly path: string;
  /** The device it concerns, as `$device`; undefined where there is none (a volume group). */
  readonly device: DeviceRef | undefined;
  /** Plain options of the declaration (`name`, `format`, `mountpoint`, …), as shell variables. */
  readonly variables: Readonly<Record<string, string>>;
}

/** Options that become shell variables a hook can read, as disko defines them. */
const VARIABLES = ["type", "name", "format", "mountpoint", "vg", "level", "metadata"] as const;

/** The hooks `declaration` has at `path` (the option path of the declaration itself), by name. */
export function hooksOf(declaration: unknown, path: string, device: DeviceRef | undefined): HookRun[] {
  if (typeof declaration !== "object" || declaration === null) return [];
  const record = declaration as WithHooks & Record<string, unknown>;
  const variables: Record<string, string> = {};
  for (const name of VARIABLES) {
    const value = record[name];
    if (typeof value === "string" || typeof value === "number") variables[name] = String(value);
  }
  return HOOK_NAMES.flatMap((name) => {
    const script = record[name];
    return script === undefined || script.trim() === ""
      ? []
      : [{ hook: name, script, path: `${path}.${name}`, device, variables }];
  });
}

/** The commands of a hook as the plan shows them: the first line, quoted (control characters escaped). */
function preview(script: string): string {
  const lines = script.trim().split("\n");
  const first = lines[0] ?? "";
  const more = lines.length > 1 ? ` (and ${lines.length - 1} more line${lines.length === 2 ? "" : "s"})` : "";
  return `${JSON.stringify(first.length > 80 ? `${first.slice(0, 79)}…` : first)}${more}`;
}

/** The step that runs `run`, on `disk` for the plan's grouping; `around` tells apart the runs of one hook. */
export function hookStep(run: HookRun, disk: string | undefined, around = ""): DiskStep {
  return {
    kind: "hook",
    id: `hook:${run.path}${around === "" ? "" : `:${around}`}`,
    description: `run ${run.path}${around === "" ? "" : ` (${around})`}: ${preview(run.script)}`,
    destroys: false,
    disk,
    run,
  };
}

/** The `pre<stage>Hook` and `post<stage>Hook` steps of `runs`, around `steps` (which may be none). */
export function aroundHooks(
  runs: readonly HookRun[],
  stage: Stage,
  disk: string | undefined,
  steps: readonly DiskStep[],
): DiskStep[] {
  // A mount hook runs around each mount: the mount's id tells its runs apart.
  const around = stage === "Create" ? "" : (steps[0]?.id ?? "");
  const pre = runs.filter((run) => run.hook === `pre${stage}Hook`).map((run) => hookStep(run, disk, around));
  // Post hooks of nested declarations run inner first, as their steps end.
  const post = runs
    .filter((run) => run.hook === `post${stage}Hook`)
    .reverse()
    .map((run) => hookStep(run, disk, around));
  return [...pre, ...steps, ...post];
}

/** A planner that runs the hooks its content declares around what `planner` does: creating, and each mount. */
export function withHooks<C>(planner: ContentPlanner<C>): ContentPlanner<C> {
  return {
    ...planner,
    format(content, place) {
      return aroundHooks(
        hooksOf(content, place.path, place.device),
        "Create",
        place.disk,
        planner.format(content, place),
      );
    },
    mounts(content, place) {
      const own = hooksOf(content, place.path, place.device).filter(
        (run) => !run.hook.endsWith("CreateHook"),
      );
      return planner
        .mounts(content, place)
        .map((mount) => ({ ...mount, hooks: [...own, ...(mount.hooks ?? [])] }));
    },
  };
}
