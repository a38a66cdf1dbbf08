import type { Command } from "commander";
import type { InstallerFlags } from "../actions/installer.ts";
import { parseMirror, parseSuite } from "../flag-values.ts";
import { jsonOption, parsedOption, verboseOption } from "../options.ts";
import type { Output } from "../output.ts";

/** `groundwork installer build`: make (or find in the cache) the installer that deploy kexecs into. */
export function registerInstaller(program: Command, output: Output): void {
  const installer = program
    .command("installer")
    .description(
      "the installer: a Debian kernel and an initramfs that run from RAM with sshd and the disk tools",
    );
  installer
    .command("build")
    .description("build the installer from Debian's packages (cached) and print its files and sizes")
    .addOption(parsedOption("--suite <SUITE>", "Debian suite", parseSuite).default("bookworm"))
    .addOption(
      parsedOption("--mirror <URL>", "Debian mirror", parseMirror).default("http://deb.debian.org/debian"),
    )
    .addOption(jsonOption("print the manifest as JSON"))
    .addOption(verboseOption())
    .action(async (flags: InstallerFlags) => {
      const { runInstallerBuild } = await import("../actions/installer.ts");
      await runInstallerBuild(flags, output);
    });
}
