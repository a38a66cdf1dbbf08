import { type Command, Option } from "commander";
import { DEPLOY_PHASES, parsePhases } from "../../plan/deploy-phases.ts";
import { type Destination, parseDestination } from "../../transport/destination.ts";
import type { DeployFlags } from "../actions/deploy.ts";
import { diskKeysOption } from "../disk-keys-flag.ts";
import {
  diskOption,
  jsonOption,
  parsedOption,
  portOption,
  secondsOption,
  verboseOption,
  withConfigArgument,
  yesOption,
} from "../options.ts";
import type { Output } from "../output.ts";
import { withSshFlags } from "../ssh-flags.ts";

/** `groundwork deploy <config> <user@host>`: install the machine onto a target running a live or rescue system. */
export function registerDeploy(program: Command, output: Output): void {
  withSshFlags(
    withConfigArgument(
      program
        .command("deploy")
        .description("partition, format and install a machine over SSH, then reboot into it"),
    ).argument(
      "<destination>",
      "user@host of the target: any x86-64 Linux, or a live or rescue system",
      (text: string) => parseDestination(text, "<destination>"),
    ),
  )
    .addOption(
      parsedOption("--phases <LIST>", `phases to run, of ${DEPLOY_PHASES.join(",")}`, (_flag, text) =>
        parsePhases(text),
      ).default([...DEPLOY_PHASES], DEPLOY_PHASES.join(",")),
    )
    .addOption(diskOption())
    .addOption(diskKeysOption())
    .addOption(yesOption("run without asking after the plan"))
    .addOption(jsonOption("print events as JSON lines"))
    .addOption(verboseOption("show the output of the scripts on the target"))
    .addOption(
      new Option(
        "--build-on <WHERE>",
        "build the system here and upload it, or on the target with debootstrap",
      )
        .choices(["local", "remote"])
        .default("local"),
    )
    .addOption(
      secondsOption(
        "--reboot-timeout <SECONDS>",
        "how long to wait for the installer after kexec, and for the new system after the reboot",
        { min: 10, max: 86_400 },
        600,
      ),
    )
    .addOption(
      portOption(
        "--post-kexec-ssh-port <PORT>",
        "the port the installer's sshd listens on, and groundwork connects to",
      ),
    )
    .action(async (configPath: string, destination: Destination, flags: DeployFlags) => {
      const { runDeploy } = await import("../actions/deploy.ts");
      await runDeploy(configPath, destination, flags, output);
    });
}
