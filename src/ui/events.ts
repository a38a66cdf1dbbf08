/** What a run reports as it goes; the terminal reporter and `--json` both read these. */
export type RunEvent =
  | { readonly type: "phase-start"; readonly phase: string; readonly description: string }
  | { readonly type: "phase-end"; readonly phase: string; readonly durationMs: number }
  | { readonly type: "phase-skip"; readonly phase: string; readonly reason: string }
  | { readonly type: "plan"; readonly text: string }
  | { readonly type: "output"; readonly phase: string; readonly text: string }
  /** A step inside a phase begins (progress a person can watch). */
  | { readonly type: "step"; readonly phase: string; readonly text: string }
  | { readonly type: "note"; readonly text: string }
  | {
      readonly type: "done";
      readonly durationMs: number;
      readonly phases: readonly { phase: string; durationMs: number }[];
    };

export type EventSink = (event: RunEvent) => void;
