import { RunError } from "../errors/index.ts";
import { parseObserved } from "../facts/parse-observed.ts";
import type { SystemImage } from "../image/system/build-system.ts";
import type { DeployPlan } from "../plan/deploy-plan.ts";
import type { DiskKey } from "../plan/disk-keys.ts";
import { verifyInstalled } from "../plan/verify-layout.ts";
import { OBSERVE_SCRIPT } from "../render/observe-script.ts";
import type { SshOptions, SshTransport } from "../transport/ssh.ts";
import type { Transport } from "../transport/transport.ts";
import type { EventSink } from "../ui/events.ts";
import { deploy } from "./deploy/deploy.ts";
import { reconnect, requestReboot } from "./deploy/reconnect.ts";
import { PhaseTimer } from "./phase-timer.ts";

/** A throwaway QEMU machine as the install test drives it. */
export interface TestMachine {
  /** The port on 127.0.0.1 that reaches the machine's SSH. */
  readonly sshPort: number;
  /** Resolves when QEMU exits (the machine powered off or rebooted with -no-reboot). */
  waitForExit(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
  /** The last lines of the serial console, for failure messages. */
  consoleTail(): string;
  /** Plug the network cable out or in (fault tests). */
  setLink(up: boolean): Promise<void>;
  /** Cut the power at once (fault tests). */
  powerCut(): Promise<void>;
}

/** Starts the machines of one test: the live installer with blank disks, then the installed disks. */
export interface TestMachines {
  startLive(): Promise<TestMachine>;
  startFromDisk(firmware: "bios" | "uefi"): Promise<TestMachine>;
}

export interface InstallTestContext {
  readonly plan: DeployPlan;
  readonly machines: TestMachines;
  /** SSH options with the throwaway key; known hosts in the test's own folder. */
  readonly ssh: SshOptions;
  readonly connectLive: (port: number) => Promise<SshTransport>;
  readonly systemImage: () => Promise<SystemImage>;
  readonly tools: () => Promise<string>;
  readonly events: EventSink;
  readonly source: string;
  /** Disk name → device path as the test machine shows it. */
  readonly diskDevices: Readonly<Record<string, string>>;
  readonly firmwares: readonly ("bios" | "uefi")[];
  readonly bootTimeoutMs: number;
  /** Key files for the LUKS devices, as deploy takes them. */
  readonly diskEncryptionKeys?: readonly DiskKey[];
}

export interface InstallTestReport {
  readonly phases: readonly { phase: string; durationMs: number }[];
  /** Per firmware: what differs from the configuration (empty = as declared). */
  readonly checks: readonly { firmware: string; problems: readonly string[] }[];
}

async function checkSystem(
  transport: Transport,
  context: InstallTestContext,
  firmware: "bios" | "uefi",
): Promise<string[]> {
  const result = await transport.runScript(OBSERVE_SCRIPT);
  if (result.exitCode !== 0)
    throw new RunError(`reading the installed system failed: ${result.stderr.trim()}`);
  const observed = parseObserved(result.stdout);
  const problems = verifyInstalled(
    context.plan.devices,
    context.plan.system.hostName,
    observed,
    context.diskDevices,
  );
  if (observed.firmware !== firmware) problems.push(`booted under ${observed.firmware}, not ${firmware}`);
  return problems;
}

/**
 * The seed's installTest: install the configuration into a throwaway machine exactly as deploy does, boot it
 * from its own disk (under each firmware), and check disks, mounts, host name and the SSH login.
 */
export async function runInstallTest(context: InstallTestContext): Promise<InstallTestReport> {
  const timer = new PhaseTimer(context.events);
  const timed = <T>(phase: string, work: () => Promise<T>): Promise<T> => timer.run(phase, phase, work);
  const checks: { firmware: string; problems: string[] }[] = [];

  let machine = await timed("boot installer", () => context.machines.startLive());
  try {
    const live = await context.connectLive(machine.sshPort);
    let hostPublicKey = "";
    const [first, ...rest] = context.firmwares;
    const result = await deploy({
      plan: context.plan,
      phases: ["disk", "install", "reboot"],
      transport: live,
      systemImage: context.systemImage,
      buildOn: "local",
      tools: context.tools,
      confirm: async () => true,
      events: context.events,
      source: context.source,
      diskEncryptionKeys: context.diskEncryptionKeys ?? [],
      rebooter: {
        reboot: async (transport, publicKey) => {
          hostPublicKey = publicKey;
          await requestReboot(transport);
          await machine.waitForExit(120_000);
          machine = await context.machines.startFromDisk(first ?? "bios");
          return reconnect({
            destination: { user: "root", host: "127.0.0.1", port: machine.sshPort },
            ssh: context.ssh,
            hostPublicKey: publicKey,
            timeoutMs: context.bootTimeoutMs,
          });
        },
      },
    });
    timer.phases.push(...result.phases);
    const installed = result.transport;
    if (installed === undefined) throw new RunError("the install test did not reach the installed system");
    checks.push({
      firmware: first ?? "bios",
      problems: await timed("check", () => checkSystem(installed, context, first ?? "bios")),
    });
    await installed.close();
    for (const firmware of rest) {
      await machine.stop();
      const transport = await timed(`boot ${firmware}`, async () => {
        machine = await context.machines.startFromDisk(firmware);
        return reconnect({
          destination: { user: "root", host: "127.0.0.1", port: machine.sshPort },
          ssh: context.ssh,
          hostPublicKey,
          timeoutMs: context.bootTimeoutMs,
        });
      });
      try {
        checks.push({
          firmware,
          problems: await timed(`check ${firmware}`, () => checkSystem(transport, context, firmware)),
        });
      } finally {
        await transport.close();
      }
    }
    await live.close();
  } catch (error) {
    const tail = machine.consoleTail();
    if (error instanceof Error && tail !== "")
      error.message += `\nLast lines of the machine's console:\n${tail}`;
    throw error;
  } finally {
    await machine.stop();
  }
  return { phases: timer.phases, checks };
}
