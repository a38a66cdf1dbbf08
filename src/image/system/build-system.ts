import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { lostPins, PinError, unmetPins } from "../../plan/pins.ts";
import { quote } from "../../render/quote.ts";
import { renderAptPreferences } from "../../render/switch-script.ts";
import { cachedFolder, findCached, inputHash } from "../cache.ts";
import { runTool } from "../run-tool.ts";

/** What a system image is built from. Everything that changes the result is here, so it names the cache entry. */
export interface SystemBuildInputs {
  readonly suite: string;
  readonly mirror: string;
  readonly architecture: "amd64";
  readonly packages: readonly string[];
  /** Exact versions from groundwork.lock; every other version is the mirror's current one. */
  readonly pins?: Readonly<Record<string, string>>;
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

function sortedEntries(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1));
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
  options: {
    readonly cacheRoot?: string;
    readonly onProgress?: (line: string) => void;
    /** Resolve the versions again even when an image of these inputs is cached (`pins update`). */
    readonly refresh?: boolean;
  } = {},
): Promise<SystemImage> {
  const hashOf = (of: SystemBuildInputs) =>
    inputHash({
      builder: BUILDER_VERSION,
      excluded: EXCLUDED_PATHS,
      ...of,
      packages: [...of.packages].sort(),
    });
  const hash = hashOf(inputs);
  // Right after `pins init` the pins are the versions of the cached unpinned build: that build is the result.
  if (inputs.pins !== undefined && options.refresh !== true) {
    const { pins, ...unpinned } = inputs;
    const dir = await findCached("system", hashOf(unpinned), options.cacheRoot);
    if (dir !== undefined) {
      const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as SystemManifest;
      if (JSON.stringify(sortedEntries(manifest.packages)) === JSON.stringify(sortedEntries(pins)))
        return { dir, tarball: join(dir, "system.tar.zst"), manifest, cached: true };
    }
  }
  const onProgress = options.onProgress ?? (() => {});
  const { dir, cached } = await cachedFolder(
    "system",
    hash,
    async (work) => {
      const tarball = join(work, "system.tar.zst");
      const packagesFile = join(work, "packages.tsv");
      const pins = inputs.pins ?? {};
      const preferences = join(work, "pins.pref");
      await writeFile(preferences, renderAptPreferences(pins));
      const included = inputs.packages.map((name) =>
        pins[name] === undefined ? name : `${name}=${pins[name]}`,
      );
      const pinHooks =
        Object.keys(pins).length === 0
          ? []
          : [
              // apt prefers the pinned version of every package, dependencies and the essential set included.
              `--setup-hook=mkdir -p "$1"/etc/apt/preferences.d && cp ${quote(preferences)} "$1"/etc/apt/preferences.d/groundwork-pins.pref`,
              '--customize-hook=rm -f "$1"/etc/apt/preferences.d/groundwork-pins.pref',
            ];
      await runTool(
        "mmdebstrap",
        [
          "--variant=minbase",
          `--architectures=${inputs.architecture}`,
          `--include=${included.join(",")}`,
          ...pinHooks,
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
      ).catch((error: Error) => {
        // apt names a pinned version of a listed package that the mirror does not have.
        const lost = lostPins(error.message);
        if (lost.length === 0) throw error;
        throw new PinError(lost);
      });
      const packages = Object.fromEntries(
        (await readFile(packagesFile, "utf8"))
          .trim()
          .split("\n")
          .map((line) => line.split("\t") as [string, string]),
      );
      const unmet = unmetPins(pins, packages);
      if (unmet.length > 0)
        throw new PinError(unmet.map((pin) => ({ name: pin.name, version: pin.pinned, has: pin.built })));
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
    options.refresh === true ? { refresh: true } : {},
  );
  const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as SystemManifest;
  return { dir, tarball: join(dir, "system.tar.zst"), manifest, cached };
}
