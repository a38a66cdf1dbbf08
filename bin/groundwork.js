#!/usr/bin/env node
// The groundwork command: the one place that decides the process's exit code (process.exitCode, so that
// pending output is written before node exits).
import { main } from "../dist/src/cli/main.js";
import { processOutput } from "../dist/src/cli/output.js";
import { reportError } from "../dist/src/cli/report-error.js";

const argv = process.argv.slice(2);

// A reader that stops early (`groundwork schema | head`) closes the pipe: that ends the run, quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// What escapes main (a callback's exception, a promise nobody awaited) is reported like any other error:
// a bug says so, and shows its stack only with --debug.
const crash = (error) => {
  process.exitCode = reportError(error, argv, processOutput);
  process.exit();
};
process.on("uncaughtException", crash);
process.on("unhandledRejection", crash);

process.exitCode = await main(argv);
