import type { Command } from "commander";
import { displayValue, hasControlCharacter, UsageError } from "../errors/index.ts";
import { parseLocalPath } from "./flag-values.ts";
import { parsedOption, portOption } from "./options.ts";

export interface SshFlags {
  readonly identity?: string;
  readonly sshPort?: number;
  readonly sshOption?: string[];
  readonly envPassword?: boolean;
  readonly sudo?: boolean;
}

/** The environment variable `--env-password` reads. */
export const SSH_PASS_VARIABLE = "SSH_PASS";

/** One `--ssh-option`: `NAME=VALUE`, as ssh's -o takes it, collected into a list. */
export function collectSshOption(value: string, previous: string[] = []): string[] {
  if (!/^[A-Za-z][A-Za-z0-9]*=\S/u.test(value) || hasControlCharacter(value))
    throw new UsageError(
      `--ssh-option ${displayValue(value)}: write an ssh option as NAME=VALUE, e.g. --ssh-option ProxyJump=bastion`,
    );
  return [...previous, value];
}

/** The SSH options every command that reaches a target takes. */
export function withSshFlags(command: Command): Command {
  return command
    .addOption(parsedOption("-i, --identity <KEY>", "SSH private key to log in with", parseLocalPath))
    .addOption(portOption("--ssh-port <PORT>", "SSH port of the target"))
    .option(
      "--ssh-option <OPTION>",
      "extra ssh -o option, e.g. ProxyJump=bastion (repeatable)",
      collectSshOption,
    )
    .option(
      "--env-password",
      `log in (and sudo) with the password in the ${SSH_PASS_VARIABLE} environment variable`,
    )
    .option("--sudo", "run as root through sudo (automatic when the user is not root)");
}
