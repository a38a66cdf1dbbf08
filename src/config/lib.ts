/**
 * Definition wrappers, as in NixOS's `lib`: priorities (lower wins), conditions, merges and list order.
 * They are tagged with a registered symbol, so a plain object can never be mistaken for one, and wrappers made by
 * another copy of this module (the `groundwork` package seen from a configuration) are still recognised.
 */
export const TAG: unique symbol = Symbol.for("groundwork.definition") as never;

/** Priority of a plain definition. */
export const PLAIN_PRIORITY = 100;
/** Priority of `mkDefault`. */
export const DEFAULT_PRIORITY = 1000;
/** Priority of `mkForce`. */
export const FORCE_PRIORITY = 50;
/** List position of a plain definition; `mkBefore` and `mkAfter` sort around it. */
export const PLAIN_ORDER = 1000;

export interface Override<T> {
  readonly [TAG]: "override";
  readonly priority: number;
  readonly content: T;
}
export interface Condition<T> {
  readonly [TAG]: "if";
  readonly condition: boolean;
  readonly content: T;
}
export interface Merge<T> {
  readonly [TAG]: "merge";
  readonly contents: readonly T[];
}
export interface Order<T> {
  readonly [TAG]: "order";
  readonly order: number;
  readonly content: T;
}
export type Wrapper<T> = Override<T> | Condition<T> | Merge<T> | Order<T>;

export function isWrapper(value: unknown): value is Wrapper<unknown> {
  return typeof value === "object" && value !== null && TAG in value;
}

/** Give a definition a priority: lower numbers win (mkForce 50, plain 100, mkDefault 1000). */
export function mkOverride<const T>(priority: number, content: T): Override<T> {
  return { [TAG]: "override", priority, content };
}
/** A value that any plain definition replaces. */
export function mkDefault<const T>(content: T): Override<T> {
  return mkOverride(DEFAULT_PRIORITY, content);
}
/** A value that replaces plain definitions and defaults. */
export function mkForce<const T>(content: T): Override<T> {
  return mkOverride(FORCE_PRIORITY, content);
}
/** A definition that counts only when `condition` holds. */
export function mkIf<const T>(condition: boolean, content: T): Condition<T> {
  return { [TAG]: "if", condition, content };
}
/** Several definitions of one option, merged as if they came from separate modules. */
export function mkMerge<const T>(contents: readonly T[]): Merge<T> {
  return { [TAG]: "merge", contents };
}
/** A list definition placed by `order` among the others (plain lists are 1000). */
export function mkOrder<const T>(order: number, content: T): Order<T> {
  return { [TAG]: "order", order, content };
}
/** A list definition placed before the plain ones. */
export function mkBefore<const T>(content: T): Order<T> {
  return mkOrder(500, content);
}
/** A list definition placed after the plain ones. */
export function mkAfter<const T>(content: T): Order<T> {
  return mkOrder(1500, content);
}

/** What function modules receive as `lib`. */
export const lib = { mkOverride, mkDefault, mkForce, mkIf, mkMerge, mkOrder, mkBefore, mkAfter } as const;
export type Lib = typeof lib;
