import { RunError } from "../../errors/index.ts";
import { renderRebootCommand } from "../../render/reboot-command.ts";
import { type Destination, formatDestination } from "../../transport/destination.ts";
import { replaceHostKey } from "../../transport/known-hosts.ts";
import { type SshOptions, SshTransport } from "../../transport/ssh.ts";
import { SshError } from "../../transport/ssh-error.ts";
import type { Transport } from "../../transport/transport.ts";
import { waitForSsh } from "../wait-for-ssh.ts";

export interface ReconnectOptions {
  readonly destination: Destination;
  readonly ssh: SshOptions;
  /** The public host key made for the new system (`ssh-ed25519 AAAA…`): the only key accepted. */
  readonly hostPublicKey: string;
  readonly timeoutMs: number;
}

/**
 * Wait until the new system answers SSH with the host key it was given, and log in. While the old system is
 * still going down it may answer with its own key: that counts as "not yet", never as success.
 */
export async function reconnect(options: ReconnectOptions): Promise<SshTransport> {
  const { destination } = options;
  const probe = await SshTransport.create(destination, options.ssh);
  await replaceHostKey(probe.knownHostsFile, destination.host, destination.port, options.hostPublicKey);
  await probe.close();
  try {
    return await waitForSsh(destination, options.ssh, options.timeoutMs, { oldSystemMayAnswer: true });
  } catch (error) {
    if (error instanceof SshError && error.code === "GW_SSH_AUTH") {
      throw new RunError(
        `${formatDestination(destination)} runs the new system (its host key is the one groundwork installed), but refused the login: add your public key to users.users.${destination.user}.openssh.authorizedKeys.keys, or log in with -i KEY`,
      );
    }
    throw error;
  }
}

/** Tell the machine to reboot, without waiting for it: the connection drops as it goes down. */
export async function requestReboot(transport: Transport): Promise<void> {
  await transport.run(renderRebootCommand());
  await transport.close();
}

/** A real machine: reboot it over SSH and wait for its new system. */
export class SshRebooter {
  constructor(private readonly options: Omit<ReconnectOptions, "hostPublicKey">) {}

  async reboot(transport: Transport, hostPublicKey: string): Promise<Transport> {
    await requestReboot(transport);
    return reconnect({ ...this.options, hostPublicKey });
  }
}
