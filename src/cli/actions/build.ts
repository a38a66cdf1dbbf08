import { prepareBuildFolder, writeBuildOutputs } from "../../execute/build-outputs.ts";
import { loadDeployPlan } from "../load-plan.ts";
import type { SharedFlags } from "../options.ts";
import type { Output } from "../output.ts";

export interface BuildFlags extends Pick<SharedFlags, "disk" | "verbose"> {
  readonly out: string;
}

/** Write the disk scripts, the system image, the activation script and a manifest into `flags.out`. */
export async function runBuild(configPath: string, flags: BuildFlags, output: Output): Promise<void> {
  const started = performance.now();
  // Before the configuration is even read: a build takes minutes, a wrong -o is found now.
  await prepareBuildFolder(flags.out);
  const { plan } = await loadDeployPlan(configPath, { diskDevices: flags.disk ?? {} });
  output.stderr(`Building Debian ${plan.distribution.suite} with ${plan.packages.length} packages…`);
  const { image, files } = await writeBuildOutputs(
    plan,
    flags.out,
    configPath,
    flags.verbose === true ? (line) => output.stderr(line) : undefined,
  );
  const mib = (image.manifest.tarball.bytes / 2 ** 20).toFixed(0);
  output.stderr(
    `${image.cached ? "From the cache" : "Built"}: system ${image.manifest.hash} (${Object.keys(image.manifest.packages).length} packages, ${mib} MiB) in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  );
  output.stdout(files.map((file) => `${flags.out}/${file}`).join("\n"));
}
