import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunError } from "../../errors/index.ts";
import type { Facts } from "../../facts/facts.ts";
import { splitSections } from "../../facts/sections.ts";
import type { InstallerImage } from "../../image/installer/build-installer.ts";
import {
  INSTALLER_APPEND,
  type InstallerRunConfig,
  writeRunInitrd,
} from "../../image/installer/run-config.ts";
import { recordNetwork } from "../../plan/kexec.ts";
import { INSTALLER_MARKER, KEXEC_DIR, TOOLS_PATH } from "../../plan/target-paths.ts";
import {
  renderReadFileCommand,
  renderTmpfsCommand,
  renderUploadCommand,
} from "../../render/file-commands.ts";
import {
  renderCarriedScript,
  renderKexecExecCommand,
  renderKexecLoadCommand,
} from "../../render/kexec-script.ts";
import type { Destination } from "../../transport/destination.ts";
import type { SshOptions } from "../../transport/ssh.ts";
import type { Transport } from "../../transport/transport.ts";
import { waitForSsh } from "../wait-for-ssh.ts";
import { generateHostKey } from "./host-key.ts";
import { bringTools } from "./tools.ts";

/** Where and how to reach the installer after kexec: the same host, as root, with this run's key. */
export interface KexecOptions {
  readonly installer: () => Promise<InstallerImage>;
  /** The target as the deployer reaches it (host, and the port on this side). */
  readonly destination: Destination;
  /** The deployer's SSH options (ProxyJump, known-hosts file…); login and sudo settings are replaced. */
  readonly ssh: SshOptions;
  /** `--post-kexec-ssh-port`: the installer's sshd listens there and the deployer connects there. */
  readonly postKexecSshPort?: number;
  readonly timeoutMs: number;
}

/** What the running system hands over to the installer: its host keys, who may log in, and how. */
interface Carried {
  readonly hostKeys: NonNullable<InstallerRunConfig["hostKeys"]>;
  readonly authorizedKeys: readonly string[];
  readonly users: NonNullable<InstallerRunConfig["users"]>;
}

/**
 * Read the host keys, root's and the login user's authorized keys, and the login user's password hash (so
 * that the same login with the same password works on the installer, for a run resumed later). Private keys
 * pass through memory only: never an event, a log or a local file.
 */
