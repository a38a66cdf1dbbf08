import type { Config } from "../config/schema.ts";
import type { InterfaceSpec, SystemSpec, UserSpec } from "./system-spec.ts";

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

/** The system part of a configuration, as the activation script needs it. */
export function planSystem(config: Config): SystemSpec {
  const qemuGuest = config.profiles.qemuGuest.enable;
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
    kernelParams: qemuGuest ? ["console=tty0", "console=ttyS0,115200"] : [],
    enableUnits: qemuGuest ? ["qemu-guest-agent.service"] : [],
  };
}
