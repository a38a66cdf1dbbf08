import { statSync } from "node:fs";
import { displayValue, UsageError } from "../errors/index.ts";
import { checkPassword, type SshOptions } from "../transport/ssh.ts";
import { SSH_PASS_VARIABLE, type SshFlags } from "./ssh-flags.ts";

/** The password of `--env-password`: SSH_PASS, set, and one line (its rest would run as a root command). */
function passwordOf(env: NodeJS.ProcessEnv): string {
  const password = env[SSH_PASS_VARIABLE];
  if (password === undefined || password === "")
    throw new UsageError(`--env-password: set the password in the ${SSH_PASS_VARIABLE} environment variable`);
  checkPassword(password, SSH_PASS_VARIABLE);
  return password;
}

function checkIdentity(path: string): void {
  let isFile: boolean | undefined;
  try {
    isFile = statSync(path).isFile();
  } catch {
    isFile = undefined;
  }
  if (isFile !== true)
    throw new UsageError(
      `-i ${displayValue(path)}: ${isFile === undefined ? "no such file, or it cannot be reached" : "not a file"}; give the SSH private key to log in with`,
    );
}

/** SSH options and port from the flags; the password comes from SSH_PASS, never from an argument. */
export function sshOptionsOf(
  flags: SshFlags,
  env: NodeJS.ProcessEnv = process.env,
): { options: SshOptions; port: number | undefined } {
  const password = flags.envPassword === true ? passwordOf(env) : undefined;
  if (flags.identity !== undefined) checkIdentity(flags.identity);
  return {
    options: {
      identityFile: flags.identity,
      sshOptions: flags.sshOption ?? [],
      password,
      ...(flags.sudo === true ? { sudo: true } : {}),
    },
    port: flags.sshPort,
  };
}
