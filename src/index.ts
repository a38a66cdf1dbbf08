// The public library: what configurations import from "groundwork", and what tools built on it use.

export { getOption } from "./config/get-option.ts";
export { configJsonSchema } from "./config/json-schema.ts";
export {
  type Lib,
  lib,
  mkAfter,
  mkBefore,
  mkDefault,
  mkForce,
  mkIf,
  mkMerge,
  mkOrder,
  mkOverride,
} from "./config/lib.ts";
export { type LoadedConfig, type LoadOptions, loadConfig } from "./config/load.ts";
export {
  type Definable,
  defineConfig,
  defineModule,
  type Module,
  type ModuleArgs,
  type ModuleFunction,
  type ModuleImport,
  type ModuleObject,
} from "./config/module.ts";
export { type Config, type ConfigInput, configSchema } from "./config/schema.ts";
export type { Problem } from "./errors/index.ts";
export { ConfigError, GroundworkError } from "./errors/index.ts";
