import { recordInitrdHostKeyOf } from "../../execute/initrd-host-key.ts";
import {
  readMachineState,
  rollbackTargetOf,
  type SwitchContext,
  switchSystem,
} from "../../execute/switch.ts";
import { waitForSsh } from "../../execute/wait-for-ssh.ts";
import { switchTargetOf } from "../../plan/switch-run.ts";
import type { Destination } from "../../transport/destination.ts";
import { type SshOptions, SshTransport } from "../../transport/ssh.ts";
import { confirm } from "../confirm.ts";
import { loadDeployPlan } from "../load-plan.ts";
import type { SharedFlags } from "../options.ts";
import type { Output } from "../output.ts";
import { reporterOf } from "../reporter.ts";
import type { SshFlags } from "../ssh-flags.ts";
import { sshOptionsOf } from "../ssh-options.ts";

export interface GenerationsFlags extends SshFlags, Pick<SharedFlags, "json"> {
  readonly targetHost: Destination;
}

export interface SwitchFlags extends GenerationsFlags, Pick<SharedFlags, "verbose" | "yes"> {
  readonly dryRun?: boolean;
  /** Seconds. */
  readonly confirmTimeout: number;
}

export interface RollbackFlags extends SwitchFlags {
  readonly to?: number;
}

function target(flags: GenerationsFlags): { destination: Destination; ssh: SshOptions } {
  const { options, port } = sshOptionsOf(flags);
  return { destination: { ...flags.targetHost, port: port ?? flags.targetHost.port }, ssh: options };
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
    const switchTarget = await make(transport);
    const result = await switchSystem({
      ...switchTarget,
      transport,
      reconnect: (timeoutMs) => waitForSsh(destination, ssh, Math.max(5000, timeoutMs)),
      confirmTimeoutMs: flags.confirmTimeout * 1000,
      dryRun: flags.dryRun === true,
      confirm: async () => flags.yes === true || (await confirm(`\nApply to ${transport.name}?`)),
      events,
    });
    const initrdSsh = switchTarget.system.initrdSsh;
    if (result.generation !== undefined && initrdSsh !== undefined) {
      // The machine made the initramfs's host key if it had none: `groundwork unlock` trusts only that one.
      const system = await waitForSsh(destination, ssh, 60_000);
      try {
        await recordInitrdHostKeyOf(system, initrdSsh.port);
      } finally {
        await system.close();
      }
    }
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
  await runSwitch(flags, output, (transport) => rollbackTargetOf(transport, flags.to));
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
          entry.interrupted === undefined ? "" : `(cut by a restart ${entry.interrupted})`,
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
