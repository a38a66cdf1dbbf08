import type { EventSink } from "../ui/events.ts";

const STEP_MARK = /^\[groundwork\] step (.+)$/;

/** The IDs of the steps a script's output says it began, in order. */
export function startedSteps(stdout: string): string[] {
  return stdout.split("\n").flatMap((line) => {
    const id = STEP_MARK.exec(line)?.[1];
    return id === undefined ? [] : [id];
  });
}

/**
 * The output handler of a script run in `phase`: every chunk is an `output` event, and each line that marks a
 * step (`[groundwork] step ID`, printed by the scripts' `step` function) is also a `step` event, named by
 * `describe(ID)` (the ID itself when it has no description).
 */
export function stepOutput(
  phase: string,
  events: EventSink,
  describe: (id: string) => string | undefined,
): (stream: "stdout" | "stderr", chunk: string) => void {
  let partial = "";
  return (stream, chunk) => {
    events({ type: "output", phase, text: chunk });
    if (stream !== "stdout") return;
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const id = STEP_MARK.exec(line)?.[1];
      if (id !== undefined) events({ type: "step", phase, text: describe(id) ?? id });
    }
  };
}
