import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { UsageError } from "../errors/index.ts";
import { renderWithExtraPath } from "../render/extra-path.ts";
import { renderSudoCommand } from "../render/sudo-command.ts";
import { PASSWORD_VARIABLE, writeAskpass } from "./askpass.ts";
import { type Destination, formatDestination } from "./destination.ts";
import { atExit } from "./exit-cleanup.ts";
import { runCommand } from "./run-command.ts";
import { diagnoseSsh, SshError } from "./ssh-error.ts";
import type { CommandResult, RunOptions, ScriptOptions, Transport } from "./transport.ts";

export interface SshOptions {
  /** `-i KEY`. */
  readonly identityFile?: string | undefined;
  /** A private key (OpenSSH format) to log in with instead of a file: kept in the transport's own folder. */
  readonly identityKey?: string | undefined;
  /** Extra `-o` options, e.g. `ProxyJump=bastion`. */
  readonly sshOptions?: readonly string[];
  /** Password for the login and for sudo (from SSH_PASS with --env-password). */
  readonly password?: string | undefined;
  /** groundwork's own known-hosts file. */
  readonly knownHostsFile?: string;
  /** The name the host key is looked up under in known_hosts, instead of the host (ssh's HostKeyAlias). */
  readonly hostKeyAlias?: string;
  /** Accept only a host key already recorded, never a new one (`StrictHostKeyChecking=yes`). */
  readonly knownHostOnly?: boolean;
  /** Run commands through sudo; by default when the user is not root. */
  readonly sudo?: boolean;
  readonly connectTimeoutSeconds?: number;
}

/**
 * Refuse a password with a line break, a carriage return or a NUL: the sudo wrapper reads the password as the
 * first line of the remote command's input, so what followed it would run on the target as a root command.
 * `source` names where the password came from (`SSH_PASS`); the message never shows the password.
 */
export function checkPassword(password: string, source = "the SSH password"): void {
  if (/[\r\n\0]/.test(password))
    throw new UsageError(
      `${source} holds a line break, a carriage return or a NUL byte: sudo reads the password as one line, so the rest would run as a root command on the target. Set ${source} to the password alone, on one line.`,
    );
}

/** Default known-hosts file: groundwork's own, so that reinstalls never touch the user's ~/.ssh/known_hosts. */
export function defaultKnownHostsFile(): string {
  const state = process.env.XDG_STATE_HOME ?? join(homedir(), ".local", "state");
  return join(state, "groundwork", "known_hosts");
}

/**
 * The system OpenSSH client with one ControlMaster connection per target, so ~/.ssh/config, agents and
 * ProxyJump work as users expect and each command costs one round trip.
 */
export class SshTransport implements Transport {
  readonly name: string;
  readonly knownHostsFile: string;
  private readonly sudo: boolean;
  /** Cancels the clean-up at exit, once `close` did it. */
  private cancelCleanup: () => void = () => {};

  private constructor(
    readonly destination: Destination,
    private readonly options: SshOptions,
    private readonly dir: string,
    private readonly askpass: string | undefined,
  ) {
    this.name = formatDestination(destination);
    this.knownHostsFile = options.knownHostsFile ?? defaultKnownHostsFile();
    this.sudo = options.sudo ?? destination.user !== "root";
  }

  /** Prepare a transport; nothing connects until the first command. */
  static async create(destination: Destination, options: SshOptions = {}): Promise<SshTransport> {
    if (options.password !== undefined) checkPassword(options.password);
    // mkdtemp makes the folder 0700: it holds the askpass helper, a private key and the control socket.
    const dir = await mkdtemp(join(tmpdir(), "groundwork-ssh-"));
    const askpass = options.password === undefined ? undefined : await writeAskpass(dir);
    let identityFile = options.identityFile;
    if (options.identityKey !== undefined) {
      identityFile = join(dir, "identity");
      await writeFile(identityFile, options.identityKey, { mode: 0o600 });
    }
    const transport = new SshTransport(destination, { ...options, identityFile }, dir, askpass);
    // Ended however the process ends: the control master stopped, the key and the socket removed.
    transport.cancelCleanup = atExit(() => {
      spawnSync("ssh", ["-o", `ControlPath=${join(dir, "control")}`, "-O", "exit", destination.host], {
        stdio: "ignore",
        timeout: 5000,
      });
      rmSync(dir, { recursive: true, force: true });
    });
    await mkdir(dirname(transport.knownHostsFile), { recursive: true, mode: 0o700 });
    return transport;
  }

