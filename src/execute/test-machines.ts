import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildInstaller, type InstallerImage } from "../build/installer/build-installer.ts";
import { INSTALLER_APPEND, writeRunInitrd } from "../build/installer/run-config.ts";
import { parseSize } from "../disk/size.ts";
import type { DeployPlan } from "../plan/deploy-plan.ts";
import { accelerator } from "../vm/accel.ts";
import { type MachineDisk, QemuMachine } from "../vm/qemu.ts";
import { generateHostKey } from "./deploy/host-key.ts";
import type { TestMachines } from "./install-test.ts";

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
    /** Users of the live system who log in with a password and use sudo. */
    readonly liveUsers?: readonly { readonly name: string; readonly passwordHash: string }[];
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
    await writeRunInitrd(
      installer.initrd,
      { authorizedKeys: [client.publicKey], users: options.liveUsers ?? [] },
      initrd,
    );
    const accel = await accelerator(installer.kernel);
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
    const machines: TestMachines = {
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
      startFromDisk: (firmware) =>
        QemuMachine.start({
          ...base,
          firmware,
          boot: "disk",
          noReboot: true,
          ...(sshPort === undefined ? {} : { sshPort }),
        }),
    };
    return {
      dir,
      machines,
      installer,
      accel,
      key: { file: keyFile, publicKey: client.publicKey },
      knownHostsFile: join(dir, "known_hosts"),
      diskDevices,
      dispose: async () => {
        if (!options.keep) await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
