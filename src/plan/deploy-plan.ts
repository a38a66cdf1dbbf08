import type { Config } from "../config/schema.ts";
import { biosBootDevices, espMountpoint } from "../disk/boot.ts";
import { type CrypttabEntry, crypttabEntries } from "../disk/crypttab.ts";
import type { Devices } from "../disk/devices.ts";
import { type FstabEntry, fstabEntries } from "../disk/fstab.ts";
import { resumeDevice } from "../disk/mounts.ts";
import type { DeviceRef } from "../disk/steps.ts";
import { UsageError } from "../errors/index.ts";
import type { SystemSpec } from "../facts/system-spec.ts";
import { type DiskPlan, planDisk } from "./disk-plan.ts";
import { LOCK_FILE, type Lock } from "./pins.ts";
import { systemPackages } from "./system-packages.ts";
import { planSystem } from "./system-plan.ts";

/** Everything a deploy will do, decided before it starts; the executor only carries it out. */
export interface DeployPlan {
  readonly version: 1;
  readonly devices: Devices;
  /** The layout's disko mode (destroy, format, mount); its mount and unmount modes for the install and reboot. */
  readonly disk: DiskPlan;
  readonly mount: DiskPlan;
  readonly unmount: DiskPlan;
  readonly system: SystemSpec;
  /** The resolved configuration, recorded on the machine with its first generation. */
  readonly configuration: Config;
  readonly packages: readonly string[];
  readonly distribution: { readonly suite: string; readonly mirror: string };
  /** Exact package versions from groundwork.lock (empty without one). */
  readonly pins: Readonly<Record<string, string>>;
  readonly fstab: readonly FstabEntry[];
  /** The LUKS devices the installed system opens at boot. */
  readonly crypttab: readonly CrypttabEntry[];
  /** The swap space to resume from after hibernation (disko's resumeDevice). */
  readonly resume: DeviceRef | undefined;
  readonly grub: {
    readonly biosDevices: readonly string[];
    readonly efiDirectory: string | undefined;
    readonly efiRemovable: boolean;
  };
}

/** Plan a deploy of `config`: what the disk, install and reboot phases will do. */
export function planDeploy(
  config: Config,
  options: { readonly rootMountpoint: string; readonly lock?: Lock | undefined },
): DeployPlan {
  const devices = config.disko.devices;
  const { lock } = options;
  if (
    lock !== undefined &&
    (lock.suite !== config.system.distribution.suite || lock.mirror !== config.system.distribution.mirror)
  )
    throw new UsageError(
      `${LOCK_FILE} pins Debian ${lock.suite} from ${lock.mirror}, but system.distribution is ${config.system.distribution.suite} from ${config.system.distribution.mirror}: run groundwork pins update`,
    );
  const grub = config.boot.loader.grub;
  const system = planSystem(config);
  return {
    version: 1,
    devices,
    disk: planDisk(config, "disko", options),
    mount: planDisk(config, "mount", options),
    unmount: planDisk(config, "unmount", options),
    system,
    configuration: config,
    packages: systemPackages({
      devices,
      systemPackages: system.packages,
      qemuGuest: config.profiles.qemuGuest.enable,
    }),
    distribution: config.system.distribution,
    pins: lock?.packages ?? {},
    fstab: fstabEntries(devices),
    crypttab: crypttabEntries(devices),
    resume: resumeDevice(devices),
    grub: {
      biosDevices: [...new Set([...grub.devices, ...biosBootDevices(devices)])],
      efiDirectory: grub.efiSupport ? espMountpoint(devices) : undefined,
      efiRemovable: grub.efiInstallAsRemovable,
    },
  };
}

/**
 * The plan with one more key allowed to log in as `user` (the install test's throwaway key); for root, to the
 * initramfs's SSH server as well.
 */
export function withAuthorizedKey(plan: DeployPlan, user: string, key: string): DeployPlan {
  const users = plan.system.users.some((entry) => entry.name === user)
    ? plan.system.users.map((entry) =>
        entry.name === user ? { ...entry, authorizedKeys: [...entry.authorizedKeys, key] } : entry,
      )
    : [
        ...plan.system.users,
        { name: user, isNormalUser: false, groups: [], hashedPassword: undefined, authorizedKeys: [key] },
      ];
  // Root's keys may log in to the initramfs's SSH server too (boot.initrd.network.ssh).
  const initrdSsh = plan.system.initrdSsh;
  return {
    ...plan,
    system: {
      ...plan.system,
      users,
      ...(user === "root" && initrdSsh !== undefined
        ? { initrdSsh: { ...initrdSsh, authorizedKeys: [...initrdSsh.authorizedKeys, key] } }
        : {}),
    },
  };
}
