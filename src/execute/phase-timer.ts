import type { EventSink } from "../ui/events.ts";

/** One phase of a run and how long it took. */
export interface PhaseTime {
  readonly phase: string;
  readonly durationMs: number;
}

/** Runs the phases of a run one by one, reporting each start and end as events and keeping their times. */
export class PhaseTimer {
  readonly phases: PhaseTime[] = [];
  private readonly started = performance.now();

  constructor(private readonly events: EventSink) {}

  /** Run `work` as the phase `phase`, described for a person by `description`. */
  async run<T>(phase: string, description: string, work: () => Promise<T>): Promise<T> {
    this.events({ type: "phase-start", phase, description });
    const started = performance.now();
    const result = await work();
    const durationMs = Math.round(performance.now() - started);
    this.phases.push({ phase, durationMs });
    this.events({ type: "phase-end", phase, durationMs });
    return result;
  }

  /** Milliseconds since the timer was made: the whole run's duration. */
  elapsedMs(): number {
    return Math.round(performance.now() - this.started);
  }
}
