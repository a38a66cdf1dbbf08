import { UsageError } from "../../errors/index.ts";
import {
  readMachineState,
  rollbackTargetOf,
  type SwitchContext,
  switchSystem,
} from "../../execute/switch.ts";
import { waitForSsh } from "../../execute/wait-for-ssh.ts";
import { switchTargetOf } from "../../plan/switch-run.ts";
import { parseDestination } from "../../transport/destination.ts";
import { type SshOptions, SshTransport } from "../../transport/ssh.ts";
import { confirm } from "../confirm.ts";
import { loadDeployPlan } from "../load-plan.ts";
import type { SharedFlags } from "../options.ts";
import type { Output } from "../output.ts";
import { reporterOf } from "../reporter.ts";
import { type SshFlags, sshOptionsOf } from "../ssh-flags.ts";

export interface GenerationsFlags extends SshFlags, Pick<SharedFlags, "json"> {
  readonly targetHost: string;
}

export interface SwitchFlags extends GenerationsFlags, Pick<SharedFlags, "verbose" | "yes"> {
  readonly dryRun?: boolean;
  readonly confirmTimeout: string;
}

export interface RollbackFlags extends SwitchFlags {
  readonly to?: string;
}

function target(flags: GenerationsFlags): {
  destination: ReturnType<typeof parseDestination>;
  ssh: SshOptions;
} {
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
  const events = reporterOf(flags, output);
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

/** `groundwork switch`: the configuration at `configPath`, as the machine's new generation. */
export async function runSwitchTo(configPath: string, flags: SwitchFlags, output: Output): Promise<void> {
  const { plan } = await loadDeployPlan(configPath);
  await runSwitch(flags, output, async () => switchTargetOf(plan));
}

/** `groundwork rollback`: an earlier generation (by default the one before the current), as a new one. */
export async function runRollback(flags: RollbackFlags, output: Output): Promise<void> {
  if (flags.to !== undefined && !/^\d+$/.test(flags.to))
    throw new UsageError(`--to ${flags.to}: give a generation number (see groundwork generations)`);
  await runSwitch(flags, output, (transport) =>
    rollbackTargetOf(transport, flags.to === undefined ? undefined : Number(flags.to)),
  );
}

/** `groundwork generations`: the machine's generations, the current one starred. */
export async function listGenerations(flags: GenerationsFlags, output: Output): Promise<void> {
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
}
