import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InternalError } from "../errors/index.ts";

function isGroundworkRoot(dir: string): boolean {
  const manifest = join(dir, "package.json");
  if (!existsSync(manifest)) return false;
  return (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "groundwork";
}

/** The folder of groundwork's package.json: found by walking up, so it works from src/ and from dist/src/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!isGroundworkRoot(dir)) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new InternalError(`no groundwork package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

/** Absolute path of the built-in modules, handed to function modules as `modulesPath`. */
export function modulesPath(): string {
  return join(packageRoot(), "modules");
}
