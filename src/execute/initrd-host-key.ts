import { RunError } from "../errors/index.ts";
import { INITRD_HOST_KEY_PATH } from "../plan/target-paths.ts";
import { renderPublicKeyCommand } from "../render/file-commands.ts";
import { initrdHostKeyAlias, replaceHostKey } from "../transport/known-hosts.ts";
import type { SshTransport } from "../transport/ssh.ts";

/**
 * Record the host key of a machine's initramfs SSH server, read from the machine (a switch that turned it on
 * has the machine make the key), so that `groundwork unlock` trusts it and nothing else.
 */
export async function recordInitrdHostKeyOf(transport: SshTransport, port: number): Promise<void> {
  const result = await transport.runChecked(renderPublicKeyCommand(INITRD_HOST_KEY_PATH));
  const key = result.stdout.trim();
  if (result.exitCode !== 0 || !key.startsWith("ssh-ed25519 "))
    throw new RunError(
      `could not read the initramfs's host key on ${transport.name} (${INITRD_HOST_KEY_PATH}): ${result.stderr.trim() || "not an ed25519 key"}`,
    );
  await replaceHostKey(
    transport.knownHostsFile,
    initrdHostKeyAlias(transport.destination.host, port),
    undefined,
    key,
  );
}
