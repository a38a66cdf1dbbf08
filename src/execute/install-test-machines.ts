import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunError } from "../errors/index.ts";
import { parseDiskNames } from "../facts/disk-names.ts";
import { buildInstaller, type InstallerImage } from "../image/installer/build-installer.ts";
import { INSTALLER_APPEND, writeRunInitrd } from "../image/installer/run-config.ts";
import type { DeployPlan } from "../plan/deploy-plan.ts";
import { renderDiskNamesScript } from "../render/disk-names-script.ts";
import { forgetDir, removeAtExit } from "../transport/exit-cleanup.ts";
import type { SshOptions } from "../transport/ssh.ts";
import { type Accelerator, detectAccelerator } from "../vm/accel.ts";
import { probeOrderedDisks } from "../vm/disk-attachment.ts";
import { createImage } from "../vm/disk-image.ts";
import type { Firmware, MachineDisk } from "../vm/machine.ts";
import { QemuMachine } from "../vm/qemu-machine.ts";
import { generateHostKey } from "./deploy/host-key.ts";
import type { TestMachine, TestMachines } from "./install-test.ts";
import { waitForSsh } from "./wait-for-ssh.ts";

/** Disks of test machines are this large unless the layout gives `imageSize`. */
export const DEFAULT_TEST_DISK = "4G";

/** The throwaway machines of one install test, one running at a time, and what they share. */
export interface InstallTestMachines extends TestMachines {
  /** The folder of the disk images, the key, the console logs; `dispose` removes it unless kept. */
  readonly dir: string;
  readonly installer: InstallerImage;
  readonly accel: Accelerator;
  /** The throwaway client key: its file, and its public half for authorized_keys. */
  readonly key: { readonly file: string; readonly publicKey: string };
  readonly knownHostsFile: string;
  /** SSH options of root with the throwaway key. */
  readonly rootSsh: SshOptions;
  /** Disk name → the device the machines show it as. */
  readonly diskDevices: Readonly<Record<string, string>>;
  /** The machine started last (live or from its disks), until the next start or `dispose` stops it. */
  readonly current: TestMachine | undefined;
  /** Stop the running machine, boot the installer with blank disks. */
  startLive(): Promise<TestMachine>;
  /** The firmware the layout boots with: UEFI when GRUB is installed for EFI only, else BIOS. */
  readonly firmware: Firmware;
  /**
   * Stop the running machine and boot the installed disks; SSH goes to `address` (a static one) or DHCP's. A LUKS passphrase prompt on the console is answered unless
   * `answerPassphrases` is false (a test that unlocks over the initramfs's SSH instead).
   */
  startFromDisk(
    firmware: Firmware,
    options?: { readonly address?: string; readonly answerPassphrases?: boolean },
  ): Promise<TestMachine>;
  /** Stop the running machine; remove the folder unless `keep` was asked. */
  dispose(): Promise<void>;
}

/**
 * Everything one install test needs: a folder, a throwaway key, blank disk images of the layout's sizes,
 * the installer with the key in its per-run cpio, and machines that boot it or the disks.
 */