async function readCarried(transport: Transport, user: string): Promise<Carried> {
  const result = await transport.runChecked(renderCarriedScript(user));
  const sections = splitSections(result.stdout);
  if (result.exitCode !== 0 || !sections.has("end"))
    throw new RunError(
      `could not read the SSH host keys of ${transport.name}: ${result.stderr.trim()}. Nothing was changed.`,
    );
  const hostKeys: { type: string; privateKey: string; publicKey: string }[] = [];
  for (const [name, text] of sections) {
    const type = /^private:ssh_host_([a-z0-9]+)_key$/.exec(name)?.[1];
    const publicKey = sections.get(`public:ssh_host_${type}_key`);
    if (type !== undefined && publicKey !== undefined)
      hostKeys.push({ type, privateKey: `${text}\n`, publicKey });
  }
  const authorizedKeys = (sections.get("authorized_keys") ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const hash = sections.get("password") ?? "";
  const users = user !== "root" && /^\$[^\s:]+$/.test(hash) ? [{ name: user, passwordHash: hash }] : [];
  return { hostKeys, authorizedKeys: [...new Set(authorizedKeys)], users };
}

/** Upload a local file into KEXEC_DIR and check that it arrived whole. */
async function upload(transport: Transport, file: string, name: string): Promise<void> {
  const result = await transport.runChecked(renderUploadCommand(`${KEXEC_DIR}/${name}`, "bytes"), {
    input: createReadStream(file),
  });
  const { size } = await stat(file);
  if (result.exitCode !== 0 || Number(result.stdout.trim()) !== size)
    throw new RunError(
      `uploading the installer's ${name} to ${transport.name} failed: ${result.stderr.trim() || "it arrived incomplete"}. Nothing was changed.`,
    );
}

/** The installer's sshd port: the one asked for, else the one the deployer reached the old sshd on, else 22. */
function installerPort(facts: Facts, options: KexecOptions): number {
  if (options.postKexecSshPort !== undefined) return options.postKexecSshPort;
  const reached = options.destination.port ?? 22;
  return facts.sshdPorts.includes(reached) ? reached : (facts.sshdPorts[0] ?? 22);
}

/**
 * Replace the running system by the installer: carry its network, host keys and logins over, upload the
 * installer, load it with kexec and jump into it; then log into the installer as root with a key made for
 * this run, and check that it is the installer. Returns the transport to the installer.
 */
export async function kexecIntoInstaller(
  transport: Transport,
  facts: Facts,
  options: KexecOptions,
  note: (text: string) => void,
  step: (text: string) => void = () => {},
): Promise<Transport> {
  const installer = await options.installer();
  const dir = await mkdtemp(join(tmpdir(), "groundwork-kexec-"));
  try {
    step("read the host keys and logins to carry over");
    const carried = await readCarried(transport, options.destination.user);
    const runKey = await generateHostKey("groundwork-run");
    const network = recordNetwork(facts);
    const sshPort = installerPort(facts, options);
    const initrd = join(dir, "initrd");
    await writeRunInitrd(
      installer.initrd,
      {
        authorizedKeys: [runKey.publicKey, ...carried.authorizedKeys],
        hostKeys: carried.hostKeys,
        network,
        sshPort,
        users: carried.users,
      },
      initrd,
    );
    note(
      `carrying over ${network.interfaces.flatMap((entry) => entry.addresses).join(", ") || "no static address (DHCP)"}, ${carried.hostKeys.length} host keys, sshd on port ${sshPort}`,
    );

    const prepare = await transport.runChecked(renderTmpfsCommand(KEXEC_DIR, "groundwork-kexec", "0700"));
    if (prepare.exitCode !== 0)
      throw new RunError(
        `cannot make room for the installer on ${transport.name}: ${prepare.stderr.trim()}. Nothing was changed.`,
      );
    const bytes = (await stat(installer.kernel)).size + (await stat(initrd)).size;
    step(`upload the installer (${(bytes / 2 ** 20).toFixed(0)} MiB)`);
    await bringTools(transport, installer.tools);
    await upload(transport, installer.kernel, "vmlinuz");
    await upload(transport, initrd, "initrd");
    step("load the installer into the kernel");
    const files = { dir: KEXEC_DIR, toolsPath: TOOLS_PATH };
    const load = await transport.runChecked(renderKexecLoadCommand(files, INSTALLER_APPEND));
    if (load.exitCode !== 0)
      throw new RunError(
        `kexec could not load the installer on ${transport.name}: ${load.stderr.trim()}. Nothing was changed: boot a rescue system and run with --phases disk,install,reboot`,
        { stderr: load.stderr, exitCode: load.exitCode },
      );
    step("jump into the installer");
    await transport.run(renderKexecExecCommand(TOOLS_PATH));
    await transport.close();
    // The old system may still answer for a moment, with the same host key: it refuses the run's key.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    step("wait for the installer's SSH");
    const installerTransport = await waitForSsh(
      { ...options.destination, user: "root", port: options.postKexecSshPort ?? options.destination.port },
      {
        ...options.ssh,
        identityFile: undefined,
        identityKey: runKey.privateKey,
        password: undefined,
        sudo: false,
      },
      options.timeoutMs,
      { untilLoggedIn: true },
    ).catch((error: unknown) => {
      if (!(error instanceof RunError)) throw error;
      throw new RunError(
        `${error.message}\nThe machine did not come back as groundwork's installer after kexec. If it restarted into its old system (its disks are untouched), run the same command again; otherwise look at its console.`,
      );
    });
    const marker = await installerTransport.runChecked(renderReadFileCommand(INSTALLER_MARKER));
    if (marker.stdout.trim() !== installer.manifest.hash) {
      await installerTransport.close();
      throw new RunError(
        `${options.destination.host} answered after kexec, but not as groundwork's installer ${installer.manifest.hash}`,
      );
    }
    return installerTransport;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
