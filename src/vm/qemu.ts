import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { appendFile, copyFile, mkdir, mkdtemp, open, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InternalError, RunError, UsageError } from "../errors/index.ts";
import { type Accelerator, cpuModel, detectAccelerator, MACHINE_TYPE } from "./accel.ts";
import { diskAttachments } from "./disk-attachment.ts";
import type { BootSource, Firmware, Machine, MachineChanges, MachineDisk } from "./machine.ts";
import { qmpCommand } from "./qmp.ts";
import { freePort, readSshBanner } from "./ssh-banner.ts";

export type { MachineDisk } from "./machine.ts";
export { freePort } from "./ssh-banner.ts";

export const OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd";
export const OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd";

export interface QemuOptions {
  readonly boot: BootSource;
  readonly memoryMiB?: number;
  readonly cpus?: number;
  readonly firmware?: Firmware;
  readonly disks?: readonly MachineDisk[];
  /** /dev/sdX as virtio-scsi (default) or SATA disks. */
  readonly sdBus?: "scsi" | "sata";
  /** The machine's folder; without it a temporary one, removed by `stop()`. */
  readonly dir?: string;
  /** Probed once per process when unset. */
  readonly accel?: Accelerator;
  /** Exit instead of rebooting, so that the next start can boot something else. */
  readonly noReboot?: boolean;
  /** Forwarded from 127.0.0.1 to the guest's port 22; a free one when unset. */
  readonly sshPort?: number;
  /** Where in the guest the SSH port leads: by default port 22 of the address QEMU's DHCP gives (10.0.2.15). */
  readonly sshGuest?: { readonly address?: string; readonly port?: number };
  /** The MAC address of the machine's one network card. */
  readonly mac?: string;
  readonly nic?: "virtio-net-pci" | "e1000";
}

/** The MAC address of a machine's network card unless given. */
export const DEFAULT_MAC = "52:54:00:12:34:56";

/** Every QEMU this process started, and the folders it owns: nothing outlives the process. */
const running = new Set<ChildProcess>();
const ownedDirs = new Set<string>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
  for (const dir of ownedDirs) rmSync(dir, { recursive: true, force: true });
});

/** Bytes of "4G", "512M", "1T" or a number. */
export function imageBytes(size: number | string): number {
  if (typeof size === "number") return size;
  const match = /^(\d+)\s*([KMGT]?)(i?B)?$/i.exec(size.trim());
  if (match?.[1] === undefined) throw new UsageError(`${size} is not a disk size (examples: "4G", "512M")`);
  return Number(match[1]) * 1024 ** "BKMGT".indexOf((match[2] || "B").toUpperCase());
}

