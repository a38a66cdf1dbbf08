import type { Command } from "commander";
import { parsePlainText } from "./flag-values.ts";

function checkValue(name: string, value: unknown): void {
  if (typeof value === "string") parsePlainText(name, value);
  else if (Array.isArray(value)) for (const item of value) checkValue(name, item);
}

/**
 * Refuse a control character in any option or argument of the command about to run, whatever its kind: the
 * net under the parsers of each kind, for free text (an option path, a choice) that no parser reads.
 */
export function checkPlainValues(command: Command): void {
  const values = command.opts();
  for (const option of command.options)
    checkValue(option.long ?? option.flags, values[option.attributeName()]);
  for (const [index, argument] of command.registeredArguments.entries())
    checkValue(`<${argument.name()}>`, command.processedArgs[index]);
}
