import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

/** groundwork's cache folder: `$XDG_CACHE_HOME/groundwork`, or `~/.cache/groundwork`. */
export function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "groundwork");
}

/** A stable hash of build inputs: the same inputs always name the same cache entry. */
export function inputHash(inputs: unknown): string {
  return createHash("sha256").update(JSON.stringify(inputs)).digest("hex").slice(0, 32);
}

/** The folder of a complete cache entry, or undefined. */
export async function findCached(
  kind: string,
  hash: string,
  root: string = cacheRoot(),
): Promise<string | undefined> {
  const dir = join(root, kind, hash);
  return (await stat(join(dir, ".complete")).then(
    () => true,
    () => false,
  ))
    ? dir
    : undefined;
}

/**
 * The folder of a content-addressed cache entry, built by `produce` into a temporary folder and renamed into
 * place when it succeeded, so that a half-built entry is never used. `refresh` builds it again (for a build
 * whose result changes with the mirror, such as a fresh resolution of package versions).
 */
export async function cachedFolder(
  kind: string,
  hash: string,
  produce: (dir: string) => Promise<void>,
  root: string = cacheRoot(),
  options: { readonly refresh?: boolean } = {},
): Promise<{ dir: string; cached: boolean }> {
  const dir = join(root, kind, hash);
  if (options.refresh !== true && (await findCached(kind, hash, root)) !== undefined)
    return { dir, cached: true };
  await mkdir(join(root, kind), { recursive: true });
  const temporary = await mkdtemp(join(root, kind, `${hash}.tmp-`));
  try {
    await produce(temporary);
    await writeFile(join(temporary, ".complete"), `${new Date().toISOString()}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(temporary, dir);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  return { dir, cached: false };
}
