import type { Command } from "commander";
import { parseDestination } from "../../transport/destination.ts";
import type { UnlockFlags } from "../actions/unlock.ts";
import { parseLocalPath } from "../flag-values.ts";
import { parsedOption, secondsOption } from "../options.ts";
import type { Output } from "../output.ts";
import { collectSshOption, SSH_PASS_VARIABLE } from "../ssh-flags.ts";

/** `groundwork unlock <host>`: type the LUKS passphrase into a booting machine's initramfs, over SSH. */
export function registerUnlock(program: Command, output: Output): void {
  program
    .command("unlock")
    .description(
      "unlock the encrypted disks of a machine waiting at boot, through the SSH server in its initramfs (boot.initrd.network.ssh)",
    )
    .argument(
      "<destination>",
      "[root@]host[:port] of the machine; the port is the initramfs's (boot.initrd.network.ssh.port, default 22)",
      (text: string) => parseDestination(text, "<destination>"),
    )
    .addOption(parsedOption("-i, --identity <KEY>", "SSH private key to log in with", parseLocalPath))
    .option(
      "--ssh-option <OPTION>",
      "extra ssh -o option, e.g. ProxyJump=bastion (repeatable)",
      collectSshOption,
    )
    .addOption(
      parsedOption(
        "--passphrase-file <FILE>",
        "read the passphrase from FILE (a trailing line break is no part of it)",
        parseLocalPath,
      ),
    )
    .option("--env-password", `read the passphrase from the ${SSH_PASS_VARIABLE} environment variable`)
    .addOption(
      secondsOption(
        "--timeout <SECONDS>",
        "how long to wait for the initramfs to answer SSH",
        { min: 1, max: 3600 },
        300,
      ),
    )
    .action(async (destination, flags: UnlockFlags) => {
      const { runUnlock } = await import("../actions/unlock.ts");
      await runUnlock(destination, flags, output);
    });
}
