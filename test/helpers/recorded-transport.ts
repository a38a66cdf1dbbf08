import type { Readable } from "node:stream";
import type { CommandResult, RunOptions, ScriptOptions, Transport } from "../../src/transport/transport.ts";

/** What a recorded machine answers to the first command or script that `match` finds. */
export interface Reply {
  readonly match: RegExp;
  readonly exitCode?: number;
  readonly stdout?: string;
  readonly stderr?: string;
  /** Answer only this many times (then the next matching reply answers). */
  readonly times?: number;
  /** Instead of an answer: the connection fails (an SshError, as a cut link gives). */
  readonly fails?: Error;
}

/** One command or script the executor ran, as the machine received it. */
export interface Call {
  readonly kind: "command" | "script";
  readonly text: string;
  /** The PATH folder put first (tools groundwork brought). */
  readonly extraPath: string | undefined;
}

async function drain(input: string | Readable | undefined): Promise<void> {
  if (input === undefined || typeof input === "string") return;
  for await (const _chunk of input) {
    // An upload's stream is read to its end, as ssh would, so that no file stays open.
  }
}

/**
 * A unit-test transport: it answers commands and scripts from a list of recorded replies and keeps every call,
 * so that the sequencing of deploy and switch is tested in milliseconds. A command no reply matches fails the
 * test: the executor ran something the test did not expect.
 */
export class RecordedTransport implements Transport {
  readonly calls: Call[] = [];
  closed = false;
  private readonly used = new Map<Reply, number>();

  constructor(
    readonly name: string,
    private readonly replies: readonly Reply[],
  ) {}

  private answer(kind: Call["kind"], text: string, options: ScriptOptions): CommandResult {
    if (this.closed) throw new Error(`${this.name}: ${kind} after close: ${text.slice(0, 80)}`);
    this.calls.push({ kind, text, extraPath: options.extraPath });
    const reply = this.replies.find(
      (candidate) =>
        candidate.match.test(text) && (this.used.get(candidate) ?? 0) < (candidate.times ?? Infinity),
    );
    if (reply === undefined)
      throw new Error(`${this.name}: no recorded reply for ${kind}:\n${text.slice(0, 400)}`);
    this.used.set(reply, (this.used.get(reply) ?? 0) + 1);
    if (reply.fails !== undefined) throw reply.fails;
    return {
      command: text,
      exitCode: reply.exitCode ?? 0,
      stdout: reply.stdout ?? "",
      stderr: reply.stderr ?? "",
      durationMs: 0,
    };
  }

  async run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    await drain(options.input);
    return this.answer("command", command, options);
  }

  runChecked(command: string, options: RunOptions = {}): Promise<CommandResult> {
    return this.run(command, options);
  }

  async runScript(script: string, options: ScriptOptions = {}): Promise<CommandResult> {
    return this.answer("script", script, options);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** The calls whose text matches, for assertions. */
  ran(pattern: RegExp): Call[] {
    return this.calls.filter((call) => pattern.test(call.text));
  }
}
