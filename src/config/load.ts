import { readFile } from "node:fs/promises";
import { checkLayout } from "../disk/check.ts";
import { ConfigError, type Problem } from "../errors/index.ts";
import { checkBoot } from "./check-boot.ts";
import { checkDiskOverrides, diskOverrideDefinitions } from "./disk-overrides.ts";
import { displayFile } from "./display-file.ts";
import { type EvaluateOptions, evaluateModules } from "./evaluate.ts";
import { issueProblems } from "./issues.ts";
import { missingModuleMessage, resolveModuleFile } from "./module-file.ts";
import { formatOptionPath, parseOptionPath } from "./option-path.ts";
import { type Config, configSchema } from "./schema.ts";
import { textProblem } from "./text.ts";

export interface LoadOptions {
  /** `--disk NAME=DEVICE`: use DEVICE for `disko.devices.disk.NAME.device` in this run. */
  readonly diskDevices?: Readonly<Record<string, string>>;
  /** How long a module may take to load, or its function to return (30 s by default). */
  readonly moduleTimeoutMs?: number;
}

/** A validated configuration, the module files it was read from, and which file set each option. */
export interface LoadedConfig {
  readonly config: Config;
  /** Absolute paths of every module file read, the root first. */
  readonly files: string[];
  /** The file that set a dotted option path (or the closest enclosing option that a file set). */
  sourceOf(path: string): string | undefined;
}

/** Loads the configuration at `path` (a module file, or a folder with configuration.ts), merged and validated. */
export async function loadConfig(path: string, options: LoadOptions = {}): Promise<LoadedConfig> {
  const diskDevices = options.diskDevices ?? {};
  const root = resolveModuleFile(path, process.cwd());
  if (root === undefined)
    throw new ConfigError([{ path: "", message: missingModuleMessage(path, process.cwd()) }]);

  const evaluateOptions =
    options.moduleTimeoutMs === undefined ? {} : { moduleTimeoutMs: options.moduleTimeoutMs };
  const evaluation = await evaluateModules(root, diskOverrideDefinitions(diskDevices), evaluateOptions);
  const { provenance } = evaluation;
  const overrideProblems = checkDiskOverrides(diskDevices, evaluation.value, provenance);
  if (overrideProblems.length > 0) throw new ConfigError(overrideProblems);

  const parsed = configSchema.safeParse(evaluation.value, { reportInput: true });
  if (!parsed.success) {
    const fileOf = (segments: readonly PropertyKey[]) => provenance.fileOf(segments);
    throw new ConfigError(
      issueProblems(parsed.error.issues, { schema: configSchema, input: evaluation.value, fileOf }),
    );
  }

  const layoutProblems = [...checkLayout(parsed.data.disko.devices), ...checkBoot(parsed.data)].map(
    (problem) => {
      if (problem.file !== undefined) return problem;
      const file = provenance.fileOf(parseOptionPath(problem.path) ?? []);
      return file === undefined ? problem : { ...problem, file: displayFile(file) };
    },
  );
  if (layoutProblems.length > 0) throw new ConfigError(layoutProblems);

  const withSources = await readEtcSources(parsed.data, (segments) => provenance.fileOf(segments));
  return {
    config: await withGrubDevicesMoved(withSources, root, diskDevices, evaluateOptions),
    files: [...evaluation.files],
    sourceOf: (option) => provenance.sourceOf(option),
  };
}

/**
 * `--disk main=/dev/vdb` moves disk main for one run; GRUB must follow it. Entries of
 * `boot.loader.grub.devices` that named the disk's declared device name its new one.
 */
async function withGrubDevicesMoved(
  config: Config,
  root: string,
  diskDevices: Readonly<Record<string, string>>,
  options: EvaluateOptions,
): Promise<Config> {
  if (Object.keys(diskDevices).length === 0) return config;
  const declared = await evaluateModules(root, [], options);
  const disks =
    (declared.value as { disko?: { devices?: { disk?: Record<string, { device?: unknown }> } } }).disko
      ?.devices?.disk ?? {};
  const moved = new Map<string, string>();
  for (const [name, device] of Object.entries(diskDevices)) {
    const before = disks[name]?.device;
    if (typeof before === "string") moved.set(before, device);
  }
  const grub = config.boot.loader.grub;
  return {
    ...config,
    boot: {
      ...config.boot,
      loader: {
        ...config.boot.loader,
        grub: { ...grub, devices: grub.devices.map((device) => moved.get(device) ?? device) },
      },
    },
  };
}

/**
 * `environment.etc.<path>.source` names a local file: its content becomes the entry's `text`, read once here so
 * that everything after loading works on plain data. A file that cannot be read is a problem of that option.
 */
async function readEtcSources(
  config: Config,
  fileOf: (segments: readonly PropertyKey[]) => string | undefined,
): Promise<Config> {
  const problems: Problem[] = [];
  const etc: Config["environment"]["etc"] = {};
  for (const [path, file] of Object.entries(config.environment.etc)) {
    if (!file.enable || file.source === undefined) {
      etc[path] = file;
      continue;
    }
    const module = fileOf(["environment", "etc", path, "source"]);
    const problem = (message: string) =>
      problems.push({
        ...(module === undefined ? {} : { file: displayFile(module) }),
        path: formatOptionPath(["environment", "etc", path, "source"]),
        message,
      });
    try {
      const text = await readFile(file.source, "utf8");
      const wrong = textProblem(text);
      if (wrong === undefined) etc[path] = { ...file, text };
      else problem(`${file.source} ${wrong}`);
    } catch (error) {
      problem(
        `cannot read ${file.source} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): give the path of an existing file`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...config, environment: { ...config.environment, etc } };
}
