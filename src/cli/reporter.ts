import type { EventSink } from "../ui/events.ts";
import { jsonReporter, textReporter } from "../ui/reporter.ts";
import type { SharedFlags } from "./options.ts";
import type { Output } from "./output.ts";

/** Events as JSON lines on standard output with `--json`, else as text on standard error. */
export function reporterOf(flags: Pick<SharedFlags, "json" | "verbose">, output: Output): EventSink {
  return flags.json === true
    ? jsonReporter(output.stdout)
    : textReporter(output.stderr, { verbose: flags.verbose === true });
}
