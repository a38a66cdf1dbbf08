#!/usr/bin/env node
// The groundwork command: the one place that decides the process's exit code (process.exitCode, so that
// pending output is written before node exits).
import { main } from "../dist/src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
