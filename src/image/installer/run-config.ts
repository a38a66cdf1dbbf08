import { chmod, readFile, writeFile } from "node:fs/promises";
import { ACCOUNT_NAME } from "../../config/names.ts";
import { UsageError } from "../../errors/index.ts";
import type { StaticNetwork } from "../../plan/kexec.ts";
import { type CpioEntry, writeCpio } from "./cpio.ts";

/** What one run of the installer gets: who may log in, which host keys to show, the network to keep. */
export interface InstallerRunConfig {
  /** Public keys that may log in as root. */
  readonly authorizedKeys: readonly string[];
  /** Host keys by type (`ed25519`, `rsa`, …) with their private and public halves, to keep known_hosts valid. */
  readonly hostKeys?: readonly {
    readonly type: string;
    readonly privateKey: string;
    readonly publicKey: string;
  }[];
  /** Static network. Interfaces it does not name, and every interface without it, use DHCP. */
  readonly network?: StaticNetwork;
  /** The port sshd listens on; 22 by default. */
  readonly sshPort?: number;
  /** Users who log in with a password and may use sudo, as on a rescue system (crypt(3) hashes). */
  readonly users?: readonly { readonly name: string; readonly passwordHash: string }[];
}

/** Where the installer's /init reads the run configuration. */
export const RUN_CONFIG_DIR = "etc/groundwork";

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const ADDRESS = /^[0-9a-f.:]+$/;
const CIDR = /^[0-9a-f.:]+\/\d{1,3}$/;

function check(valid: boolean, what: string, value: string): void {
  if (!valid) throw new UsageError(`the installer's network configuration has an invalid ${what}: ${value}`);
}

/** The `network` file /init reads: `address MAC CIDR`, `route DESTINATION GATEWAY [MAC]`, `nameserver IP`. */
export function networkFile(network: StaticNetwork): string {
  const lines: string[] = [];
  for (const entry of network.interfaces) {
    const mac = entry.mac.toLowerCase();
    check(MAC.test(mac), "MAC address", entry.mac);
    for (const address of entry.addresses) {
      check(
        CIDR.test(address.toLowerCase()),
        "address (give it with its prefix, e.g. 192.0.2.10/24)",
        address,
      );
      lines.push(`address ${mac} ${address.toLowerCase()}`);
    }
    for (const gateway of entry.gateways ?? []) {
      check(ADDRESS.test(gateway.toLowerCase()), "gateway", gateway);
      lines.push(`route default ${gateway.toLowerCase()} ${mac}`);
    }
  }
  for (const route of network.routes ?? []) {
    const destination = route.destination.toLowerCase();
    check(destination === "default" || CIDR.test(destination), "route destination", route.destination);
    check(ADDRESS.test(route.gateway.toLowerCase()), "gateway", route.gateway);
    lines.push(`route ${destination} ${route.gateway.toLowerCase()}`);
  }
  for (const server of network.nameservers ?? []) {
    check(ADDRESS.test(server.toLowerCase()), "DNS server", server);
    lines.push(`nameserver ${server.toLowerCase()}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The per-run cpio, joined with the cached initrd: the kernel unpacks both. */
export function installerRunCpio(config: InstallerRunConfig): Buffer {
  const file = (name: string, mode: number, data: string): CpioEntry => ({
    path: `${RUN_CONFIG_DIR}/${name}`,
    mode: 0o100000 | mode,
    data,
  });
  const entries: CpioEntry[] = [
    { path: "etc", mode: 0o040755 },
    { path: RUN_CONFIG_DIR, mode: 0o040700 },
    file("authorized_keys", 0o600, `${config.authorizedKeys.map((key) => key.trim()).join("\n")}\n`),
  ];
  for (const key of config.hostKeys ?? []) {
    if (!/^[a-z0-9]+$/.test(key.type)) throw new UsageError(`unknown SSH host key type: ${key.type}`);
    const privateKey = key.privateKey.endsWith("\n") ? key.privateKey : `${key.privateKey}\n`;
    entries.push(
      file(`ssh_host_${key.type}_key`, 0o600, privateKey),
      file(`ssh_host_${key.type}_key.pub`, 0o644, `${key.publicKey.trim()}\n`),
    );
  }
  if (config.network !== undefined) entries.push(file("network", 0o644, networkFile(config.network)));
  if (config.sshPort !== undefined) {
    if (!Number.isInteger(config.sshPort) || config.sshPort < 1 || config.sshPort > 65535)
      throw new UsageError(`the installer's SSH port must be between 1 and 65535, not ${config.sshPort}`);
    entries.push(file("ssh_port", 0o644, `${config.sshPort}\n`));
  }
  const users = config.users ?? [];
  for (const user of users) {
    if (!ACCOUNT_NAME.test(user.name) || !/^[^\s:]+$/.test(user.passwordHash))
      throw new UsageError(`the installer cannot create the user ${JSON.stringify(user.name)}`);
  }
  if (users.length > 0)
    entries.push(
      file("users", 0o600, `${users.map((user) => `${user.name} ${user.passwordHash}`).join("\n")}\n`),
    );
  return writeCpio(entries);
}

/**
 * Write the per-run cpio followed by the cached initrd to `path`: the initrd of one run. The uncompressed
 * archive goes first: the kernel finds no archive after a zstd-compressed one. The image itself holds
 * nothing under /etc/groundwork, so it cannot overwrite what this run gives.
 */
export async function writeRunInitrd(
  initrd: string,
  config: InstallerRunConfig,
  path: string,
): Promise<void> {
  // It holds private host keys and password hashes; writeFile's mode applies only to a new file.
  await writeFile(path, Buffer.concat([installerRunCpio(config), await readFile(initrd)]), { mode: 0o600 });
  await chmod(path, 0o600);
}

/** The kernel command line of the installer. */
export const INSTALLER_APPEND = "console=tty0 console=ttyS0,115200 panic=10 net.ifnames=0";
