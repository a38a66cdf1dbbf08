import { getOption } from "../../config/get-option.ts";
import { loadConfig } from "../../config/load.ts";
import type { SharedFlags } from "../options.ts";
import type { Output } from "../output.ts";

export type EvalFlags = Pick<SharedFlags, "json" | "disk">;

/** Print the resolved configuration, or the option at a dotted path. */
export async function runEval(
  configPath: string,
  option: string | undefined,
  flags: EvalFlags,
  output: Output,
): Promise<void> {
  const { config } = await loadConfig(configPath, { diskDevices: flags.disk ?? {} });
  const value = option === undefined ? config : getOption(config, option);
  output.stdout(
    flags.json === true || typeof value === "object" ? JSON.stringify(value, null, 2) : String(value),
  );
}
