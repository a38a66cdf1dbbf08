import type { Command } from "commander";
import { buildInstaller, describeInstaller } from "../../image/installer/build-installer.ts";
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
    .option("--suite <SUITE>", "Debian suite", "bookworm")
    .option("--mirror <URL>", "Debian mirror", "http://deb.debian.org/debian")
    .option("--json", "print the manifest as JSON")
    .option("--verbose", "show mmdebstrap's output")
    .action(async (flags: { suite: string; mirror: string; json?: boolean; verbose?: boolean }) => {
      const image = await buildInstaller({
        suite: flags.suite,
        mirror: flags.mirror,
        ...(flags.verbose === true ? { onProgress: (line: string) => output.stderr(line) } : {}),
      });
      if (flags.json === true) {
        output.stdout(
          JSON.stringify(
            { kernel: image.kernel, initrd: image.initrd, tools: image.tools, ...image.manifest },
            null,
            2,
          ),
        );
        return;
      }
      output.stderr(describeInstaller(image));
      output.stdout([image.kernel, image.initrd, image.tools].join("\n"));
    });
}
