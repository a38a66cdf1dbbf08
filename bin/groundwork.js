#!/usr/bin/env node
// The groundwork command: the only place that calls process.exit.
import { main } from "../dist/src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
