import { readFile } from "node:fs/promises";
import { displayValue, UsageError } from "../../errors/index.ts";
import { unlock } from "../../execute/unlock.ts";
import type { Destination } from "../../transport/destination.ts";
import type { Output } from "../output.ts";
import { readHiddenLine } from "../read-hidden.ts";
import { SSH_PASS_VARIABLE } from "../ssh-flags.ts";

export interface UnlockFlags {
  readonly identity?: string;
  readonly sshOption?: string[];
  readonly passphraseFile?: string;
  readonly envPassword?: boolean;
  /** Seconds. */
  readonly timeout: number;
}

/** The passphrase: from the file, SSH_PASS, or typed at a prompt that does not echo. Never from an argument. */
async function passphraseOf(flags: UnlockFlags, env: NodeJS.ProcessEnv): Promise<string> {
  if (flags.passphraseFile !== undefined && flags.envPassword === true)
    throw new UsageError("--passphrase-file and --env-password each give the passphrase: pass one of them");
  let passphrase: string;
  if (flags.passphraseFile !== undefined) {
    const file = flags.passphraseFile;
    passphrase = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(
        `--passphrase-file ${displayValue(file)}: cannot read it (${error.code ?? error.message}); give the file that holds the passphrase`,
      );
    });
    // As the install read it (disko's passwordFile): trailing line breaks are no part of it.
    passphrase = passphrase.replace(/\n+$/, "");
  } else if (flags.envPassword === true) {
    passphrase = env[SSH_PASS_VARIABLE] ?? "";
    if (passphrase === "")
      throw new UsageError(
        `--env-password: set the passphrase in the ${SSH_PASS_VARIABLE} environment variable`,
      );
  } else {
    passphrase = await readHiddenLine("Passphrase for the encrypted disks: ");
  }
  if (passphrase === "") throw new UsageError("the passphrase is empty: give the disks' passphrase");
  return passphrase;
}

/** `groundwork unlock`: give the passphrase to the initramfs of a machine waiting at boot. */
export async function runUnlock(
  destination: Destination,
  flags: UnlockFlags,
  output: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const passphrase = await passphraseOf(flags, env);
  const opened = await unlock({
    destination,
    ssh: {
      identityFile: flags.identity,
      sshOptions: flags.sshOption ?? [],
    },
    passphrase,
    timeoutMs: flags.timeout * 1000,
    onProgress: (line) => output.stderr(line),
  });
  output.stdout(
    `Unlocked ${opened.join(", ")} on ${destination.host}: the machine goes on booting into its system.`,
  );
}
