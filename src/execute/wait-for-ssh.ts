import { RunError } from "../errors/index.ts";
import type { Destination } from "../transport/destination.ts";
import { type SshOptions, SshTransport } from "../transport/ssh.ts";
import { SshError } from "../transport/ssh-error.ts";

/**
 * Log in as soon as the machine answers SSH (a machine that is still booting refuses or drops connections).
 * With `oldSystemMayAnswer`, a wrong host key means "the old system is still going down": wait on. With
 * `untilLoggedIn`, so does a refused login (after kexec the old system has the same host key, not the key).
 * With `signal`, it stops waiting once aborted.
 */
export async function waitForSsh(
  destination: Destination,
  ssh: SshOptions,
  timeoutMs: number,
  options: {
    readonly oldSystemMayAnswer?: boolean;
    readonly untilLoggedIn?: boolean;
    /** Stop waiting (a RunError) once aborted. */
    readonly signal?: AbortSignal;
  } = {},
): Promise<SshTransport> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (options.signal?.aborted === true)
      throw new RunError(`stopped waiting for ${destination.host} to answer SSH`);
    const transport = await SshTransport.create(destination, { ...ssh, connectTimeoutSeconds: 5 });
    try {
      await transport.runChecked("true");
      return transport;
    } catch (error) {
      await transport.close();
      if (!(error instanceof SshError)) throw error;
      if (error.code === "GW_SSH_AUTH" && options.untilLoggedIn !== true) throw error;
      if (error.code === "GW_SSH_HOST_KEY_CHANGED" && options.oldSystemMayAnswer !== true) throw error;
      last = error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  throw new RunError(
    `${destination.host} did not answer SSH within ${Math.round(timeoutMs / 1000)} s.${last === "" ? "" : `\nLast attempt: ${last}`}`,
  );
}
