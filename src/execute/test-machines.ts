import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseSize } from "../disk/size.ts";
import { InternalError } from "../errors/index.ts";
import { buildInstaller, type InstallerImage } from "../image/installer/build-installer.ts";
import { INSTALLER_APPEND, writeRunInitrd } from "../image/installer/run-config.ts";
import type { DeployPlan } from "../plan/deploy-plan.ts";
import type { SshOptions, SshTransport } from "../transport/ssh.ts";
import { detectAccelerator } from "../vm/accel.ts";
import type { Firmware } from "../vm/machine.ts";
import { type MachineDisk, QemuMachine } from "../vm/qemu.ts";
import { systemImageOf } from "./build-outputs.ts";
import type { DeployContext, Rebooter } from "./deploy/deploy.ts";
import { generateHostKey } from "./deploy/host-key.ts";
import { reconnect, requestReboot } from "./deploy/reconnect.ts";
import type { TestMachine, TestMachines } from "./install-test.ts";
import { waitForSsh } from "./wait-for-ssh.ts";

/** Disks of test machines are this large unless the layout gives `imageSize`. */
export const DEFAULT_TEST_DISK = "4G";

export interface TestBench {
  readonly dir: string;
  readonly machines: TestMachines;
  readonly installer: InstallerImage;
  readonly accel: "kvm" | "tcg";
  /** The throwaway client key: its file, and its public half for authorized_keys. */
  readonly key: { readonly file: string; readonly publicKey: string };
  readonly knownHostsFile: string;
  readonly diskDevices: Readonly<Record<string, string>>;
  /** The machine started last (live or from its disks); `dispose` stops it. */
  readonly machine: TestMachine;
  /** SSH options of root with the throwaway key. */
  readonly rootSsh: SshOptions;
  /** Stop the running machine, if any, and boot the disks; SSH goes to `address` (a static one) or DHCP's. */
  bootDisk(firmware?: Firmware, options?: { readonly address?: string }): Promise<TestMachine>;
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
  }): Rebooter;
  /** A deploy of `plan` onto the machine with no questions asked; add the phases and the transport. */
  deployContext(plan: DeployPlan, source: string): Omit<DeployContext, "phases" | "transport">;
  dispose(): Promise<void>;
}

/**
 * Everything one install test needs: a folder, a throwaway key, blank disk images of the layout's sizes,
 * the installer with the key in its per-run cpio, and machines that boot it or the disks.
 */
export async function prepareTestBench(
  plan: DeployPlan,
  options: {
    readonly memoryMiB: number;
    readonly keep: boolean;
    readonly onProgress?: (line: string) => void;
  },
): Promise<TestBench> {
  const dir = await mkdtemp(join(tmpdir(), "groundwork-test-"));
  try {
    const installer = await buildInstaller(
      options.onProgress === undefined ? {} : { onProgress: options.onProgress },
    );
    const client = await generateHostKey("groundwork-test");
    const keyFile = join(dir, "id_ed25519");
    await writeFile(keyFile, client.privateKey, { mode: 0o600 });
    const initrd = join(dir, "initrd");
    await writeRunInitrd(installer.initrd, { authorizedKeys: [client.publicKey] }, initrd);
    const accel = await detectAccelerator();
    const bootDisk = plan.grub.biosDevices[0];
    const disks: MachineDisk[] = [];
    const diskDevices: Record<string, string> = {};
    for (const [name, disk] of Object.entries(plan.devices.disk).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const image = join(dir, `disk-${name}.img`);
      const size = parseSize(disk.imageSize ?? DEFAULT_TEST_DISK);
      await writeFile(image, "");
      await truncate(image, Number(size?.kind === "bytes" ? size.bytes : 4n << 30n));
      disks.push({
        image,
        device: disk.device,
        boot: disk.device === (bootDisk ?? disk.device) && disks.every((other) => !other.boot),
      });
      diskDevices[name] = disk.device;
    }
    const base = { dir, accel, memoryMiB: options.memoryMiB, disks } as const;
    let sshPort: number | undefined;
    const machines = {
      startLive: async () => {
        const machine = await QemuMachine.start({
          ...base,
          firmware:
            plan.grub.biosDevices.length === 0 && plan.grub.efiDirectory !== undefined ? "uefi" : "bios",
          boot: { kernel: installer.kernel, initrd, append: INSTALLER_APPEND },
          noReboot: true,
        });
        sshPort = machine.sshPort;
        return machine;
      },
      startFromDisk: (firmware: Firmware, address: string | undefined) =>
        QemuMachine.start({
          ...base,
          firmware,
          boot: "disk",
          noReboot: true,
          ...(sshPort === undefined ? {} : { sshPort }),
          ...(address === undefined ? {} : { sshGuest: { address } }),
        }),
    };
    let current: TestMachine | undefined;
    const knownHostsFile = join(dir, "known_hosts");
    const rootSsh: SshOptions = { identityFile: keyFile, knownHostsFile, sudo: false };
    const bench: TestBench = {
      dir,
      machines: {
        startLive: async () => {
          await current?.stop();
          current = await machines.startLive();
          return current;
        },
        startFromDisk: (firmware) => bench.bootDisk(firmware),
      },
      installer,
      accel,
      key: { file: keyFile, publicKey: client.publicKey },
      knownHostsFile,
      diskDevices,
      get machine(): TestMachine {
        if (current === undefined) throw new InternalError("no test machine runs yet");
        return current;
      },
      rootSsh,
      bootDisk: async (firmware = "bios", options = {}) => {
        await current?.stop();
        current = await machines.startFromDisk(firmware, options.address);
        return current;
      },
      login: (options = {}) =>
        waitForSsh(
          { user: options.user ?? "root", host: "127.0.0.1", port: bench.machine.sshPort },
          options.ssh ?? rootSsh,
          options.timeoutMs ?? 300_000,
        ),
      rebooter: (options = {}) => ({
        reboot: async (transport, hostPublicKey) => {
          await requestReboot(transport);
          await bench.machine.waitForExit(120_000);
          await bench.bootDisk("bios", options.address === undefined ? {} : { address: options.address });
          return reconnect({
            destination: { user: options.user ?? "root", host: "127.0.0.1", port: bench.machine.sshPort },
            ssh: options.ssh ?? rootSsh,
            hostPublicKey,
            timeoutMs: 300_000,
          });
        },
      }),
      deployContext: (plan, source) => ({
        plan,
        systemImage: () => systemImageOf(plan),
        buildOn: "local",
        tools: async () => installer.tools,
        confirm: async () => true,
        events: () => {},
        source,
        rebooter: bench.rebooter(),
      }),
      dispose: async () => {
        await current?.stop();
        if (!options.keep) await rm(dir, { recursive: true, force: true });
      },
    };
    return bench;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