/** The QEMU command line of a machine whose disks are ready. */
export function qemuArguments(
  options: QemuOptions & { readonly accel: Accelerator; readonly firmware: Firmware },
  files: {
    readonly sshPort: number;
    readonly consoleLog: string;
    readonly qmpSocket: string;
    readonly varsFile: string;
  },
  disks: readonly {
    readonly device: string;
    readonly image: string;
    readonly format: string;
    readonly boot: boolean;
  }[],
): string[] {
  const guest = options.sshGuest ?? {};
  const args = [
    ...["-accel", options.accel, "-cpu", cpuModel(options.accel), "-machine", MACHINE_TYPE],
    ...["-m", String(options.memoryMiB ?? 1024), "-smp", String(options.cpus ?? 2)],
    // No default devices (the CD-ROM would take a SATA port), but a VGA card: GRUB hangs under SeaBIOS without one.
    ...["-nodefaults", "-vga", "std", "-display", "none", "-monitor", "none"],
    ...["-chardev", `file,id=console,path=${files.consoleLog},append=on`, "-serial", "chardev:console"],
    ...["-qmp", `unix:${files.qmpSocket},server=on,wait=off`],
    ...[
      "-netdev",
      `user,id=net0,hostfwd=tcp:127.0.0.1:${files.sshPort}-${guest.address ?? ""}:${guest.port ?? 22}`,
    ],
    ...["-device", `${options.nic ?? "virtio-net-pci"},netdev=net0,mac=${options.mac ?? DEFAULT_MAC}`],
  ];
  if (options.noReboot === true) args.push("-no-reboot");
  if (options.firmware === "uefi") {
    args.push("-drive", `if=pflash,format=raw,readonly=on,file=${OVMF_CODE}`);
    args.push("-drive", `if=pflash,format=raw,file=${files.varsFile}`);
  }
  const attachments = diskAttachments(
    disks.map((disk) => disk.device),
    options.sdBus === undefined ? {} : { sdBus: options.sdBus },
  );
  if (attachments.some((attachment) => attachment.bus === "scsi"))
    args.push("-device", "virtio-scsi-pci,id=scsi0");
  // In the order the guest numbers them: by kind, then position; by-id disks (any position) after the named
  // ones, so that they do not take /dev/vda.
  const position = (index: number | undefined) =>
    index === undefined || index < 0 ? Number.MAX_SAFE_INTEGER : index;
  const order = disks
    .map((disk, i) => ({ disk, attachment: attachments[i], drive: `disk${i}` }))
    .sort(
      (a, b) =>
        (a.attachment?.bus ?? "").localeCompare(b.attachment?.bus ?? "") ||
        position(a.attachment?.index) - position(b.attachment?.index),
    );
  for (const { disk, attachment, drive } of order) {
    if (attachment === undefined) throw new InternalError("a disk without attachment");
    const file = disk.image.replaceAll(",", ",,");
    args.push("-drive", `file=${file},format=${disk.format},if=none,id=${drive},cache=unsafe,discard=unmap`);
    const boot = disk.boot && options.boot === "disk" ? ",bootindex=1" : "";
    args.push("-device", `${attachment.device(drive)}${boot}`);
  }
  if (options.boot !== "disk") {
    args.push("-kernel", options.boot.kernel, "-initrd", options.boot.initrd, "-append", options.boot.append);
  }
  return args;
}

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
  private disks: { device: string; image: string; format: string; boot: boolean }[] | undefined;
  private stopped = false;

  private constructor(options: QemuOptions, dir: string, ownsDir: boolean) {
    this.options = options;
    this.dir = dir;
    this.ownsDir = ownsDir;
    if (ownsDir) ownedDirs.add(dir);
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
        await createImage(image, format, imageBytes(disk.size));
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
    const boot = this.options.boot === "disk" ? "its disk" : this.options.boot.kernel;
    await appendFile(
      this.consoleLog,
      `\n[groundwork: starting with ${firmware}, ${accel}, booting ${boot}]\n`,
    );
    for (let attempt = 1; ; attempt++) {
      this.port = this.options.sshPort ?? this.port ?? (await freePort());
      const args = qemuArguments(
        { ...this.options, accel, firmware },
        { sshPort: this.port, consoleLog: this.consoleLog, qmpSocket, varsFile },
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
    running.add(child);
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    this.exited = new Promise((resolve) =>
      child.on("close", () => {
        running.delete(child);
        resolve();
      }),
    );
    const spawnError = await new Promise<Error | undefined>((resolve) => {
      child.once("error", resolve);
      child.once("spawn", () => resolve(undefined));
    });
    if (spawnError !== undefined) {
      running.delete(child);
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
      ownedDirs.delete(this.dir);
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

/** A blank sparse image: raw by truncating a new file, qcow2 with qemu-img. */
async function createImage(path: string, format: "raw" | "qcow2", bytes: number): Promise<void> {
  if (format === "raw") {
    const handle = await open(path, "wx");
    try {
      await handle.truncate(bytes);
    } finally {
      await handle.close();
    }
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const child = spawn("qemu-img", ["create", "-q", "-f", "qcow2", path, String(bytes)], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", (error) =>
      reject(new RunError(`cannot run qemu-img: ${error.message}. Run scripts/setup to install qemu-utils.`)),
    );
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new RunError(`qemu-img could not create ${path}: ${stderr.trim()}`)),
    );
  });
}
