import type { Command } from "commander";
import { loadConfig } from "../../config/load.ts";
import { initPins, lockPathOf, readLock, updatePins } from "../../execute/pins.ts";
import { planDeploy } from "../../plan/deploy-plan.ts";
import type { Output } from "../output.ts";

/** `groundwork pins init|show|update`: groundwork.lock, the exact versions a build installs. */
export function registerPins(program: Command, output: Output): void {
  const pins = program
    .command("pins")
    .description("pin the distribution and every package version a build installs (groundwork.lock)");
  const planOf = async (configPath: string) =>
    planDeploy((await loadConfig(configPath)).config, { rootMountpoint: "/mnt" });
  const progress = (verbose: boolean | undefined) =>
    verbose === true ? (line: string) => output.stderr(line) : undefined;

  pins
    .command("init")
    .description("write groundwork.lock with the versions a build installs today")
    .argument("<config>", "configuration file or folder (configuration.ts inside)")
    .option("--verbose", "show mmdebstrap's output")
    .action(async (configPath: string, flags: { verbose?: boolean }) => {
      output.stderr("Pinning the versions a build installs…");
      const { path, lock } = await initPins(configPath, await planOf(configPath), progress(flags.verbose));
      output.stderr(
        `Pinned Debian ${lock.suite} from ${lock.mirror}: ${Object.keys(lock.packages).length} packages.`,
      );
      output.stdout(path);
    });

  pins
    .command("show")
    .description("list the pinned versions")
    .argument("<config>", "configuration file or folder (configuration.ts inside)")
    .action(async (configPath: string) => {
      const lock = await readLock(configPath);
      if (lock === undefined) {
        output.stderr(`${await lockPathOf(configPath)} does not exist: run groundwork pins init`);
        return;
      }
      output.stderr(`Debian ${lock.suite} from ${lock.mirror}:`);
      for (const [name, version] of Object.entries(lock.packages)) output.stdout(`${name}\t${version}`);
    });

  pins
    .command("update")
    .description("move the pins of the named packages (of all, when none is named) to today's versions")
    .argument("<config>", "configuration file or folder (configuration.ts inside)")
    .argument("[packages...]", "packages to update")
    .option("--verbose", "show mmdebstrap's output")
    .action(async (configPath: string, names: string[], flags: { verbose?: boolean }) => {
      output.stderr("Resolving every package against the mirror (a fresh build)…");
      const { path, changes } = await updatePins(
        configPath,
        await planOf(configPath),
        names,
        progress(flags.verbose),
      );
      output.stderr(changes.length === 0 ? `${path}: no pin changed.` : `${path}:`);
      for (const line of changes) output.stdout(line);
    });
}
