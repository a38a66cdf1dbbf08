import { RunError } from "../errors/index.ts";
import { readUnlockOutcome, UNLOCK_COMMAND } from "../render/unlock-command.ts";
import type { Destination } from "../transport/destination.ts";
import { initrdHostKeyAlias } from "../transport/known-hosts.ts";
import type { SshOptions } from "../transport/ssh.ts";
import { SshError } from "../transport/ssh-error.ts";
import { waitForSsh } from "./wait-for-ssh.ts";

export interface UnlockInputs {
  /** The machine's address and the initramfs's SSH port (boot.initrd.network.ssh.port). */
  readonly destination: Destination;
  readonly ssh: SshOptions;
  /** Never in an argument or a log: it goes to the initramfs on standard input. */
  readonly passphrase: string;
  /** How long to wait for the initramfs to answer (a machine that is still booting). */
  readonly timeoutMs: number;
  readonly onProgress?: (line: string) => void;
  /**
   * While the machine reboots, another system may answer on the port with its own key (the installer going
   * down): with this, that means "not yet" rather than a refusal.
   */
  readonly otherKeysMeanNotYet?: boolean;
  /** Stop waiting for the initramfs once aborted. */
  readonly signal?: AbortSignal;
}

/** At most this many devices are unlocked in one call: a bound, should a device keep asking. */
const MAX_DEVICES = 16;

/**
 * Unlock the LUKS devices an initramfs waits for, over its SSH server, with the host key groundwork recorded
 * when it installed the machine (and no other). One passphrase is offered to each device that asks in turn;
 * once the last is open, the initramfs goes on booting and its SSH server goes away. Returns the names opened.
 */
export async function unlock(inputs: UnlockInputs): Promise<string[]> {
  const { destination } = inputs;
  const port = destination.port ?? 22;
  const ssh: SshOptions = {
    ...inputs.ssh,
    sudo: false,
    knownHostOnly: true,
    hostKeyAlias: initrdHostKeyAlias(destination.host, port),
  };
  const where = `${destination.host} port ${port}`;
  const transport = await waitForSsh({ ...destination, user: "root" }, ssh, inputs.timeoutMs, {
    oldSystemMayAnswer: inputs.otherKeysMeanNotYet === true,
    ...(inputs.signal === undefined ? {} : { signal: inputs.signal }),
  }).catch((error: unknown) => {
    if (error instanceof SshError && error.code === "GW_SSH_HOST_KEY_UNKNOWN")
      throw new RunError(
        `groundwork recorded no initramfs host key for ${where}: it records it when it installs a machine with boot.initrd.network.ssh.enable (deploy or test). Check the address and --ssh-port (the initramfs's port, boot.initrd.network.ssh.port).`,
      );
    if (error instanceof SshError && error.code === "GW_SSH_HOST_KEY_CHANGED")
      throw new RunError(
        `${where} answers with another host key than the initramfs groundwork installed: the machine may have booted into its system already (unlocked at its console), or someone may be in the middle. Stop and check.`,
      );
    throw error;
  });
  const opened: string[] = [];
  const deadline = Date.now() + inputs.timeoutMs;
  try {
    for (let round = 0; round < MAX_DEVICES; ) {
      let result: Awaited<ReturnType<typeof transport.runChecked>>;
      try {
        result = await transport.runChecked(UNLOCK_COMMAND, { input: inputs.passphrase });
      } catch (error) {
        // After a device opened, the initramfs may go on and end its SSH server: that is the success.
        if (error instanceof SshError && opened.length > 0) return opened;
        throw error;
      }
      const outcome = readUnlockOutcome(result.exitCode, result.stdout, result.stderr);
      if (outcome.kind === "none-locked") {
        if (opened.length === 0)
          throw new RunError(
            `no disk waits for its passphrase on ${where}: the initramfs opened them already`,
          );
        return opened;
      }
      if (outcome.kind === "not-asking") {
        // The devices opened so far were those the initramfs needs; systemd asks for the rest later.
        if (opened.length > 0) return opened;
        if (Date.now() >= deadline || inputs.signal?.aborted === true)
          throw new RunError(
            `no disk asked for its passphrase on ${where} within ${Math.round(inputs.timeoutMs / 1000)} s`,
          );
        await new Promise((resolve) => setTimeout(resolve, 2000));
        continue;
      }
      if (outcome.kind === "refused")
        throw new RunError(
          `${outcome.name === undefined ? "no disk took" : `${outcome.name} did not take`} the passphrase on ${where}: ${outcome.reason}${opened.length > 0 ? ` (opened before: ${opened.join(", ")})` : ""}`,
        );
      opened.push(outcome.name);
      inputs.onProgress?.(`Unlocked ${outcome.name}.`);
      round++;
    }
    throw new RunError(`${where} kept asking for passphrases after ${MAX_DEVICES} devices: stopped`);
  } finally {
    await transport.close();
  }
}
