import { isDeepStrictEqual } from "node:util";
import type { Problem } from "../errors/index.ts";
import type { Definition } from "./collect.ts";
import { displayFile } from "./display-file.ts";
import { isWrapper, PLAIN_ORDER, PLAIN_PRIORITY, TAG } from "./lib.ts";
import { formatOptionPath } from "./option-path.ts";

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
type Segment = string | number;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || isWrapper(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Removes conditions and merges, applying priorities and orders; the innermost wrapper wins. */
function expand(part: Part): Part[] {
  const { value } = part;
  if (value === undefined) return [];
  if (!isWrapper(value)) return [part];
  switch (value[TAG]) {
    case "if":
      return value.condition ? expand({ ...part, value: value.content }) : [];
    case "merge":
      return value.contents.flatMap((content) => expand({ ...part, value: content }));
    case "override":
      return expand({ ...part, value: value.content, priority: value.priority });
    case "order":
      return expand({ ...part, value: value.content, order: value.order });
  }
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

  merge(path: readonly Segment[], parts: readonly Part[]): unknown {
    const expanded = parts.flatMap(expand);
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
