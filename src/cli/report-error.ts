import { CommanderError } from "commander";
import { GroundworkError, InternalError } from "../errors/index.ts";
import { quote } from "../render/quote.ts";
import type { Output } from "./output.ts";

// What a failed file operation means to the user, by its errno code: the file or folder it names is missing,
// unreachable or full, which the user can fix; anything else thrown is a bug.
const FILE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "it is a folder, not a file",
  EEXIST: "it exists already",
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  EROFS: "the file system is read-only",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the name is too long",
};

function fileProblemOf(error: unknown): string | undefined {
  if (!(error instanceof Error) || !("code" in error) || !("path" in error)) return undefined;
  const { code, path } = error;
  if (typeof code !== "string" || typeof path !== "string") return undefined;
  const problem = FILE_PROBLEMS[code];
  return problem === undefined ? undefined : `${path}: ${problem}`;
}

const SUCCESS_CODES = new Set(["commander.help", "commander.helpDisplayed", "commander.version"]);

/** The command line that reproduces a run with a stack trace, to paste into a report. */
function debugCommand(argv: readonly string[]): string {
  const args = argv.includes("--debug") ? argv : ["--debug", ...argv];
  return ["groundwork", ...args.map(quote)].join(" ");
}

/**
 * Print what went wrong and return the exit code: a user's mistake (2) or a failed run (1) as one readable
 * message, a bug (1) as an internal error that says how to report it. Stack traces only with `--debug`.
 */
export function reportError(error: unknown, argv: readonly string[], output: Output): number {
  const debug = argv.includes("--debug");
  const stack = () => {
    if (debug) output.stderr((error instanceof Error ? error.stack : undefined) ?? String(error));
  };
  // Help and --version end in a CommanderError too; theirs is success whatever process.exitCode says.
  if (error instanceof CommanderError) return error.exitCode === 0 || SUCCESS_CODES.has(error.code) ? 0 : 2;
  if (error instanceof GroundworkError) {
    output.stderr(`groundwork: ${error.message}`);
    stack();
    return error.exitCode;
  }
  const fileProblem = fileProblemOf(error);
  if (fileProblem !== undefined) {
    output.stderr(`groundwork: ${fileProblem}`);
    stack();
    return 1;
  }
  const bug =
    error instanceof InternalError
      ? error
      : new InternalError(error instanceof Error ? error.message : String(error));
  output.stderr(
    `groundwork: ${bug.message}\nThis is a bug in groundwork, not a mistake in your input. To report it, run\n  ${debugCommand(argv)}\nand send its whole output (it includes where the bug is) to groundwork's maintainers.`,
  );
  stack();
  return 1;
}
