import { GroundworkError } from "../errors/index.ts";
import { SUDO_REFUSED, SUDO_REFUSED_MESSAGE } from "../render/sudo-command.ts";
import type { CommandResult } from "./transport.ts";

/** An SSH connection failed; the message says why and what to do, the raw stderr stays attached. */
export class SshError extends GroundworkError {
  readonly exitCode = 1;
  constructor(
    readonly code: string,
    message: string,
    readonly result: CommandResult | undefined,
  ) {
    super(message);
    this.name = "SshError";
  }
}

/** ssh's own failures (exit 255), recognised from its stderr and explained with the next step. */
export function diagnoseSsh(
  destination: string,
  result: CommandResult,
  knownHostsFile: string,
): SshError | undefined {
  if (result.exitCode === SUDO_REFUSED && result.stderr.includes(SUDO_REFUSED_MESSAGE))
    return new SshError(
      "GW_SUDO_PASSWORD",
      `${destination}: sudo did not accept the password. Set SSH_PASS to the login user's password (with --env-password), or give that user passwordless sudo.`,
      result,
    );
  if (result.exitCode !== 255) return undefined;
  const stderr = result.stderr;
  const explain = (code: string, message: string) =>
    new SshError(
      code,
      `${destination}: ${message}\nssh said: ${stderr.trim().split("\n").slice(-3).join(" / ")}`,
      result,
    );
  if (/No \S+ host key is known for/.test(stderr)) {
    return explain(
      "GW_SSH_HOST_KEY_UNKNOWN",
      `groundwork has no host key recorded for it in ${knownHostsFile}, and takes none it has not recorded.`,
    );
  }
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/.test(stderr)) {
    return explain(
      "GW_SSH_HOST_KEY_CHANGED",
      `the host key is not the one groundwork recorded in ${knownHostsFile}. If the machine was reinstalled outside groundwork, remove the old key with \`ssh-keygen -R '${destination.replace(/^.*@/, "")}' -f ${knownHostsFile}\`; otherwise someone may be in the middle: stop.`,
    );
  }
  if (/Permission denied \(/.test(stderr)) {
    return explain(
      "GW_SSH_AUTH",
      "the login was refused. Give the key with -i KEY (or load it into ssh-agent), or set SSH_PASS and pass --env-password for a password login.",
    );
  }
  if (/Connection refused/.test(stderr)) {
    return explain(
      "GW_SSH_REFUSED",
      "nothing accepts SSH connections there: check the address and --ssh-port, and that sshd runs.",
    );
  }
  if (/Could not resolve hostname/.test(stderr)) {
    return explain(
      "GW_SSH_RESOLVE",
      "the host name does not resolve: check its spelling, or use an IP address.",
    );
  }
  if (/timed out|No route to host|Network is unreachable/.test(stderr)) {
    return explain(
      "GW_SSH_UNREACHABLE",
      "the host does not answer: check the address, the network and firewalls.",
    );
  }
  if (/Connection (closed|reset)|Broken pipe|kex_exchange_identification/.test(stderr)) {
    return explain(
      "GW_SSH_CLOSED",
      "the connection was closed by the other side (sshd not ready yet, or the machine went down).",
    );
  }
  return explain("GW_SSH_FAILED", "ssh failed.");
}
