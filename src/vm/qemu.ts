import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { copyFile, mkdir, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { RunError } from "../errors/index.ts";
import { diskAttachment } from "./disk-attachment.ts";

export const OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd";
export const OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd";

export interface MachineDisk {
  /** Raw image file. */
  readonly image: string;
  /** The device the guest must see it as, e.g. /dev/sda. */
  readonly device: string;
  /** SeaBIOS boots only the first disk in the boot order: mark the one GRUB is on. */
  readonly boot: boolean;
}

export interface QemuOptions {
  /** Folder for the console log and firmware variables. */
  readonly dir: string;
  readonly accel: "kvm" | "tcg";
  readonly memoryMiB: number;
  readonly firmware: "bios" | "uefi";
  readonly disks: readonly MachineDisk[];
  /** Boot a kernel directly (the live installer), or the disks. */
  readonly boot: { readonly kernel: string; readonly initrd: string; readonly append: string } | "disk";
  /** Exit instead of rebooting, so that a reboot can boot something else. */
  readonly noReboot: boolean;
  /** Forwarded to the guest's port 22; a free one when unset. */
  readonly sshPort?: number;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/** The QEMU command line of a machine. */
export function qemuArguments(
  options: QemuOptions,
  sshPort: number,
  varsFile: string,
  consoleLog: string,
): string[] {
  const args = [
    "-accel",
    options.accel,
    "-cpu",
    options.accel === "kvm" ? "host" : "max",
    "-machine",
    "q35",
    "-m",
    String(options.memoryMiB),
    "-smp",
    "2",
    "-display",
    "none",
    "-monitor",
    "none",
    "-serial",
    `file:${consoleLog}`,
    "-netdev",
    `user,id=net0,hostfwd=tcp:127.0.0.1:${sshPort}-:22`,
    "-device",
    "virtio-net-pci,netdev=net0",
    "-device",
    "virtio-scsi-pci,id=scsi0",
  ];
  if (options.noReboot) args.push("-no-reboot");
  if (options.firmware === "uefi") {
    args.push(
      "-drive",
      `if=pflash,format=raw,readonly=on,file=${OVMF_CODE}`,
      "-drive",
      `if=pflash,format=raw,file=${varsFile}`,
    );
  }
  options.disks.forEach((disk, index) => {
    const { args: diskArgs } = diskAttachment(disk.device, disk.image, index);
    const device = diskArgs.at(-1) as string;
    args.push(
      ...diskArgs.slice(0, -1),
      disk.boot && options.boot === "disk" ? `${device},bootindex=1` : device,
    );
  });
  if (options.boot !== "disk") {
    args.push("-kernel", options.boot.kernel, "-initrd", options.boot.initrd, "-append", options.boot.append);
  }
  return args;
}

/** A throwaway QEMU machine; `stop()` kills it, and nothing outlives the process that started it. */
export class QemuMachine {
  private exited: Promise<number | null>;
  private constructor(
    private readonly child: ChildProcess,
    readonly sshPort: number,
    private readonly consoleLog: string,
  ) {
    this.exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  }

  static async start(options: QemuOptions): Promise<QemuMachine> {
    await mkdir(options.dir, { recursive: true });
    const sshPort = options.sshPort ?? (await freePort());
    const varsFile = join(options.dir, "OVMF_VARS.fd");
    if (options.firmware === "uefi") await copyFile(OVMF_VARS, varsFile).catch(() => undefined);
    const consoleLog = join(options.dir, `console-${Date.now()}.log`);
    const child = spawn("qemu-system-x86_64", qemuArguments(options, sshPort, varsFile, consoleLog), {
      stdio: ["ignore", "ignore", "pipe"],
    });
    running.add(child);
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const machine = new QemuMachine(child, sshPort, consoleLog);
    child.on("exit", () => running.delete(child));
    const spawnError = await new Promise<Error | undefined>((resolve) => {
      child.once("error", resolve);
      child.once("spawn", () => resolve(undefined));
    });
    if (spawnError !== undefined)
      throw new RunError(
        `cannot start QEMU: ${spawnError.message}. Run scripts/setup to install qemu-system-x86.`,
      );
    // QEMU fails at once on a bad command line; give it a moment to say so.
    const early = await Promise.race([
      machine.exited,
      new Promise((resolve) => setTimeout(() => resolve("running"), 500)),
    ]);
    if (early !== "running") throw new RunError(`QEMU stopped at once: ${stderr.trim()}`);
    return machine;
  }

  /** Resolves when QEMU exits; rejects after `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new RunError(`the machine did not power off within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGTERM");
    const killed = await Promise.race([
      this.exited.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 5000)),
    ]);
    if (!killed) this.child.kill("SIGKILL");
    await this.exited;
  }

  consoleTail(lines = 40): string {
    return this.consoleText().split("\n").slice(-lines).join("\n");
  }

  private consoleText(): string {
    try {
      // The console is small; reading it synchronously keeps this usable in error paths.
      return readFileSync(this.consoleLog, "utf8");
    } catch {
      return "";
    }
  }

  /** The whole console log so far. */
  async console(): Promise<string> {
    return readFile(this.consoleLog, "utf8").catch(() => "");
  }
}
