import { isDeepStrictEqual } from "node:util";
import { ConfigError } from "../errors/index.ts";
import { type Definition, ModuleCollector } from "./collect.ts";
import { lib } from "./lib.ts";
import { mergeDefinitions } from "./merge.ts";
import { formatOptionPath } from "./option-path.ts";
import { modulesPath } from "./package-root.ts";
import { Provenance } from "./provenance.ts";
import { type Config, configSchema } from "./schema.ts";

/** The merged definitions of every module (not yet validated), where each came from, and the files read. */
export interface Evaluation {
  readonly value: Record<string, unknown>;
  readonly provenance: Provenance;
  readonly files: readonly string[];
}

export interface EvaluateOptions {
  /** How long a module may take to load, or its function to return (30 s by default). */
  readonly moduleTimeoutMs?: number;
}

/** Rounds before giving up on modules whose definitions keep changing with `config`. */
const MAX_ROUNDS = 10;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `merged` over `defaults`: what modules see as `config` while the definitions do not validate yet. */
function overlay(defaults: unknown, merged: unknown): unknown {
  if (!isObject(defaults) || !isObject(merged)) return merged === undefined ? defaults : merged;
  const result: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(merged))
    result[key] = overlay(Object.hasOwn(defaults, key) ? defaults[key] : undefined, value);
  return result;
}

function resolvedConfig(merged: Record<string, unknown>, defaults: Config): Config {
  const parsed = configSchema.safeParse(merged);
  return parsed.success ? parsed.data : (overlay(defaults, merged) as Config);
}

/** A few option paths whose values differ, to say which options keep changing. */
function changedPaths(before: unknown, after: unknown, path: readonly string[] = []): string[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (!isObject(before) || !isObject(after)) return [formatOptionPath(path)];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.flatMap((key) => changedPaths(before[key], after[key], [...path, key])).slice(0, 3);
}

/** A `config` that notes whether any module read it: if none did, one round is enough. */
function watched(config: Config, onRead: () => void): Config {
  return new Proxy(config, {
    get(target, key, receiver) {
      onRead();
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

/**
 * Evaluates the modules reachable from `root` to a fixpoint: function modules get as `config` the result of the
 * previous round (first: the defaults) until the merged definitions stop changing. A module function that throws
 * is retried in the next round; its error counts only if it still throws once the rest has settled.
 */
export async function evaluateModules(
  root: string,
  extra: readonly Definition[] = [],
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const collector = new ModuleCollector(options.moduleTimeoutMs);
  const defaults = configSchema.parse({});
  let config = defaults;
  let previous: Record<string, unknown> | undefined;
  for (let round = 1; round <= MAX_ROUNDS; round += 1) {
    let isConfigRead = false;
    const args = {
      config: watched(config, () => {
        isConfigRead = true;
      }),
      lib,
      modulesPath: modulesPath(),
    };
    const collected = await collector.collect(root, args);
    const merged = mergeDefinitions([...collected.definitions, ...extra]);
    if (!isConfigRead || (previous !== undefined && isDeepStrictEqual(previous, merged.value))) {
      const problems = [...collected.failures, ...merged.problems];
      if (problems.length > 0) throw new ConfigError(problems);
      return { value: merged.value, provenance: new Provenance(merged.provenance), files: collected.files };
    }
    if (previous !== undefined && round === MAX_ROUNDS) {
      const changing = changedPaths(previous, merged.value).join(", ");
      throw new ConfigError([
        {
          path: "",
          message: `the configuration does not settle: after ${MAX_ROUNDS} rounds, modules reading \`config\` still change ${changing}; make sure no option depends on itself`,
        },
      ]);
    }
    previous = merged.value;
    config = resolvedConfig(merged.value, defaults);
  }
  throw new ConfigError([{ path: "", message: "the configuration does not settle" }]);
}
