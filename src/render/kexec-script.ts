import { quote } from "./quote.ts";

/**
 * The script that reads what the running system hands over to the installer, in `==> name` sections: each
 * host key (private and public), root's and the login user's authorized keys, and the login user's password
 * hash.
 */
export function renderCarriedScript(user: string): string {
  return [
    `for key in /etc/ssh/ssh_host_*_key; do`,
    `  [ -f "$key" ] && [ -f "$key.pub" ] || continue`,
    `  printf '\\n==> private:%s\\n' "\${key##*/}"; cat "$key"`,
    `  printf '\\n==> public:%s\\n' "\${key##*/}"; cat "$key.pub"`,
    `done`,
    `printf '\\n==> authorized_keys\\n'`,
    `cat /root/.ssh/authorized_keys 2>/dev/null`,
    `home=$(getent passwd ${quote(user)} | cut -d: -f6)`,
    `[ -z "$home" ] || [ "$home" = /root ] || cat "$home/.ssh/authorized_keys" 2>/dev/null`,
    `printf '\\n==> password\\n'`,
    `getent shadow ${quote(user)} | cut -d: -f2`,
    `printf '\\n==> end\\n'`,
  ].join("\n");
}

export interface KexecFiles {
  /** The folder holding the uploaded kernel (`vmlinuz`) and initrd (`initrd`). */
  readonly dir: string;
  /** The folder of groundwork's own tools, first on PATH: the target may lack kexec. */
  readonly toolsPath: string;
}

/** Load the installer's kernel and initrd, with its command line, for the next `kexec --exec`. */
export function renderKexecLoadCommand(files: KexecFiles, commandLine: string): string {
  return `PATH=${quote(files.toolsPath)}:$PATH kexec --load ${quote(`${files.dir}/vmlinuz`)} --initrd=${quote(`${files.dir}/initrd`)} --command-line=${quote(commandLine)}`;
}

/**
 * Jump into the loaded kernel, detached, so that the command returns before the old kernel is gone. No
 * shutdown: the disks are wiped next.
 */
export function renderKexecExecCommand(toolsPath: string): string {
  const exec = `sleep 1; PATH=${quote(toolsPath)}:$PATH kexec --exec`;
  return `sync; setsid sh -c ${quote(exec)} </dev/null >/dev/null 2>&1 &`;
}
