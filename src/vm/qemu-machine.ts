import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { appendFile, copyFile, mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InternalError, RunError, UsageError } from "../errors/index.ts";
import { forgetDir, forgetProcess, killAtExit, removeAtExit } from "../transport/exit-cleanup.ts";
import { detectAccelerator } from "./accel.ts";
import { diskAttachments } from "./disk-attachment.ts";
import { createImage } from "./disk-image.ts";
import type { Machine, MachineChanges } from "./machine.ts";
import { OVMF_VARS, type QemuOptions, qemuArguments } from "./qemu-arguments.ts";
import { qmpCommand } from "./qmp.ts";
import { freePort, readSshBanner } from "./ssh-banner.ts";

/**
 * A throwaway x86-64 QEMU machine: blank disks under their declared device names, SeaBIOS or OVMF, the live
 * installer's kernel or its own disk, user networking with SSH forwarded from 127.0.0.1. `stop()` kills it and
 * removes its folder; nothing outlives the process that started it.
 */
export class QemuMachine implements Machine {
  readonly dir: string;
  private options: QemuOptions;
  private readonly ownsDir: boolean;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private port: number | undefined;
  private qmpSocket = "";
  private consoleSocket = "";
  private disks: { device: string; image: string; format: string; boot: boolean }[] | undefined;
  private stopped = false;

  private constructor(options: QemuOptions, dir: string, ownsDir: boolean) {
    this.options = options;
    this.dir = dir;
    this.ownsDir = ownsDir;
    if (ownsDir) removeAtExit(dir);
  }

  /** Make a machine, not started yet: in `options.dir`, or in a new temporary folder that `stop()` removes. */
  static async create(options: QemuOptions): Promise<QemuMachine> {
    if (options.dir !== undefined) return new QemuMachine(options, options.dir, false);
    return new QemuMachine(options, await mkdtemp(join(tmpdir(), "groundwork-vm-")), true);
  }

  /** Make a machine and start it; a machine that fails to start is stopped. */
  static async start(options: QemuOptions): Promise<QemuMachine> {
    const machine = await QemuMachine.create(options);
    try {
      await machine.start();
    } catch (error) {
      await machine.stop();
      throw error;
    }
    return machine;
  }

  get sshPort(): number {
    if (this.port === undefined) throw new InternalError("the machine has no SSH port before it starts");
    return this.port;
  }

  get consoleLog(): string {
    return join(this.dir, "console.log");
  }

