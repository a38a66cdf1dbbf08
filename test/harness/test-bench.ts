// The VM tests' and the benchmarks' bench: the machines `groundwork test` installs into, plus what a test
// drives by hand (log in, reboot through deploy, deploy without questions). Only tests and bench/ use it, so
// it lives beside them, not in the product.

import { InternalError } from "../../src/errors/index.ts";
import { systemImageOf } from "../../src/execute/build-outputs.ts";
import type { DeployContext } from "../../src/execute/deploy/deploy.ts";
import type { Rebooter } from "../../src/execute/deploy/reboot-phase.ts";
import { reconnect, requestReboot } from "../../src/execute/deploy/reconnect.ts";
import type { TestMachine } from "../../src/execute/install-test.ts";
import {
  type InstallTestMachines,
  prepareInstallTestMachines,
} from "../../src/execute/install-test-machines.ts";
import { unlock } from "../../src/execute/unlock.ts";
import { waitForSsh } from "../../src/execute/wait-for-ssh.ts";
import type { DeployPlan } from "../../src/plan/deploy-plan.ts";
import { initrdHostKeyAlias, replaceHostKey } from "../../src/transport/known-hosts.ts";
import type { SshOptions, SshTransport } from "../../src/transport/ssh.ts";
import type { Firmware } from "../../src/vm/machine.ts";

export interface TestBench
  extends Pick<
    InstallTestMachines,
    "dir" | "installer" | "accel" | "key" | "knownHostsFile" | "rootSsh" | "diskDevices" | "dispose"
  > {
  /** The machines as `groundwork test` starts them. */
  readonly machines: InstallTestMachines;
  /** The machine started last (live or from its disks); `dispose` stops it. */
  readonly machine: TestMachine;
  /** Stop the running machine, if any, and boot the disks (with the layout's firmware unless given); SSH goes to `address` (a static one) or DHCP's. */
  bootDisk(
    firmware?: Firmware,
    options?: { readonly address?: string; readonly answerPassphrases?: boolean },
  ): Promise<TestMachine>;
  /** Log into the running machine when it answers. */
  login(options?: {
    readonly user?: string;
    readonly ssh?: SshOptions;
    readonly timeoutMs?: number;
  }): Promise<SshTransport>;
  /**
   * deploy's rebooter for the machine: the guest reboots (QEMU exits, -no-reboot), the disks boot, and the new
   * system is logged into as root with the throwaway key (or as `login`).
   */
  rebooter(options?: {
    readonly user?: string;
    readonly ssh?: SshOptions;
    readonly address?: string;
    /** Type LUKS passphrases on the console (the default), or leave that to groundwork unlock. */
    readonly answerPassphrases?: boolean;
  }): Rebooter;
  /** A deploy of `plan` onto the machine with no questions asked; add the phases and the transport. */
  deployContext(plan: DeployPlan, source: string): Omit<DeployContext, "phases" | "transport">;
}

/** The machines of an install test of `plan`, with the helpers the VM tests and the benchmarks drive them by. */
export async function prepareTestBench(
  plan: DeployPlan,
  options: Parameters<typeof prepareInstallTestMachines>[1],
): Promise<TestBench> {
  const machines = await prepareInstallTestMachines(plan, options);
  const bench: TestBench = {
    dir: machines.dir,
    installer: machines.installer,
    accel: machines.accel,
    key: machines.key,
    knownHostsFile: machines.knownHostsFile,
    rootSsh: machines.rootSsh,
    diskDevices: machines.diskDevices,
    machines,
    get machine(): TestMachine {
      if (machines.current === undefined) throw new InternalError("no test machine runs yet");
      return machines.current;
    },
    bootDisk: (firmware = machines.firmware, options = {}) => machines.startFromDisk(firmware, options),
    login: async (options = {}) => {
      // While a machine restarts (bootDisk) there is none for a moment: a login waits for the next one.
      const timeoutMs = options.timeoutMs ?? 300_000;
      const deadline = Date.now() + timeoutMs;
      while (machines.current === undefined && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 250));
      return waitForSsh(
        { user: options.user ?? "root", host: "127.0.0.1", port: bench.machine.sshPort },
        options.ssh ?? machines.rootSsh,
        Math.max(1000, deadline - Date.now()),
      );
    },
    rebooter: (options = {}) => ({
      reboot: async (transport, hostPublicKey) => {
        await requestReboot(transport);
        await bench.machine.waitForExit(120_000);
        await bench.bootDisk(machines.firmware, {
          ...(options.address === undefined ? {} : { address: options.address }),
          answerPassphrases: options.answerPassphrases ?? true,
        });
        return reconnect({
          destination: { user: options.user ?? "root", host: "127.0.0.1", port: bench.machine.sshPort },
          ssh: options.ssh ?? machines.rootSsh,
          hostPublicKey,
          timeoutMs: 300_000,
        });
      },
    }),
    deployContext: (plan, source) => ({
      plan,
      systemImage: () => systemImageOf(plan),
      buildOn: "local",
      tools: async () => machines.installer.tools,
      confirm: async () => true,
      events: () => {},
      source,
      rebooter: bench.rebooter(),
      unlockAtBoot: (passphrase, signal) =>
        unlock({
          destination: { user: "root", host: "127.0.0.1", port: bench.machine.sshPort },
          ssh: machines.rootSsh,
          passphrase,
          timeoutMs: 300_000,
          otherKeysMeanNotYet: true,
          signal,
        }),
      recordInitrdHostKey: (publicKey) =>
        replaceHostKey(
          machines.knownHostsFile,
          initrdHostKeyAlias("127.0.0.1", bench.machine.sshPort),
          undefined,
          publicKey,
        ),
    }),
    dispose: () => machines.dispose(),
  };
  return bench;
}
