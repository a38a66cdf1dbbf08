import type { EventSink, RunEvent } from "./events.ts";

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Events as lines for a person: phases with their durations, the plan, the tools' output indented. */
export function textReporter(
  write: (text: string) => void,
  options: { readonly verbose?: boolean } = {},
): EventSink {
  return (event: RunEvent) => {
    switch (event.type) {
      case "phase-start":
        write(`==> ${event.phase}: ${event.description}`);
        return;
      case "phase-end":
        write(`<== ${event.phase} done in ${seconds(event.durationMs)}`);
        return;
      case "phase-skip":
        write(`--- ${event.phase} skipped: ${event.reason}`);
        return;
      case "plan":
        write(event.text);
        return;
      case "step":
        write(`    ${event.text}`);
        return;
      case "output":
        if (options.verbose === true)
          for (const line of event.text.replace(/\n$/, "").split("\n")) write(`    ${line}`);
        return;
      case "note":
        write(event.text);
        return;
      case "done":
        write(
          `Done in ${seconds(event.durationMs)} (${event.phases.map((phase) => `${phase.phase} ${seconds(phase.durationMs)}`).join(", ")}).`,
        );
        return;
    }
  };
}

/** Events as JSON lines, one object per event, for `--json`. */
export function jsonReporter(write: (text: string) => void): EventSink {
  return (event) => write(JSON.stringify({ time: new Date().toISOString(), ...event }));
}
