import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LoadedConfig, type LoadOptions, loadConfig } from "../../src/config/load.ts";

/** Writes `text` as the module file `name` in a new temporary folder, loads it, and removes the folder. */
export async function loadModuleText(
  name: string,
  text: string | Buffer,
  options: LoadOptions = {},
): Promise<LoadedConfig> {
  const dir = mkdtempSync(join(tmpdir(), "groundwork-hostile-"));
  try {
    writeFileSync(join(dir, name), text);
    return await loadConfig(join(dir, name), options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
