import assert from "node:assert/strict";
import { test } from "node:test";
import { CommanderError } from "commander";
import type { Output } from "../../src/cli/output.ts";
import { reportError } from "../../src/cli/report-error.ts";
import { InternalError, RunError, UsageError } from "../../src/errors/index.ts";

function capture(): Output & { text: () => string } {
  const lines: string[] = [];
  return {
    stdout: (line) => lines.push(line),
    stderr: (line) => lines.push(line),
    text: () => lines.join("\n"),
  };
}

const STACK = /\n\s+at /;

test("a user's mistake is one line and exit code 2; a failed run exit code 1; no stack without --debug", () => {
  const rows: [Error, number, string][] = [
    [new UsageError('--ssh-port "0": give a port'), 2, 'groundwork: --ssh-port "0": give a port'],
    [
      new RunError("the disk script failed: nothing was written to /dev/sda"),
      1,
      "groundwork: the disk script failed",
    ],
  ];
  for (const [error, code, message] of rows) {
    const output = capture();
    assert.equal(reportError(error, ["deploy"], output), code);
    assert.ok(output.text().startsWith(message), output.text());
    assert.doesNotMatch(output.text(), STACK);
    const debug = capture();
    assert.equal(reportError(error, ["deploy", "--debug"], debug), code);
    assert.match(debug.text(), STACK, "--debug shows the stack");
  }
});

test("a bug says it is one and gives the command to report it, its stack only with --debug", () => {
  for (const error of [
    new TypeError("cannot read properties of undefined"),
    new InternalError("x"),
    "thrown text",
  ]) {
    const output = capture();
    assert.equal(reportError(error, ["disk", "plan", "my config"], output), 1);
    assert.match(output.text(), /^groundwork: internal error: /);
    assert.match(
      output.text(),
      /This is a bug in groundwork, not a mistake in your input\. To report it, run\n {2}groundwork --debug disk plan 'my config'\nand send its whole output/,
    );
    assert.doesNotMatch(output.text(), STACK);
  }
  const debug = capture();
  assert.equal(reportError(new TypeError("boom"), ["--debug", "eval", "x"], debug), 1);
  assert.match(debug.text(), /run\n {2}groundwork --debug eval x\n/);
  assert.match(debug.text(), STACK);
});

test("a file that is missing or unwritable is named, not called a bug", () => {
  const error = Object.assign(new Error("EACCES: permission denied, open '/etc/x'"), {
    code: "EACCES",
    path: "/etc/x",
    syscall: "open",
  });
  const output = capture();
  assert.equal(reportError(error, ["build"], output), 1);
  assert.equal(output.text(), "groundwork: /etc/x: permission denied");
});

test("help ends in success even when an earlier failure set process.exitCode", () => {
  assert.equal(reportError(new CommanderError(1, "commander.help", "(outputHelp)"), [], capture()), 0);
  assert.equal(reportError(new CommanderError(1, "commander.unknownOption", "x"), [], capture()), 2);
});
