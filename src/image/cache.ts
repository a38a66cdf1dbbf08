import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import type { z } from "zod";
import { RecordError } from "../errors/index.ts";
import { parseRecord, type RecordSchema } from "../facts/record.ts";

/** groundwork's cache folder: `$XDG_CACHE_HOME/groundwork`, or `~/.cache/groundwork`. */
export function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "groundwork");
}

/** A stable hash of build inputs: the same inputs always name the same cache entry. */
export function inputHash(inputs: unknown): string {
  return createHash("sha256").update(JSON.stringify(inputs)).digest("hex").slice(0, 32);
}

/** A kind of cache entry: its folder in the cache, the schema of its manifest.json, and its name in messages. */
export interface CacheKind<S extends RecordSchema> {
  /** The folder below the cache root: `system`, `installer`. */
  readonly kind: string;
  readonly manifest: S;
  /** `the cached system image`. */
  readonly description: string;
}

const MANIFEST = "manifest.json";

/** The manifest of the entry in `dir`; a RecordError when it is missing, damaged or from a newer groundwork. */
async function readManifest<S extends RecordSchema>(entry: CacheKind<S>, dir: string): Promise<z.output<S>> {
  const file = join(dir, MANIFEST);
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  // The cache is groundwork's own: an entry it cannot read is built again, never repaired by hand.
  return parseRecord(text, entry.manifest, {
    name: `${entry.description}'s ${MANIFEST} (${file})`,
    damaged: "building it again",
    newer: "building it again for this groundwork",
  });
}

/**
 * The folder and manifest of a complete cache entry, or undefined: when there is none, or when its manifest
 * cannot be read (then `onUnreadable` hears why, and the entry counts as missing).
 */
export async function findCached<S extends RecordSchema>(
  entry: CacheKind<S>,
  hash: string,
  options: { readonly root?: string | undefined; readonly onUnreadable?: (message: string) => void } = {},
): Promise<{ dir: string; manifest: z.output<S> } | undefined> {
  const dir = join(options.root ?? cacheRoot(), entry.kind, hash);
  const complete = await stat(join(dir, ".complete")).then(
    () => true,
    () => false,
  );
  if (!complete) return undefined;
  try {
    return { dir, manifest: await readManifest(entry, dir) };
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    options.onUnreadable?.(error.message);
    return undefined;
  }
}

/**
 * The folder of a content-addressed cache entry and its manifest, built by `produce` into a temporary folder
 * (it returns the manifest, written as manifest.json) and renamed into place when it succeeded, so that a
 * half-built entry is never used. An entry whose manifest cannot be read is built again, and so is any entry
 * with `refresh` (for a build whose result changes with the mirror, such as a fresh resolution of versions).
 */
export async function cachedFolder<S extends RecordSchema>(
  entry: CacheKind<S>,
  hash: string,
  produce: (dir: string) => Promise<z.output<S>>,
  options: {
    readonly root?: string | undefined;
    readonly refresh?: boolean;
    readonly onProgress?: (line: string) => void;
  } = {},
): Promise<{ dir: string; manifest: z.output<S>; cached: boolean }> {
  const root = options.root ?? cacheRoot();
  if (options.refresh !== true) {
    const found = await findCached(entry, hash, {
      root,
      ...(options.onProgress === undefined ? {} : { onUnreadable: options.onProgress }),
    });
    if (found !== undefined) return { ...found, cached: true };
  }
  const dir = join(root, entry.kind, hash);
  await mkdir(join(root, entry.kind), { recursive: true });
  const temporary = await mkdtemp(join(root, entry.kind, `${hash}.tmp-`));
  let manifest: z.output<S>;
  try {
    manifest = await produce(temporary);
    await writeFile(join(temporary, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFile(join(temporary, ".complete"), `${new Date().toISOString()}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(temporary, dir);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  return { dir, manifest, cached: false };
}
