import { existsSync, statSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createJiti } from "jiti";
import { sizeProblem } from "./module-limits.ts";

/** File kinds a module can be written in. */
export const MODULE_EXTENSIONS = [".ts", ".mts", ".js", ".mjs", ".json"] as const;
/** What a folder stands for, in this order. */
const FOLDER_ENTRIES = ["configuration.ts", "configuration.js", "configuration.json"];

const here = fileURLToPath(import.meta.url);
// `import … from "groundwork"` in a configuration means this copy of groundwork: src/index.ts when running the
// sources, dist/src/index.js when built. It works wherever the configuration lives, installed or not.
const entry = join(dirname(here), "..", `index${extname(here)}`);
// No module cache: each load sees the files as they are now; loadConfig loads each file once per run.
const jiti = createJiti(import.meta.url, { moduleCache: false, alias: { groundwork: entry } });

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/**
 * The module file a path names, relative to `fromDir`: the file itself, the file with a module extension added,
 * or a folder's configuration.ts (then .js, .json). Undefined when there is none.
 */
export function resolveModuleFile(spec: string, fromDir: string): string | undefined {
  const path = resolve(fromDir, spec);
  if (existsSync(path) && statSync(path).isDirectory()) {
    return FOLDER_ENTRIES.map((name) => join(path, name)).find(isFile);
  }
  if (isFile(path)) return path;
  return MODULE_EXTENSIONS.map((extension) => path + extension).find(isFile);
}

/** Why nothing was found at `spec`, with the likely fix. */
export function missingModuleMessage(spec: string, fromDir: string): string {
  const path = resolve(fromDir, spec);
  const base = `cannot find module ${JSON.stringify(spec)} (looked for ${path})`;
  if (path.endsWith(".nix"))
    return `${base}: groundwork modules are .ts, .js or .json files, e.g. ${path.slice(0, -4)}.ts`;
  if (existsSync(path))
    return `${base}: the folder has no configuration.ts, configuration.js or configuration.json`;
  return base;
}

/** The default export of a module file (for JSON: the parsed document). Throws the loader's error as it is, or why the file is too large to read. */
export async function readModuleFile(file: string): Promise<unknown> {
  const tooLarge = sizeProblem((await stat(file)).size);
  if (tooLarge !== undefined) throw new Error(tooLarge);
  if (file.endsWith(".json")) return JSON.parse(await readFile(file, "utf8")) as unknown;
  return await jiti.import(file, { default: true });
}
