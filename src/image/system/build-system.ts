import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { lostPins, PinError, unmetPins } from "../../plan/pins.ts";
import { quote } from "../../render/quote.ts";
import { renderAptPreferences } from "../../render/switch-script.ts";
import { type CacheKind, cachedFolder, findCached, inputHash } from "../cache.ts";
import { runTool } from "../run-tool.ts";

/** What a system image is built from. Everything that changes the result is here, so it names the cache entry. */
const systemBuildInputsSchema = z
  .object({
    suite: z.string(),
    mirror: z.string(),
    architecture: z.literal("amd64"),
    packages: z.array(z.string()).readonly(),
    /** Exact versions from groundwork.lock; every other version is the mirror's current one. */
    pins: z.record(z.string(), z.string()).readonly().optional(),
  })
  .readonly();

export type SystemBuildInputs = z.output<typeof systemBuildInputsSchema>;

/** manifest.json of a cached system image: what it was built from, and every package version it holds. */
const systemManifestSchema = z.object({
  version: z.literal(1),
  inputs: systemBuildInputsSchema,
  hash: z.string(),
  packages: z.record(z.string(), z.string()).readonly(),
  tarball: z
    .object({ file: z.string(), bytes: z.number().int().nonnegative(), sha256: z.string() })
    .readonly(),
  builtAt: z.string(),
});

export type SystemManifest = Readonly<z.output<typeof systemManifestSchema>>;

/** Cached system images: `system/<hash>`. */
export const SYSTEM_IMAGES: CacheKind<typeof systemManifestSchema> = {
  kind: "system",
  manifest: systemManifestSchema,
  description: "the cached system image",
};

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
    readonly cacheRoot?: string | undefined;
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
    const found = await findCached(SYSTEM_IMAGES, hashOf(unpinned), { root: options.cacheRoot });
    if (
      found !== undefined &&
      JSON.stringify(sortedEntries(found.manifest.packages)) === JSON.stringify(sortedEntries(pins))
    )
      return { ...found, tarball: join(found.dir, "system.tar.zst"), cached: true };
  }
  const onProgress = options.onProgress ?? (() => {});
  const { dir, manifest, cached } = await cachedFolder(
    SYSTEM_IMAGES,
    hash,
    async (work): Promise<SystemManifest> => {
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
          .map((line) => {
            const [name = "", version = ""] = line.split("\t");
            return [name, version];
          }),
      );
      const unmet = unmetPins(pins, packages);
      if (unmet.length > 0)
        throw new PinError(unmet.map((pin) => ({ name: pin.name, version: pin.pinned, has: pin.built })));
      return {
        version: 1,
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
    },
    { root: options.cacheRoot, refresh: options.refresh === true, onProgress },
  );
  return { dir, tarball: join(dir, "system.tar.zst"), manifest, cached };
}
