import { dirname } from "node:path";
import { ConfigError, type Problem } from "../errors/index.ts";
import { displayFile } from "./display-file.ts";
import type { ModuleArgs } from "./module.ts";
import { missingModuleMessage, readModuleFile, resolveModuleFile } from "./module-file.ts";
import { MODULE_TIMEOUT_MS, nestingProblem, settleWithin } from "./module-limits.ts";
import { lineProblem, quoteText } from "./text.ts";

/** The option definitions of one module, and the file they came from. */
export interface Definition {
  readonly file: string;
  readonly value: unknown;
}

/** One round's definitions in module order, the files read, and the module functions that threw. */
export interface Collected {
  readonly definitions: Definition[];
  readonly files: string[];
  readonly failures: Problem[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `read()`, or a ConfigError naming `file` when reading the module's value throws (a getter, a Proxy). */
function readsPlainly<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    return fail(file, "", `reading the module's value threw: ${reasonOf(error)}; a module is plain data`);
  }
}

function fail(file: string, path: string, message: string): never {
  throw new ConfigError([{ file: displayFile(file), path, message }]);
}

/** Reads module files, each once, and walks the import graph of a root module once per evaluation round. */
export class ModuleCollector {
  private readonly loaded = new Map<string, Promise<unknown>>();

  /** `timeoutMs`: how long a module may take to load, or its function to return. */
  constructor(private readonly timeoutMs: number = MODULE_TIMEOUT_MS) {}

  /** `work`, or a ConfigError naming `file` when it does not settle in time (a Promise that never resolves). */
  private inTime<T>(work: Promise<T>, file: string, what: string): Promise<T> {
    const seconds = this.timeoutMs / 1000;
    return settleWithin(
      work,
      this.timeoutMs,
      () =>
        new ConfigError([
          {
            file: displayFile(file),
            path: "",
            message: `${what} did not finish within ${seconds} s: a Promise it awaits or returns never settles; make sure every Promise in the module resolves`,
          },
        ]),
    );
  }

  /** The module a file exports, read on first use. */
  private load(file: string, importer: string | undefined): Promise<unknown> {
    let module = this.loaded.get(file);
    if (module === undefined) {
      module = this.inTime(readModuleFile(file), file, "the module").catch((error: unknown) => {
        if (error instanceof ConfigError) throw error;
        return fail(
          importer ?? file,
          importer === undefined ? "" : "imports",
          `cannot load ${file}: ${reasonOf(error)}`,
        );
      });
      this.loaded.set(file, module);
    }
    return module;
  }

  /** Every definition reachable from `root`, importing modules first, each file once (so cycles end). */
  async collect(root: string, args: ModuleArgs): Promise<Collected> {
    const collected: Collected = { definitions: [], files: [root], failures: [] };
    const seen = new Set([root]);
    const visit = async (module: unknown, file: string): Promise<void> => {
      let value = module;
      if (typeof value === "function") {
        try {
          const call = (value as (moduleArgs: ModuleArgs) => unknown)(args);
          value = await this.inTime(Promise.resolve(call), file, "the module function");
        } catch (error) {
          if (error instanceof ConfigError) throw error;
          collected.failures.push({
            file: displayFile(file),
            path: "",
            message: `the module function threw: ${reasonOf(error)}`,
          });
          return;
        }
      }
      if (!isPlainObject(value)) {
        fail(file, "", `a module is an object, or a function returning one; this one is ${describe(value)}`);
      }
      const tooDeep = readsPlainly(file, () => nestingProblem(value));
      if (tooDeep !== undefined) fail(file, "", tooDeep);
      const { imports = [], $schema: _schema, ...definitions } = value;
      collected.definitions.push({ file, value: definitions });
      if (!Array.isArray(imports))
        fail(file, "imports", `expected a list of modules or paths, got ${describe(imports)}`);
      for (const entry of imports as unknown[]) {
        if (typeof entry !== "string") {
          await visit(entry, file);
          continue;
        }
        const wrong = lineProblem(entry);
        if (wrong !== undefined) fail(file, "imports", `${quoteText(entry)} ${wrong}`);
        const target = resolveModuleFile(entry, dirname(file));
        if (target === undefined) fail(file, "imports", missingModuleMessage(entry, dirname(file)));
        if (seen.has(target)) continue;
        seen.add(target);
        collected.files.push(target);
        await visit(await this.load(target, file), target);
      }
    };
    await visit(await this.load(root, undefined), root);
    return collected;
  }
}
