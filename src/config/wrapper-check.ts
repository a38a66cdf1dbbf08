import { describeValue } from "./issues.ts";
import { DEFAULT_PRIORITY, FORCE_PRIORITY, TAG, type Wrapper } from "./lib.ts";

const TAGS: ReadonlySet<unknown> = new Set(["if", "merge", "override", "order"]);

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** The lib function that made an override: mkForce and mkDefault are overrides with a fixed priority. */
function overrideName(priority: number): string {
  if (priority === FORCE_PRIORITY) return "lib.mkForce";
  if (priority === DEFAULT_PRIORITY) return "lib.mkDefault";
  return "lib.mkOverride";
}

/** The lib function that made a list order: mkBefore is 500, mkAfter 1500. */
export function orderName(order: number): string {
  if (order === 500) return "lib.mkBefore";
  if (order === 1500) return "lib.mkAfter";
  return "lib.mkOrder";
}

function withoutValue(name: string, call: string): string {
  return `${name} was called without a value: write ${call}`;
}

/**
 * What is wrong with how a lib function was called, or undefined: a module's code is not type-checked when it
 * runs. Each message names the function and shows the right call.
 */
export function wrapperMisuse(wrapper: Wrapper<unknown>): string | undefined {
  const tag: unknown = wrapper[TAG];
  if (!TAGS.has(tag))
    return `an unknown lib wrapper (${describeValue(tag)}): use the lib that groundwork passes to modules`;
  switch (wrapper[TAG]) {
    case "if":
      if (typeof wrapper.condition !== "boolean")
        return `lib.mkIf: the condition is ${describeValue(wrapper.condition)}, not true or false: give a boolean, e.g. lib.mkIf(config.services.openssh.enable, …)`;
      return wrapper.content === undefined
        ? withoutValue("lib.mkIf", "lib.mkIf(condition, value)")
        : undefined;
    case "merge":
      if (!Array.isArray(wrapper.contents))
        return `lib.mkMerge takes a list of definitions, not ${describeValue(wrapper.contents)}: write lib.mkMerge([first, second])`;
      return undefined;
    case "override":
      if (!isNumber(wrapper.priority))
        return `lib.mkOverride: the priority is ${describeValue(wrapper.priority)}, not a number: give a number, lower wins (lib.mkForce is ${FORCE_PRIORITY}, a plain definition 100, lib.mkDefault ${DEFAULT_PRIORITY})`;
      if (wrapper.content === undefined) {
        const name = overrideName(wrapper.priority);
        return withoutValue(
          name,
          name === "lib.mkOverride" ? "lib.mkOverride(priority, value)" : `${name}(value)`,
        );
      }
      return undefined;
    case "order":
      if (!isNumber(wrapper.order))
        return `lib.mkOrder: the order is ${describeValue(wrapper.order)}, not a number: give a number (lib.mkBefore is 500, a plain list 1000, lib.mkAfter 1500)`;
      if (wrapper.content === undefined) {
        const name = orderName(wrapper.order);
        return withoutValue(
          name,
          name === "lib.mkOrder" ? "lib.mkOrder(order, [values])" : `${name}([values])`,
        );
      }
      return undefined;
  }
}