  get isRunning(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  private async prepareDisks(): Promise<NonNullable<QemuMachine["disks"]>> {
    if (this.disks !== undefined) return this.disks;
    const declared = this.options.disks ?? [];
    diskAttachments(
      declared.map((disk) => disk.device),
      this.options.sdBus === undefined ? {} : { sdBus: this.options.sdBus },
    );
    const bootDevice = (declared.find((disk) => disk.boot === true) ?? declared[0])?.device;
    const disks = [];
    for (const [index, disk] of declared.entries()) {
      const format = disk.format ?? "raw";
      let image = disk.image;
      if (image === undefined) {
        if (disk.size === undefined) throw new UsageError(`disk ${disk.device} needs a size or an image`);
        image = join(this.dir, `disk${index}.${format === "qcow2" ? "qcow2" : "img"}`);
        await createImage(image, format, disk.size);
      }
      disks.push({ device: disk.device, image, format, boot: disk.device === bootDevice });
    }
    this.disks = disks;
    return disks;
  }

  async start(changes: MachineChanges = {}): Promise<void> {
    if (this.stopped) throw new InternalError("a stopped machine cannot start again");
    if (this.isRunning) throw new InternalError("the machine is already running");
    this.options = { ...this.options, ...changes };
    await mkdir(this.dir, { recursive: true });
    const disks = await this.prepareDisks();
    const accel = this.options.accel ?? (await detectAccelerator());
    const firmware = this.options.firmware ?? "bios";
    const varsFile = join(this.dir, "OVMF_VARS.fd");
    if (firmware === "uefi" && !(await exists(varsFile))) await copyFile(OVMF_VARS, varsFile);
    // One socket per start: machines may share a folder.
    const qmpSocket = join(this.dir, `qmp-${process.pid}-${Date.now()}.sock`);
    this.qmpSocket = qmpSocket;
    const consoleSocket = join(this.dir, `console-${process.pid}-${Date.now()}.sock`);
    this.consoleSocket = consoleSocket;
    const boot = this.options.boot === "disk" ? "its disk" : this.options.boot.kernel;
    await appendFile(
      this.consoleLog,
      `\n[groundwork: starting with ${firmware}, ${accel}, booting ${boot}]\n`,
    );
    for (let attempt = 1; ; attempt++) {
      this.port = this.options.sshPort ?? this.port ?? (await freePort());
      const args = qemuArguments(
        { ...this.options, accel, firmware },
        { sshPort: this.port, consoleLog: this.consoleLog, consoleSocket, qmpSocket, varsFile },
        disks,
      );
      const failure = await this.spawn(args);
      if (failure === undefined) return;
      // Another process took the free port between the check and QEMU's bind: take another one.
      if (/hostfwd|host forwarding/i.test(failure) && this.options.sshPort === undefined && attempt < 3) {
        this.port = undefined;
        continue;
      }
      throw new RunError(`QEMU did not start: ${failure}`, { stderr: failure });
    }
  }

  /** Start QEMU; resolves with its complaint when it stops at once (a bad command line, a busy port). */
  private async spawn(args: readonly string[]): Promise<string | undefined> {
    const child = spawn("qemu-system-x86_64", args, { stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    killAtExit(child);
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    this.exited = new Promise((resolve) =>
      child.on("close", () => {
        forgetProcess(child);
        resolve();
      }),
    );
    const spawnError = await new Promise<Error | undefined>((resolve) => {
      child.once("error", resolve);
      child.once("spawn", () => resolve(undefined));
    });
    if (spawnError !== undefined) {
      forgetProcess(child);
      throw new RunError(
        `cannot start QEMU: ${spawnError.message}. Run scripts/setup to install qemu-system-x86.`,
      );
    }
    const early = await Promise.race([
      this.exited.then(() => "exited" as const),
      new Promise<"running">((resolve) => setTimeout(() => resolve("running"), 500)),
    ]);
    return early === "exited" ? stderr.trim() || `exit ${child.exitCode}` : undefined;
  }

  async waitForSsh(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.isRunning)
        throw new RunError(`the machine stopped before its SSH server answered.\n${this.consoleTail()}`);
      const banner = await readSshBanner(this.sshPort, Math.min(5000, Math.max(500, deadline - Date.now())));
      if (banner?.startsWith("SSH-2.0") === true) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new RunError(
      `the machine's SSH server did not answer on 127.0.0.1:${this.sshPort} within ${Math.round(timeoutMs / 1000)} s. Its console ends with:\n${this.consoleTail()}`,
    );
  }

  async waitForExit(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RunError(`the machine did not power off within ${Math.round(timeoutMs / 1000)} s`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async reboot(changes: MachineChanges = {}): Promise<void> {
    await this.kill();
    await this.start(changes);
  }

  async powerOff(timeoutMs = 30_000): Promise<void> {
    if (!this.isRunning) return;
    // A guest without ACPI handling (the installer) ignores the request: then QEMU quits.
    await qmpCommand(this.qmpSocket, "system_powerdown").catch(() => undefined);
    const off = await this.waitForExit(timeoutMs).then(
      () => true,
      () => false,
    );
    if (!off) await this.kill();
  }

  async powerCut(): Promise<void> {
    if (!this.isRunning) return;
    // QEMU ends at once; what the guest had not yet written to its disks is lost.
    await qmpCommand(this.qmpSocket, "quit").catch(() => undefined);
    const off = await this.waitForExit(10_000).then(
      () => true,
      () => false,
    );
    if (!off) await this.kill();
  }

  async setLink(up: boolean): Promise<void> {
    // net0 is the user-mode network's id (qemu-arguments.ts); its NIC follows the link state.
    await qmpCommand(this.qmpSocket, "set_link", { arguments: { name: "net0", up } });
  }

  /** End the QEMU process: ask, then SIGKILL. */
  private async kill(): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.isRunning) return;
    child.kill("SIGTERM");
    const ended = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000)),
    ]);
    if (!ended) child.kill("SIGKILL");
    await this.exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    this.stopped = true;
    if (this.ownsDir) {
      await rm(this.dir, { recursive: true, force: true });
      forgetDir(this.dir);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  consoleTail(lines = 50): string {
    try {
      // Small, and read synchronously so that error paths can use it.
      return readFileSync(this.consoleLog, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no console output)";
    }
  }

  /** Type `text` on the serial console, as a person at it would (a newline ends a line). */
  typeOnConsole(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect(this.consoleSocket);
      socket.once("error", (error) =>
        reject(new RunError(`cannot type on the machine's console: ${error.message}`)),
      );
      socket.once("connect", () => socket.end(text, () => resolve()));
    });
  }

  /**
   * Until the machine stops: each time the console prints text matching `prompt`, type what `answer` gives for
   * the match (nothing when it gives undefined). Output before the call is not answered.
   */
  answerPrompts(prompt: RegExp, answer: (match: RegExpExecArray) => string | undefined): void {
    const pattern = new RegExp(prompt.source, prompt.flags.includes("g") ? prompt.flags : `${prompt.flags}g`);
    const watch = async () => {
      // Where the next search starts: past the last prompt answered.
      let from = (await this.console()).length;
      while (this.isRunning) {
        const text = await this.console();
        pattern.lastIndex = from;
        for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
          from = pattern.lastIndex;
          const reply = answer(match);
          if (reply !== undefined) await this.typeOnConsole(`${reply}\n`).catch(() => undefined);
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    };
    void watch();
  }

  /** The whole console log so far, every boot of this machine. */
  console(): Promise<string> {
    return readFile(this.consoleLog, "utf8").catch(() => "");
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
