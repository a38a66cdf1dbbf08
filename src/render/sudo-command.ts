import { quote } from "./quote.ts";

/** The exit code of the sudo wrapper when sudo refused the password: ssh's diagnosis explains it. */
export const SUDO_REFUSED = 97;
/** What the sudo wrapper says on stderr when it exits with SUDO_REFUSED (a command's own 97 does not say it). */
export const SUDO_REFUSED_MESSAGE = "groundwork: sudo did not accept the password";

/**
 * A command line that runs `command` as root through sudo. A shell reads the command under sudo, so that its
 * redirections run as root too. With a password, the wrapper reads it as the first line of standard input (a
 * shell builtin, so it is never an argument or a file), checks it with `sudo -v`, and runs the command with
 * the cached credentials.
 */
export function renderSudoCommand(command: string, options: { readonly withPassword: boolean }): string {
  const asRoot = `sudo -n sh -c ${quote(command)}`;
  if (!options.withPassword) return asRoot;
  const wrapper = [
    "IFS= read -r gw_password",
    `printf '%s\\n' "$gw_password" | sudo -S -p '' -v 2>/dev/null || { echo ${quote(SUDO_REFUSED_MESSAGE)} >&2; exit ${SUDO_REFUSED}; }`,
    "unset gw_password",
    asRoot,
  ].join("; ");
  return `sh -c ${quote(wrapper)}`;
}

/** An SSH_ASKPASS helper that prints the password from the named variable of the ssh process's environment. */
export function renderAskpassScript(variable: string): string {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(variable)) throw new Error(`not an environment variable name: ${variable}`);
  return `#!/bin/sh\nprintf '%s\\n' "$${variable}"\n`;
}
