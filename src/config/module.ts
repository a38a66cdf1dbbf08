import type { Condition, Lib, Merge, Order, Override } from "./lib.ts";
import type { Config, ConfigInput } from "./schema.ts";

/** A value a module may write for an option of type T: any part of it, with wrappers (mkDefault, mkIf…) anywhere. */
export type Definable<T> =
  | Shape<T>
  | Override<Definable<T>>
  | Condition<Definable<T>>
  | Merge<Definable<T>>
  | Order<Definable<T>>;

type Shape<T> = T extends readonly (infer E)[]
  ? readonly E[]
  : T extends object
    ? { readonly [K in keyof T]?: Definable<T[K]> }
    : T;

/** What function modules receive, like `{ config, lib, modulesPath, ... }:` in Nix. */
export interface ModuleArgs {
  /** The resolved configuration (of the previous evaluation round, until it settles). */
  readonly config: Config;
  readonly lib: Lib;
  /** Absolute path of groundwork's built-in modules (`modulesPath + "/profiles/qemu-guest.ts"`). */
  readonly modulesPath: string;
}

/** Option definitions, plus the modules they build on: other modules, or paths relative to this file. */
export type ModuleObject = Shape<ConfigInput> & {
  readonly imports?: readonly ModuleImport[];
  /** Ignored: lets a JSON module name its JSON Schema. */
  readonly $schema?: string;
};
export type ModuleFunction = (args: ModuleArgs) => ModuleObject;
export type Module = ModuleObject | ModuleFunction;
export type ModuleImport = Module | string;

/** Types a configuration's root module; returns it unchanged. */
export function defineConfig(module: Module): Module {
  return module;
}

/** Types a module meant to be imported; returns it unchanged. */
export function defineModule(module: Module): Module {
  return module;
}
