import { systemImageOf } from "../../execute/build-outputs.ts";
import { deploy } from "../../execute/deploy/deploy.ts";
import { SshRebooter } from "../../execute/deploy/reconnect.ts";
import { unlock } from "../../execute/unlock.ts";
import { buildInstaller } from "../../image/installer/build-installer.ts";
import type { DeployPhase } from "../../plan/deploy-phases.ts";
import type { DiskKey } from "../../plan/disk-keys.ts";
import type { Destination } from "../../transport/destination.ts";
import { initrdHostKeyAlias, replaceHostKey } from "../../transport/known-hosts.ts";
import { SshTransport } from "../../transport/ssh.ts";
import { confirm } from "../confirm.ts";
import { loadDeployPlan } from "../load-plan.ts";
import type { SharedFlags } from "../options.ts";
import type { Output } from "../output.ts";
import { reporterOf } from "../reporter.ts";
import type { SshFlags } from "../ssh-flags.ts";
import { sshOptionsOf } from "../ssh-options.ts";

export interface DeployFlags extends SshFlags, SharedFlags {
  readonly phases: DeployPhase[];
  /** Seconds. */
  readonly rebootTimeout: number;
  readonly postKexecSshPort?: number;
  readonly buildOn: "local" | "remote";
  readonly diskEncryptionKeys?: DiskKey[];
}

/** Install the configuration onto the target at `destination`, then reboot into it. */
export async function runDeploy(
  configPath: string,
  destination: Destination,
  flags: DeployFlags,
  output: Output,
): Promise<void> {
  const { phases, postKexecSshPort } = flags;
  const { options, port } = sshOptionsOf(flags);
  const target = { ...destination, port: port ?? destination.port };
  const { config, plan } = await loadDeployPlan(configPath, { diskDevices: flags.disk ?? {} });
  const events = reporterOf(flags, output);
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
        timeoutMs: flags.rebootTimeout * 1000,
        ...(postKexecSshPort === undefined ? {} : { postKexecSshPort }),
      },
      rebooter: new SshRebooter({
        destination: { ...target, user: newUser },
        ssh: { ...options, ...(newUser === "root" ? { sudo: false } : {}) },
        timeoutMs: flags.rebootTimeout * 1000,
      }),
      confirm: async () => flags.yes === true || (await confirm(`\nInstall onto ${transport.name}?`)),
      events,
      source: configPath,
      diskEncryptionKeys: flags.diskEncryptionKeys ?? [],
      unlockAtBoot: (passphrase, signal) =>
        unlock({
          destination: { user: "root", host: target.host, port: plan.system.initrdSsh?.port ?? 22 },
          ssh: { ...options, knownHostsFile: transport.knownHostsFile },
          passphrase,
          timeoutMs: flags.rebootTimeout * 1000,
          otherKeysMeanNotYet: true,
          signal,
        }),
      // `groundwork unlock` later trusts exactly this key for the initramfs at this address and port.
      recordInitrdHostKey: (publicKey) =>
        replaceHostKey(
          transport.knownHostsFile,
          initrdHostKeyAlias(target.host, plan.system.initrdSsh?.port ?? 22),
          undefined,
          publicKey,
        ),
    });
    await result.transport?.close();
  } finally {
    await transport.close();
  }
}
