import type { Command } from "commander";
import { UsageError } from "../errors/index.ts";
import type { SshOptions } from "../transport/ssh.ts";

export interface SshFlags {
  readonly identity?: string;
  readonly sshPort?: string;
  readonly sshOption?: string[];
  readonly envPassword?: boolean;
  readonly sudo?: boolean;
}

/** The SSH options every command that reaches a target takes. */
export function withSshFlags(command: Command): Command {
  return command
    .option("-i, --identity <KEY>", "SSH private key to log in with")
    .option("--ssh-port <PORT>", "SSH port of the target")
    .option(
      "--ssh-option <OPTION>",
      "extra ssh -o option, e.g. ProxyJump=bastion (repeatable)",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--env-password", "log in (and sudo) with the password in the SSH_PASS environment variable")
    .option("--sudo", "run as root through sudo (automatic when the user is not root)");
}

/** SSH options from the flags; the password comes from SSH_PASS, never from an argument. */
export function sshOptionsOf(flags: SshFlags): { options: SshOptions; port: number | undefined } {
  let password: string | undefined;
  if (flags.envPassword === true) {
    password = process.env.SSH_PASS;
    if (password === undefined || password === "")
      throw new UsageError("--env-password: set the password in the SSH_PASS environment variable");
  }
  const port = parsePort("--ssh-port", flags.sshPort);
  return {
    options: {
      identityFile: flags.identity,
      sshOptions: flags.sshOption ?? [],
      password,
      ...(flags.sudo === true ? { sudo: true } : {}),
    },
    port,
  };
}

/** A port number from a flag, or undefined when the flag is absent. */
export function parsePort(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!(Number.isInteger(port) && port > 0 && port < 65536))
    throw new UsageError(`${flag} ${text}: give a port number between 1 and 65535`);
  return port;
}
