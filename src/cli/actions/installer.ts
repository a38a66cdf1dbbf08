import { buildInstaller, describeInstaller } from "../../image/installer/build-installer.ts";
import type { SharedFlags } from "../options.ts";
import type { Output } from "../output.ts";

export interface InstallerFlags extends Pick<SharedFlags, "json" | "verbose"> {
  readonly suite: string;
  readonly mirror: string;
}

/** Build (or find in the cache) the installer; print its files, or its manifest with `--json`. */
export async function runInstallerBuild(flags: InstallerFlags, output: Output): Promise<void> {
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
}
