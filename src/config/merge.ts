import { isDeepStrictEqual } from "node:util";
import type { Problem } from "../errors/index.ts";
import type { Definition } from "./collect.ts";
import { displayFile } from "./display-file.ts";
import { isWrapper, PLAIN_ORDER, PLAIN_PRIORITY, TAG } from "./lib.ts";
import { formatOptionPath } from "./option-path.ts";
import { orderName, wrapperMisuse } from "./wrapper-check.ts";

/** The merged value of every definition, which files set each option path, and the conflicts found. */
export interface Merged {
  readonly value: Record<string, unknown>;
  /** Dotted option path → files whose definitions make up its value. */
  readonly provenance: Map<string, string[]>;
  readonly problems: Problem[];
}

interface Part {
  readonly file: string;
  readonly value: unknown;
  readonly priority: number;
  readonly order: number;
}

const NOTHING = Symbol("nothing");
// Assigning "__proto__" replaces an object's prototype instead of adding a key: JSON.parse keeps it as a key,
// and merging it would silently drop the attribute set it sits in.
const FORBIDDEN_KEY = "__proto__";
type Segment = string | number;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || isWrapper(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function describe(value: unknown): string {
  if (isPlainObject(value)) return "an attribute set";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function unique(files: readonly string[]): string[] {
  return [...new Set(files)];
}

class Merger {
  readonly provenance = new Map<string, string[]>();
  readonly problems: Problem[] = [];

  private record(path: readonly Segment[], parts: readonly Part[]): void {
    const key = formatOptionPath(path);
    this.provenance.set(
      key,
      unique([...(this.provenance.get(key) ?? []), ...parts.map((part) => part.file)]),
    );
  }

  private problem(path: readonly Segment[], file: string, message: string): void {
    this.problems.push({ file: displayFile(file), path: formatOptionPath(path), message });
  }

  /** Removes conditions and merges, applying priorities and orders; the innermost wrapper wins. */
  private expand(path: readonly Segment[], part: Part): Part[] {
    const { value } = part;
    // null is "not set", as in the JSON that `nix eval --json` prints of a disko configuration.
    if (value === undefined || value === null) return [];
    if (!isWrapper(value)) {
      if (typeof value !== "object" || value === null || Array.isArray(value) || isPlainObject(value))
        return [part];
      this.problem(
        path,
        part.file,
        `${Object.prototype.toString.call(value)} is not configuration data (an object made by a class, or with a prototype): write a plain attribute set, a list, a string, a number or a boolean`,
      );
      return [];
    }
    const misuse = wrapperMisuse(value);
    if (misuse !== undefined) {
      this.problem(path, part.file, misuse);
      return [];
    }
    switch (value[TAG]) {
      case "if":
        return value.condition ? this.expand(path, { ...part, value: value.content }) : [];
      case "merge":
        return value.contents.flatMap((content) => this.expand(path, { ...part, value: content }));
      case "override":
        return this.expand(path, { ...part, value: value.content, priority: value.priority });
      case "order":
        return this.expand(path, { ...part, value: value.content, order: value.order }).filter((inner) => {
          if (Array.isArray(inner.value)) return true;
          this.problem(
            path,
            part.file,
            `${orderName(value.order)} places a list among the other definitions of a list option, but this is ${describe(inner.value)}: remove ${orderName(value.order)}, or give it a list`,
          );
          return false;
        });
    }
  }

  merge(path: readonly Segment[], parts: readonly Part[]): unknown {
    const expanded = parts.flatMap((part) => this.expand(path, part));
    if (expanded.length === 0) return NOTHING;
    // Attribute sets merge key by key, so priorities apply to each leaf (as NixOS pushes mkOverride down).
    if (expanded.every((part) => isPlainObject(part.value))) return this.mergeObjects(path, expanded);
    const best = Math.min(...expanded.map((part) => part.priority));
    const winners = expanded.filter((part) => part.priority === best);
    if (winners.every((part) => isPlainObject(part.value))) return this.mergeObjects(path, winners);
    if (winners.every((part) => Array.isArray(part.value))) return this.mergeLists(path, winners);
    return this.mergeScalars(path, winners);
  }

  private mergeObjects(path: readonly Segment[], parts: readonly Part[]): Record<string, unknown> {
    this.record(path, parts);
    const keys = unique(parts.flatMap((part) => Object.keys(part.value as object)));
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      if (key === FORBIDDEN_KEY) {
        const file =
          parts.find((part) => isPlainObject(part.value) && Object.hasOwn(part.value, key))?.file ?? "";
        this.problem(
          [...path, key],
          file,
          `"${FORBIDDEN_KEY}" cannot be an option name: JavaScript gives it a meaning of its own; remove it`,
        );
        continue;
      }
      const children = parts
        .filter((part) => Object.hasOwn(part.value as object, key))
        .map((part) => ({ ...part, value: (part.value as Record<string, unknown>)[key] }));
      const value = this.merge([...path, key], children);
      if (value !== NOTHING) result[key] = value;
    }
    return result;
  }

  private mergeLists(path: readonly Segment[], parts: readonly Part[]): unknown[] {
    this.record(path, parts);
    const ordered = [...parts].sort((a, b) => a.order - b.order);
    const result: unknown[] = [];
    for (const part of ordered) {
      for (const element of part.value as unknown[]) {
        const value = this.merge([...path, result.length], [{ ...part, value: element }]);
        if (value !== NOTHING) result.push(value);
      }
    }
    return result;
  }

  private mergeScalars(path: readonly Segment[], parts: readonly Part[]): unknown {
    this.record(path, parts);
    const [first, ...others] = parts.map((part) => ({
      file: part.file,
      // An attribute set or list among scalars: resolve its own wrappers before comparing.
      value: isPlainObject(part.value) || Array.isArray(part.value) ? this.merge(path, [part]) : part.value,
    }));
    if (first === undefined) return NOTHING;
    const other = others.find((candidate) => !isDeepStrictEqual(candidate.value, first.value));
    if (other !== undefined) {
      const where =
        other.file === first.file
          ? `both in ${displayFile(first.file)}`
          : `in ${displayFile(first.file)} and in ${displayFile(other.file)}`;
      this.problems.push({
        path: formatOptionPath(path),
        message: `conflicting definitions ${describe(first.value)} and ${describe(other.value)}, ${where}: make them equal, or wrap the one that should win in lib.mkForce (or the other in lib.mkDefault)`,
      });
    }
    return first.value;
  }
}

/** Merges definitions in module order: attribute sets deeply, lists by concatenation, scalars if they agree. */
export function mergeDefinitions(definitions: readonly Definition[]): Merged {
  const merger = new Merger();
  const parts = definitions.map((definition) => ({
    ...definition,
    priority: PLAIN_PRIORITY,
    order: PLAIN_ORDER,
  }));
  const value = merger.merge([], parts);
  return {
    value: isPlainObject(value) ? value : {},
    provenance: merger.provenance,
    problems: merger.problems,
  };
}