export async function prepareInstallTestMachines(
  plan: DeployPlan,
  options: {
    readonly memoryMiB: number;
    readonly keep: boolean;
    readonly onProgress?: (line: string) => void;
    /** Passphrases by LUKS mapping name, typed on the console when a boot asks for them. */
    readonly passphrases?: ReadonlyMap<string, string>;
  },
): Promise<InstallTestMachines> {
  const dir = await mkdtemp(join(tmpdir(), "groundwork-test-"));
  // Removed when the process ends, however it ends (a signal included), unless the folder is to be kept.
  if (!options.keep) removeAtExit(dir);
  try {
    const installer = await buildInstaller(
      options.onProgress === undefined ? {} : { onProgress: options.onProgress },
    );
    const client = await generateHostKey("groundwork-test");
    const keyFile = join(dir, "id_ed25519");
    await writeFile(keyFile, client.privateKey, { mode: 0o600 });
    const initrd = join(dir, "initrd");
    // One host key for every boot of the installer: a machine power-cycled to rename its disks (see
    // bootUntilDisksNamed) keeps the key known_hosts recorded at its first boot.
    const installerKey = await generateHostKey("groundwork-test-installer");
    await writeRunInitrd(
      installer.initrd,
      {
        authorizedKeys: [client.publicKey],
        hostKeys: [
          { type: "ed25519", privateKey: installerKey.privateKey, publicKey: installerKey.publicKey },
        ],
      },
      initrd,
    );
    const accel = await detectAccelerator();
    const bootDisk = plan.grub.biosDevices[0];
    const disks: MachineDisk[] = [];
    const diskDevices: Record<string, string> = {};
    for (const [name, disk] of Object.entries(plan.devices.disk).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const image = join(dir, `disk-${name}.img`);
      await createImage(image, "raw", disk.imageSize ?? DEFAULT_TEST_DISK);
      disks.push({
        image,
        device: disk.device,
        boot: disk.device === (bootDisk ?? disk.device) && disks.every((other) => !other.boot),
      });
      diskDevices[name] = disk.device;
    }
    const base = { dir, accel, memoryMiB: options.memoryMiB, disks } as const;
    const firmware: Firmware =
      plan.grub.biosDevices.length === 0 && plan.grub.efiDirectory !== undefined ? "uefi" : "bios";
    let sshPort: number | undefined;
    let current: TestMachine | undefined;
    const knownHostsFile = join(dir, "known_hosts");
    const rootSsh: SshOptions = { identityFile: keyFile, knownHostsFile, sudo: false };
    return {
      dir,
      installer,
      accel,
      key: { file: keyFile, publicKey: client.publicKey },
      knownHostsFile,
      rootSsh,
      diskDevices,
      firmware,
      get current() {
        return current;
      },
      startLive: async () => {
        await current?.stop();
        current = undefined;
        const machine = await QemuMachine.start({
          ...base,
          firmware,
          boot: { kernel: installer.kernel, initrd, append: INSTALLER_APPEND },
          noReboot: true,
        });
        try {
          await bootUntilDisksNamed(machine, rootSsh, disks, options.onProgress);
        } catch (error) {
          await machine.stop();
          throw error;
        }
        sshPort = machine.sshPort;
        current = machine;
        return machine;
      },
      startFromDisk: async (firmware, { address, answerPassphrases = true } = {}) => {
        await current?.stop();
        current = undefined;
        const machine = await QemuMachine.start({
          ...base,
          firmware,
          boot: "disk",
          noReboot: true,
          ...(sshPort === undefined ? {} : { sshPort }),
          ...(address === undefined ? {} : { sshGuest: { address } }),
        });
        const passphrases = options.passphrases ?? new Map<string, string>();
        // Debian's initramfs asks "Please unlock disk NAME:" on the console: as a person would, it is answered.
        if (passphrases.size > 0 && answerPassphrases)
          machine.answerPrompts(/Please unlock disk ([^\s:]+):/, (match) => passphrases.get(match[1] ?? ""));
        current = machine;
        return machine;
      },
      dispose: async () => {
        await current?.stop();
        if (!options.keep) {
          await rm(dir, { recursive: true, force: true });
          forgetDir(dir);
        }
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Boots of the installer before a machine whose disks keep coming up in another order is given up. */
const NAMING_BOOTS = 4;

/**
 * Linux names several SCSI, SATA or NVMe disks in the order their probes finish, which varies from boot to
 * boot. A test machine must show each disk under the name the layout declares, so a boot that named them
 * otherwise is power-cycled (rarely needed: probes mostly finish in order).
 */
export async function bootUntilDisksNamed(
  machine: QemuMachine,
  ssh: SshOptions,
  disks: readonly MachineDisk[],
  onProgress: ((line: string) => void) | undefined,
): Promise<void> {
  const expected = probeOrderedDisks(disks.map((disk) => disk.device));
  if (expected.length === 0) return;
  for (let boot = 1; ; boot++) {
    const transport = await waitForSsh(
      { user: "root", host: "127.0.0.1", port: machine.sshPort },
      ssh,
      300_000,
    );
    let found: Map<string, string>;
    try {
      const result = await transport.runScript(renderDiskNamesScript(expected.map((d) => d.serial)));
      if (result.exitCode !== 0)
        throw new RunError(`cannot read the test machine's disk names: ${result.stderr.trim()}`);
      found = parseDiskNames(result.stdout);
    } finally {
      await transport.close();
    }
    const wrong = expected.filter(({ device, serial }) => found.get(serial) !== device);
    if (wrong.length === 0) return;
    const seen = wrong
      .map(({ device, serial }) => `${device} as ${found.get(serial) ?? "nothing"}`)
      .join(", ");
    if (boot >= NAMING_BOOTS)
      throw new RunError(
        `the test machine's kernel named its disks in another order than the layout declares in ${boot} boots (${seen}). Name the disks by /dev/disk/by-id or use /dev/vdX.`,
      );
    onProgress?.(`The test machine's kernel named its disks in another order (${seen}); booting it again.`);
    await machine.reboot();
  }
}