  /** The ssh arguments before the remote command. */
  sshArguments(): string[] {
    const { destination, options } = this;
    const args = [
      "-o",
      `ControlPath=${join(this.dir, "control")}`,
      "-o",
      "ControlMaster=auto",
      "-o",
      "ControlPersist=120",
      "-o",
      `UserKnownHostsFile=${this.knownHostsFile}`,
      "-o",
      `StrictHostKeyChecking=${options.knownHostOnly === true ? "yes" : "accept-new"}`,
      ...(options.hostKeyAlias === undefined ? [] : ["-o", `HostKeyAlias=${options.hostKeyAlias}`]),
      "-o",
      `ConnectTimeout=${options.connectTimeoutSeconds ?? 15}`,
      "-o",
      "ServerAliveInterval=5",
      "-o",
      "ServerAliveCountMax=6",
      "-o",
      `BatchMode=${this.askpass === undefined ? "yes" : "no"}`,
      ...(this.askpass === undefined
        ? []
        : [
            "-o",
            "PreferredAuthentications=publickey,keyboard-interactive,password",
            "-o",
            "NumberOfPasswordPrompts=1",
          ]),
      ...(options.identityFile === undefined ? [] : ["-i", options.identityFile, "-o", "IdentitiesOnly=yes"]),
      ...(destination.port === undefined ? [] : ["-p", String(destination.port)]),
      ...(options.sshOptions ?? []).flatMap((option) => ["-o", option]),
      "-l",
      destination.user,
    ];
    return args;
  }

  /** Wrap a remote command so that it runs as root through sudo, reading the password first when there is one. */
  private remoteCommand(command: string): { command: string; prefix: string } {
    if (!this.sudo) return { command, prefix: "" };
    const withPassword = this.options.password !== undefined;
    return {
      command: renderSudoCommand(command, { withPassword }),
      prefix: withPassword ? `${this.options.password}\n` : "",
    };
  }

  /** Run one remote command (a shell command line) with optional input; never throws for its exit code. */
  run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    const remote = this.remoteCommand(command);
    const args = [...this.sshArguments(), "--", this.destination.host, remote.command];
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (this.askpass !== undefined && this.options.password !== undefined) {
      env.SSH_ASKPASS = this.askpass;
      env.SSH_ASKPASS_REQUIRE = "force";
      env[PASSWORD_VARIABLE] = this.options.password;
    }
    return runCommand("ssh", args, {
      ...options,
      env,
      ...(remote.prefix === "" ? {} : { prefix: remote.prefix }),
      label: `ssh ${this.name} ${command}`,
    }).catch((error: Error) => {
      throw new SshError(
        "GW_SSH_MISSING",
        `cannot run ssh: ${error.message}. Install the OpenSSH client.`,
        undefined,
      );
    });
  }

  /** Run a command and throw an SshError when ssh itself failed (exit 255). */
  async runChecked(command: string, options: RunOptions = {}): Promise<CommandResult> {
    const result = await this.run(command, options);
    const sshError = diagnoseSsh(this.name, result, this.knownHostsFile);
    if (sshError !== undefined) throw sshError;
    return result;
  }

  runScript(script: string, options: ScriptOptions = {}): Promise<CommandResult> {
    return this.runChecked("sh -s", { ...options, input: renderWithExtraPath(script, options.extraPath) });
  }

  /** End the master connection and remove the private directory. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      const child = spawn(
        "ssh",
        ["-o", `ControlPath=${join(this.dir, "control")}`, "-O", "exit", this.destination.host],
        {
          stdio: "ignore",
        },
      );
      child.on("error", () => resolve());
      child.on("close", () => resolve());
    });
    await rm(this.dir, { recursive: true, force: true });
    this.cancelCleanup();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
