import { Command } from "commander";
import { registerBuild } from "./commands/build.ts";
import { registerDeploy } from "./commands/deploy.ts";
import { registerDisk } from "./commands/disk.ts";
import { registerEval } from "./commands/eval.ts";
import { registerInstaller } from "./commands/installer.ts";
import { registerPins } from "./commands/pins.ts";
import { registerSchema } from "./commands/schema.ts";
import { registerSwitch } from "./commands/switch.ts";
import { registerTest } from "./commands/test.ts";
import { registerUnlock } from "./commands/unlock.ts";
import { pairDiskKeyArguments } from "./disk-keys-flag.ts";
import { checkEnvironment } from "./environment.ts";
import { type Output, processOutput } from "./output.ts";
import { checkPlainValues } from "./plain-values.ts";
import { reportError } from "./report-error.ts";

// Each register* declares a command (its name, arguments, options and help) and imports the code that runs it
// only in its action, so that `groundwork --help` loads no configuration, plan or machine code.
function buildProgram(output: Output): Command {
  const program = new Command("groundwork")
    .description("Declare a machine in TypeScript; install it onto any Linux host over SSH")
    .option("--debug", "print stack traces")
    .exitOverride()
    .configureOutput({ writeOut: output.stdout, writeErr: output.stderr })
    .showHelpAfterError("(run with --help for usage)")
    .hook("preAction", (_program, command) => {
      checkPlainValues(command);
      checkEnvironment(process.env);
    });
  registerEval(program, output);
  registerSchema(program, output);
  registerDisk(program, output);
  registerBuild(program, output);
  registerInstaller(program, output);
  registerDeploy(program, output);
  registerTest(program, output);
  registerSwitch(program, output);
  registerUnlock(program, output);
  registerPins(program, output);
  return program;
}

/** Run the command line; returns the exit code (0 done, 1 a run failed or a bug, 2 bad input). */
export async function main(argv: readonly string[], output: Output = processOutput): Promise<number> {
  const program = buildProgram(output);
  try {
    await program.parseAsync(pairDiskKeyArguments(argv), { from: "user" });
    return 0;
  } catch (error) {
    return reportError(error, argv, output);
  }
}
