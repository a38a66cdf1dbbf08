import type { Command } from "commander";
import { loadConfig } from "../../config/load.ts";
import { UsageError } from "../../errors/index.ts";
import { readLock } from "../../execute/pins.ts";
import {
  readMachineState,
  rollbackTargetOf,
  type SwitchContext,
  switchSystem,
  switchTargetOf,
} from "../../execute/switch.ts";
import { waitForSsh } from "../../execute/wait-for-ssh.ts";
import { planDeploy } from "../../plan/deploy-plan.ts";
import { parseDestination } from "../../transport/destination.ts";
import { type SshOptions, SshTransport } from "../../transport/ssh.ts";
import { jsonReporter, textReporter } from "../../ui/reporter.ts";
import { confirm } from "../confirm.ts";
import type { Output } from "../output.ts";
import { type SshFlags, sshOptionsOf, withSshFlags } from "../ssh-flags.ts";

interface TargetFlags extends SshFlags {
  readonly targetHost: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

interface SwitchFlags extends TargetFlags {
  readonly dryRun?: boolean;
  readonly yes?: boolean;
  readonly confirmTimeout: string;
}

function target(flags: TargetFlags): { destination: ReturnType<typeof parseDestination>; ssh: SshOptions } {
  const destination = parseDestination(flags.targetHost);
  const { options, port } = sshOptionsOf(flags);
  return { destination: { ...destination, port: port ?? destination.port }, ssh: options };
}

function confirmTimeoutMs(text: string): number {
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 15 || seconds > 3600)
    throw new UsageError(`--confirm-timeout ${text}: give whole seconds between 15 and 3600`);
  return seconds * 1000;
}

function withSwitchFlags(command: Command): Command {
  return withSshFlags(command)
    .requiredOption("--target-host <USER@HOST>", "the machine, as installed by groundwork deploy")
    .option("--dry-run", "show the difference and the scripts, change nothing")
    .option("--yes", "apply without asking after the difference was shown")
    .option(
      "--confirm-timeout <SECONDS>",
      "how long the machine waits for a new SSH connection after the activation before it rolls back",
      "60",
    )
    .option("--json", "print events as JSON lines")
    .option("--verbose", "show the output of the activation");
}

/** Everything a switch and a rollback share: the connection, the confirmation, the reporting. */
async function runSwitch(
  flags: SwitchFlags,
  output: Output,
  make: (
    transport: SshTransport,
  ) => Promise<
    Omit<SwitchContext, "transport" | "reconnect" | "confirmTimeoutMs" | "dryRun" | "confirm" | "events">
  >,
): Promise<void> {
  const { destination, ssh } = target(flags);
  const events =
    flags.json === true
      ? jsonReporter(output.stdout)
      : textReporter(output.stderr, { verbose: flags.verbose === true });
  const transport = await SshTransport.create(destination, ssh);
  try {
    const result = await switchSystem({
      ...(await make(transport)),
      transport,
      reconnect: (timeoutMs) => waitForSsh(destination, ssh, Math.max(5000, timeoutMs)),
      confirmTimeoutMs: confirmTimeoutMs(flags.confirmTimeout),
      dryRun: flags.dryRun === true,
      confirm: async () => flags.yes === true || (await confirm(`\nApply to ${transport.name}?`)),
      events,
    });
    if (result.generation !== undefined) output.stdout(String(result.generation));
  } finally {
    await transport.close();
  }
}

/** `groundwork switch`, `groundwork generations` and `groundwork rollback`: update a running machine. */
export function registerSwitch(program: Command, output: Output): void {
  withSwitchFlags(
    program
      .command("switch")
      .description("update a machine installed by groundwork to a configuration, as a new generation")
      .argument("<config>", "configuration file or folder (configuration.ts inside)"),
  ).action(async (configPath: string, flags: SwitchFlags) => {
    const { config } = await loadConfig(configPath);
    const plan = planDeploy(config, { rootMountpoint: "/mnt", lock: await readLock(configPath) });
    await runSwitch(flags, output, async () => switchTargetOf(plan));
  });

  withSwitchFlags(
    program.command("rollback").description("activate an earlier generation again, as a new generation"),
  )
    .option("--to <N>", "the generation to go back to (default: the one before the current)")
    .action(async (flags: SwitchFlags & { readonly to?: string }) => {
      if (flags.to !== undefined && !/^\d+$/.test(flags.to))
        throw new UsageError(`--to ${flags.to}: give a generation number (see groundwork generations)`);
      await runSwitch(flags, output, (transport) =>
        rollbackTargetOf(transport, flags.to === undefined ? undefined : Number(flags.to)),
      );
    });

  withSshFlags(
    program
      .command("generations")
      .description("list the generations of a machine installed by groundwork")
      .requiredOption("--target-host <USER@HOST>", "the machine")
      .option("--json", "print the generations as JSON"),
  ).action(async (flags: TargetFlags) => {
    const { destination, ssh } = target(flags);
    const transport = await SshTransport.create(destination, ssh);
    try {
      const state = await readMachineState(transport);
      if (flags.json === true) {
        output.stdout(JSON.stringify(state.generations, null, 2));
        return;
      }
      if (state.generations.length === 0) {
        output.stderr(`${transport.name} has no generations: it was not installed by groundwork deploy.`);
        return;
      }
      for (const entry of state.generations) {
        output.stdout(
          [
            `${entry.current ? "*" : " "} ${String(entry.number).padStart(3)}`,
            entry.time.replace("T", " ").replace(/\.\d+Z$/, "Z"),
            entry.kind + (entry.from === undefined ? "" : ` to ${entry.from}`),
            entry.summary,
            entry.rolledBack === undefined ? "" : `(rolled back ${entry.rolledBack})`,
            entry.failed === undefined ? "" : `(failed ${entry.failed}: never active)`,
          ]
            .filter((part) => part !== "")
            .join("  "),
        );
      }
    } finally {
      await transport.close();
    }
  });
}
