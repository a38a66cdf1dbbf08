import { type Command, Option } from "commander";
import { loadConfig } from "../../config/load.ts";
import { systemImageOf } from "../../execute/build-outputs.ts";
import { deploy } from "../../execute/deploy/deploy.ts";
import { SshRebooter } from "../../execute/deploy/reconnect.ts";
import { readLock } from "../../execute/pins.ts";
import { buildInstaller } from "../../image/installer/build-installer.ts";
import { DEPLOY_PHASES, parsePhases } from "../../plan/deploy-phases.ts";
import { planDeploy } from "../../plan/deploy-plan.ts";
import { parseDestination } from "../../transport/destination.ts";
import { SshTransport } from "../../transport/ssh.ts";
import { jsonReporter, textReporter } from "../../ui/reporter.ts";
import { confirm } from "../confirm.ts";
import { collectDiskDevice } from "../disk-devices.ts";
import type { Output } from "../output.ts";
import { parsePort, type SshFlags, sshOptionsOf, withSshFlags } from "../ssh-flags.ts";

interface DeployFlags extends SshFlags {
  readonly phases: string;
  readonly disk?: Record<string, string>;
  readonly yes?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
  readonly rebootTimeout: string;
  readonly postKexecSshPort?: string;
  readonly buildOn: "local" | "remote";
}

/** `groundwork deploy <config> <user@host>`: install the machine onto a target running a live or rescue system. */
export function registerDeploy(program: Command, output: Output): void {
  withSshFlags(
    program
      .command("deploy")
      .description("partition, format and install a machine over SSH, then reboot into it")
      .argument("<config>", "configuration file or folder (configuration.ts inside)")
      .argument("<destination>", "user@host of the target: any x86-64 Linux, or a live or rescue system"),
  )
    .option("--phases <LIST>", `phases to run, of ${DEPLOY_PHASES.join(",")}`, DEPLOY_PHASES.join(","))
    .option("--disk <NAME=DEVICE>", "use DEVICE for disko.devices.disk.NAME (repeatable)", collectDiskDevice)
    .option("--yes", "run without asking after the plan")
    .option("--json", "print events as JSON lines")
    .option("--verbose", "show the output of the scripts on the target")
    .addOption(
      new Option(
        "--build-on <WHERE>",
        "build the system here and upload it, or on the target with debootstrap",
      )
        .choices(["local", "remote"])
        .default("local"),
    )
    .option(
      "--reboot-timeout <SECONDS>",
      "how long to wait for the installer after kexec, and for the new system after the reboot",
      "600",
    )
    .option(
      "--post-kexec-ssh-port <PORT>",
      "the port the installer's sshd listens on, and groundwork connects to",
    )
    .action(async (configPath: string, destinationText: string, flags: DeployFlags) => {
      const phases = parsePhases(flags.phases);
      const postKexecSshPort = parsePort("--post-kexec-ssh-port", flags.postKexecSshPort);
      const destination = parseDestination(destinationText);
      const { options, port } = sshOptionsOf(flags);
      const target = { ...destination, port: port ?? destination.port };
      const { config } = await loadConfig(configPath, { diskDevices: flags.disk ?? {} });
      const plan = planDeploy(config, { rootMountpoint: "/mnt", lock: await readLock(configPath) });
      const events =
        flags.json === true
          ? jsonReporter(output.stdout)
          : textReporter(output.stderr, { verbose: flags.verbose === true });
      // After the reboot, log in as the same user if the new system declares it, else as root.
      const newUser = target.user in config.users.users ? target.user : "root";
      const transport = await SshTransport.create(target, options);
      try {
        const result = await deploy({
          plan,
          phases,
          transport,
          systemImage: () => systemImageOf(plan),
          buildOn: flags.buildOn,
          tools: async () => (await buildInstaller()).tools,
          kexec: {
            installer: () => buildInstaller(),
            destination: target,
            ssh: options,
            timeoutMs: Number(flags.rebootTimeout) * 1000,
            ...(postKexecSshPort === undefined ? {} : { postKexecSshPort }),
          },
          rebooter: new SshRebooter({
            destination: { ...target, user: newUser },
            ssh: { ...options, ...(newUser === "root" ? { sudo: false } : {}) },
            timeoutMs: Number(flags.rebootTimeout) * 1000,
          }),
          confirm: async () => flags.yes === true || (await confirm(`\nInstall onto ${transport.name}?`)),
          events,
          source: configPath,
        });
        await result.transport?.close();
      } finally {
        await transport.close();
      }
    });
}
