import { initrdAuthorizedKeys } from "../config/check-boot.ts";
import type { Config } from "../config/schema.ts";
import type { EtcFileSpec, InterfaceSpec, ServiceSpec, SystemSpec, UserSpec } from "../facts/system-spec.ts";

function userSpecs(config: Config): UserSpec[] {
  const users = { root: undefined, ...config.users.users };
  return Object.keys(users).map((name) => {
    const user = config.users.users[name];
    return {
      name,
      isNormalUser: name !== "root" && (user?.isNormalUser ?? false),
      groups: user?.extraGroups ?? [],
      hashedPassword: user?.hashedPassword,
      authorizedKeys: user?.openssh.authorizedKeys.keys ?? [],
    };
  });
}

function interfaceSpecs(config: Config): InterfaceSpec[] {
  return Object.entries(config.networking.interfaces).map(([name, iface]) => {
    const addresses = [...iface.ipv4.addresses, ...iface.ipv6.addresses].map(
      (address) => `${address.address}/${address.prefixLength}`,
    );
    return {
      name,
      macAddress: iface.macAddress,
      addresses,
      dhcp: iface.useDHCP ?? addresses.length === 0,
    };
  });
}

function etcSpecs(config: Config): EtcFileSpec[] {
  return Object.entries(config.environment.etc)
    .filter(([, file]) => file.enable)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([path, file]) => ({
      path,
      text: file.text ?? "",
      mode: file.mode.padStart(4, "0"),
      user: file.user,
      group: file.group,
    }));
}

type UnitValue = string | number | boolean | readonly string[];

/** `Key=value` lines of a unit section; a list gives one line per value, booleans are yes/no. */
function unitLines(settings: Readonly<Record<string, UnitValue>>): string[] {
  return Object.entries(settings).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map(
      (item: string | number | boolean) =>
        `${key}=${typeof item === "boolean" ? (item ? "yes" : "no") : String(item)}`,
    ),
  );
}

type ServiceOptions = Config["systemd"]["services"][string];

/** The unit file of a service groundwork writes, or undefined when only `enable` is set (a packaged unit). */
function unitFile(name: string, service: ServiceOptions): string | undefined {
  const ownUnit =
    service.script !== undefined ||
    service.description !== undefined ||
    Object.keys(service.serviceConfig).length > 0 ||
    Object.keys(service.unitConfig).length > 0;
  if (!ownUnit) return undefined;
  const unit = {
    Description: service.description ?? name,
    ...(service.after.length > 0 ? { After: service.after.join(" ") } : {}),
    ...(service.wants.length > 0 ? { Wants: service.wants.join(" ") } : {}),
    ...service.unitConfig,
  };
  const serviceSection: Record<string, UnitValue> = { ...service.serviceConfig };
  if (service.script !== undefined && serviceSection.ExecStart === undefined)
    serviceSection.ExecStart = `/bin/sh -euc ${JSON.stringify(service.script).replaceAll("$", "$$$$").replaceAll("%", "%%")}`;
  const lines = [
    "# Written by groundwork from systemd.services.",
    "[Unit]",
    ...unitLines(unit),
    "",
    "[Service]",
    ...unitLines(serviceSection),
    "",
    "[Install]",
    ...unitLines({ WantedBy: service.wantedBy.join(" ") }),
  ];
  return `${lines.join("\n")}\n`;
}

function serviceSpecs(config: Config): ServiceSpec[] {
  return Object.entries(config.systemd.services)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, service]) => ({
      name,
      enable: service.enable,
      unit: unitFile(name, service),
      wantedBy: service.wantedBy,
    }));
}

/** sysctl settings as sysctl.d writes them, sorted: true and false as 1 and 0; null leaves a key alone. */
function sysctlSettings(
  settings: Readonly<Record<string, string | number | boolean | null>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings)
      .filter((entry): entry is [string, string | number | boolean] => entry[1] !== null)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, value]) => [key, typeof value === "boolean" ? (value ? "1" : "0") : String(value)]),
  );
}

/** The package that runs SSH (dropbear) in the initramfs. */
export const INITRD_SSH_PACKAGE = "dropbear-initramfs";

/** The system part of a configuration, as the activation script needs it. */
export function planSystem(config: Config): SystemSpec {
  const qemuGuest = config.profiles.qemuGuest.enable;
  const initrdSsh = config.boot.initrd.network.ssh.enable
    ? { port: config.boot.initrd.network.ssh.port, authorizedKeys: [...initrdAuthorizedKeys(config)] }
    : undefined;
  return {
    hostName: config.networking.hostName,
    timeZone: config.time.timeZone,
    users: userSpecs(config),
    openssh: {
      enable: config.services.openssh.enable,
      permitRootLogin: config.services.openssh.settings.PermitRootLogin,
      passwordAuthentication: config.services.openssh.settings.PasswordAuthentication,
    },
    network: {
      dhcp: config.networking.useDHCP,
      interfaces: interfaceSpecs(config),
      defaultGateway: config.networking.defaultGateway,
      nameservers: config.networking.nameservers,
    },
    // A QEMU guest's console is its serial port: that is where `groundwork test` reads the boot.
    kernelParams: [
      ...(qemuGuest ? ["console=tty0", "console=ttyS0,115200"] : []),
      ...config.boot.kernelParams,
    ],
    // NixOS waits 5 s; a QEMU guest (a test machine, mostly) boots on after 1.
    bootTimeout: config.boot.loader.timeout === undefined ? (qemuGuest ? 1 : 5) : config.boot.loader.timeout,
    kernelModules: [...new Set(config.boot.kernelModules)],
    blacklistedKernelModules: [...new Set(config.boot.blacklistedKernelModules)],
    sysctl: sysctlSettings(config.boot.kernel.sysctl),
    enableUnits: qemuGuest ? ["qemu-guest-agent.service"] : [],
    // dropbear-initramfs is a package like those asked for: a switch installs it, or removes it when disabled.
    packages: [
      ...new Set([...config.environment.systemPackages, ...(initrdSsh ? [INITRD_SSH_PACKAGE] : [])]),
    ].sort(),
    etc: etcSpecs(config),
    services: serviceSpecs(config),
    ...(initrdSsh === undefined ? {} : { initrdSsh }),
  };
}
