import { spawn } from "node:child_process";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { forgetDir, forgetProcess, killAtExit, removeAtExit } from "../transport/exit-cleanup.ts";

export type Accelerator = "kvm" | "tcg";

/** The machine type and the CPU of every machine: the probe must try exactly these. */
export const MACHINE_TYPE = "q35";
export function cpuModel(accel: Accelerator): string {
  return accel === "kvm" ? "host" : "max";
}

/**
 * A boot sector that writes 1 to QEMU's isa-debug-exit port and halts: QEMU then exits with status 3.
 * `mov al, 1; out 0xf4, al; cli; hlt; jmp $-1`, padded to 512 bytes with the boot signature.
 */
function probeBootSector(): Buffer {
  const sector = Buffer.alloc(512);
  Buffer.from([0xb0, 0x01, 0xe6, 0xf4, 0xfa, 0xf4, 0xeb, 0xfd]).copy(sector);
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}

/**
 * Does a KVM guest actually run? Boots the probe sector under SeaBIOS with the machine type and CPU that real
 * machines get: a nested KVM may refuse the host CPU's MSRs at once, or hang, which the timeout catches.
 */
async function kvmRuns(timeoutMs: number): Promise<boolean> {
  if (
    !(await access("/dev/kvm").then(
      () => true,
      () => false,
    ))
  )
    return false;
  const dir = await mkdtemp(join(tmpdir(), "groundwork-kvm-probe-"));
  try {
    const image = join(dir, "probe.img");
    await writeFile(image, probeBootSector());
    return await new Promise<boolean>((resolve) => {
      const child = spawn(
        "qemu-system-x86_64",
        [
          ...["-accel", "kvm", "-machine", MACHINE_TYPE, "-cpu", cpuModel("kvm"), "-m", "64", "-nodefaults"],
          ...["-display", "none"],
          ...["-serial", "none", "-monitor", "none", "-no-reboot"],
          ...["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"],
          ...["-drive", `file=${image},format=raw,if=ide,index=0`],
        ],
        { stdio: "ignore" },
      );
      killAtExit(child);
      removeAtExit(dir);
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(false);
      }, timeoutMs);
      child.on("error", () => {
        clearTimeout(timer);
        resolve(false);
      });
      child.on("exit", (code) => {
        forgetProcess(child);
        clearTimeout(timer);
        resolve(code === 3);
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
    forgetDir(dir);
  }
}

let probed: Promise<Accelerator> | undefined;

/**
 * KVM when a guest really runs under it, else TCG. /dev/kvm may exist and still hang (nested virtualisation),
 * so a tiny boot decides, with a timeout. Probed once per process; GROUNDWORK_ACCEL=kvm|tcg overrides.
 */
export function detectAccelerator(options: { readonly timeoutMs?: number } = {}): Promise<Accelerator> {
  const forced = process.env.GROUNDWORK_ACCEL;
  if (forced === "tcg" || forced === "kvm") return Promise.resolve(forced);
  probed ??= kvmRuns(options.timeoutMs ?? 8000).then((runs) => (runs ? "kvm" : "tcg"));
  return probed;
}
