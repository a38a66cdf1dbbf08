import { execFile } from "node:child_process";
import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { promisify } from "node:util";

/** How known_hosts names a host: `host`, or `[host]:port` for another port than 22. */
export function knownHostsPattern(host: string, port: number | undefined): string {
  return port === undefined || port === 22 ? host : `[${host}]:${port}`;
}

/**
 * The name groundwork records the initramfs's SSH host key under (ssh's HostKeyAlias): the initramfs answers
 * on the machine's own address, often on its port, with another key than the system.
 */
export function initrdHostKeyAlias(host: string, port: number): string {
  return `groundwork-initramfs.${host}.${port}`;
}

/** Forget every key of the host, then trust exactly `publicKey` (`ssh-ed25519 AAAA… comment`) for it. */
export async function replaceHostKey(
  file: string,
  host: string,
  port: number | undefined,
  publicKey: string,
): Promise<void> {
  const pattern = knownHostsPattern(host, port);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await promisify(execFile)("ssh-keygen", ["-R", pattern, "-f", file]).catch(() => undefined);
  const [type, key] = publicKey.trim().split(/\s+/);
  await appendFile(file, `${pattern} ${type} ${key}\n`, { mode: 0o600 });
}
