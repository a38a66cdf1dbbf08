import { readFile, writeFile } from "node:fs/promises";
import { writeCpio } from "./cpio.ts";

/** What one run of the installer gets: who may log in, which host keys to show, the network to keep. */
export interface InstallerRunConfig {
  readonly authorizedKeys: readonly string[];
  /** Host keys by type (`ed25519`, `rsa`, …) with their private and public halves, to keep known_hosts valid. */
  readonly hostKeys?: readonly {
    readonly type: string;
    readonly privateKey: string;
    readonly publicKey: string;
  }[];
  /** Static network: addresses by MAC, routes, DNS servers. Without it, DHCP. */
  readonly network?: {
    readonly addresses: readonly { readonly mac: string; readonly cidr: string }[];
    readonly routes: readonly { readonly destination: string; readonly gateway: string }[];
    readonly nameservers: readonly string[];
  };
  readonly sshPort?: number;
  /** Users who log in with a password and may use sudo, as on a rescue system (crypt(3) hashes). */
  readonly users?: readonly { readonly name: string; readonly passwordHash: string }[];
}

function networkFile(network: NonNullable<InstallerRunConfig["network"]>): string {
  const safe = /^[0-9A-Fa-f:./]+$|^default$/;
  const lines: string[] = [];
  for (const address of network.addresses) {
    if (safe.test(address.mac) && safe.test(address.cidr))
      lines.push(`address ${address.mac.toLowerCase()} ${address.cidr}`);
  }
  for (const route of network.routes) {
    if (safe.test(route.destination) && safe.test(route.gateway))
      lines.push(`route ${route.destination} via ${route.gateway}`);
  }
  for (const server of network.nameservers) if (safe.test(server)) lines.push(`nameserver ${server}`);
  return `${lines.join("\n")}\n`;
}

/** The per-run cpio, joined with the cached initrd: the kernel unpacks both. */
export function installerRunCpio(config: InstallerRunConfig): Buffer {
  const entries = [
    { path: "etc", mode: 0o040755 },
    { path: "etc/groundwork", mode: 0o040755 },
    { path: "etc/groundwork/authorized_keys", mode: 0o100600, data: `${config.authorizedKeys.join("\n")}\n` },
  ];
  for (const key of config.hostKeys ?? []) {
    if (!/^[a-z0-9]+$/.test(key.type)) continue;
    entries.push(
      {
        path: `etc/groundwork/ssh_host_${key.type}_key`,
        mode: 0o100600,
        data: key.privateKey.endsWith("\n") ? key.privateKey : `${key.privateKey}\n`,
      },
      {
        path: `etc/groundwork/ssh_host_${key.type}_key.pub`,
        mode: 0o100644,
        data: `${key.publicKey.trim()}\n`,
      },
    );
  }
  if (config.network !== undefined)
    entries.push({ path: "etc/groundwork/network", mode: 0o100644, data: networkFile(config.network) });
  if (config.sshPort !== undefined)
    entries.push({ path: "etc/groundwork/ssh_port", mode: 0o100644, data: `${config.sshPort}\n` });
  const users = (config.users ?? []).filter(
    (user) => /^[a-z_][a-z0-9_-]*$/.test(user.name) && /^[^\s:]+$/.test(user.passwordHash),
  );
  if (users.length > 0) {
    entries.push({
      path: "etc/groundwork/users",
      mode: 0o100600,
      data: `${users.map((user) => `${user.name} ${user.passwordHash}`).join("\n")}\n`,
    });
  }
  return writeCpio(entries);
}

/**
 * Write the per-run cpio followed by the cached initrd to `path`: the initrd of one run. The uncompressed
 * archive goes first: the kernel finds no archive after a zstd-compressed one.
 */
export async function writeRunInitrd(
  initrd: string,
  config: InstallerRunConfig,
  path: string,
): Promise<void> {
  await writeFile(path, Buffer.concat([installerRunCpio(config), await readFile(initrd)]), { mode: 0o600 });
}

/** The kernel command line of the installer. */
export const INSTALLER_APPEND = "console=tty0 console=ttyS0,115200 panic=10 net.ifnames=0";
