import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { quote } from "../../render/quote.ts";
import { cachedFolder, inputHash } from "../cache.ts";
import { runTool } from "../run-tool.ts";

/** What a system image is built from. Everything that changes the result is here, so it names the cache entry. */
export interface SystemBuildInputs {
  readonly suite: string;
  readonly mirror: string;
  readonly architecture: "amd64";
  readonly packages: readonly string[];
}

export interface SystemManifest {
  readonly inputs: SystemBuildInputs;
  readonly hash: string;
  readonly packages: Readonly<Record<string, string>>;
  readonly tarball: { readonly file: string; readonly bytes: number; readonly sha256: string };
  readonly builtAt: string;
}

export interface SystemImage {
  readonly dir: string;
  readonly tarball: string;
  readonly manifest: SystemManifest;
  readonly cached: boolean;
}

/** Bump when the way images are made changes, so that old cache entries are not reused. */
const BUILDER_VERSION = 1;

/** Paths a server does not need; they make the image a third smaller. */
const EXCLUDED_PATHS = [
  "/usr/share/doc/*",
  "/usr/share/man/*",
  "/usr/share/info/*",
  "/usr/share/locale/*",
  "/usr/share/lintian/*",
];

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Build the root filesystem of a system with mmdebstrap from Debian's packages, as `system.tar.zst`,
 * with a manifest of every package version. Cached by its inputs: the same inputs build once.
 */
export async function buildSystem(
  inputs: SystemBuildInputs,
  options: { readonly cacheRoot?: string; readonly onProgress?: (line: string) => void } = {},
): Promise<SystemImage> {
  const hash = inputHash({
    builder: BUILDER_VERSION,
    excluded: EXCLUDED_PATHS,
    ...inputs,
    packages: [...inputs.packages].sort(),
  });
  const onProgress = options.onProgress ?? (() => {});
  const { dir, cached } = await cachedFolder(
    "system",
    hash,
    async (work) => {
      const tarball = join(work, "system.tar.zst");
      const packagesFile = join(work, "packages.tsv");
      await runTool(
        "mmdebstrap",
        [
          "--variant=minbase",
          `--architectures=${inputs.architecture}`,
          `--include=${inputs.packages.join(",")}`,
          ...EXCLUDED_PATHS.map((path) => `--dpkgopt=path-exclude=${path}`),
          '--aptopt=Acquire::Retries "3"',
          // Host keys are made per machine at install time, never shared by every machine of one image.
          '--customize-hook=rm -f "$1"/etc/ssh/ssh_host_*',
          `--customize-hook=chroot "$1" dpkg-query -W -f='\${Package}\\t\${Version}\\n' > ${quote(packagesFile)}`,
          inputs.suite,
          tarball,
          inputs.mirror,
        ],
        onProgress,
      );
      const packages = Object.fromEntries(
        (await readFile(packagesFile, "utf8"))
          .trim()
          .split("\n")
          .map((line) => line.split("\t") as [string, string]),
      );
      const manifest: SystemManifest = {
        inputs,
        hash,
        packages,
        tarball: {
          file: "system.tar.zst",
          bytes: (await stat(tarball)).size,
          sha256: await sha256File(tarball),
        },
        builtAt: new Date().toISOString(),
      };
      await writeFile(join(work, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    },
    options.cacheRoot,
  );
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as SystemManifest;
  return { dir, tarball: join(dir, "system.tar.zst"), manifest, cached };
}
