/**
 * Loop-device images for host tests: a sparse image attached with `losetup --find --partscan`, a fresh
 * root mountpoint, and the tools that read back what a disk script did (sfdisk, blkid, findmnt, /proc/swaps).
 * Everything an image creates is undone by `release()`, which runs after each test and, as a safety net,
 * when the process exits.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { TestContext } from "node:test";

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a program without a shell; never throws. */
export function run(program: string, args: readonly string[], input?: string, cwd?: string): Run {
  const result = spawnSync(program, args, { input, cwd, encoding: "utf8", timeout: 120_000 });
  return {
    status: result.error === undefined ? result.status : null,
    stdout: result.stdout ?? "",
    stderr: result.error === undefined ? (result.stderr ?? "") : String(result.error),
  };
}

/** Run a generated script with `sh -s`, the script on stdin, in `cwd`. */
export function runScript(script: string, cwd: string): Run {
  return run("/bin/sh", ["-s"], script, cwd);
}

/** The end of a run's output, for assertion messages. */
export function describeRun(result: Run): string {
  const tail = (text: string) => text.split("\n").slice(-40).join("\n");
  return `exit ${result.status}\n--- stderr ---\n${tail(result.stderr)}\n--- stdout ---\n${tail(result.stdout)}`;
}

/** Run a program that must succeed; its stdout. */
export function must(program: string, ...args: string[]): string {
  const result = run(program, args);
  assert.equal(result.status, 0, `${program} ${args.join(" ")} failed: ${describeRun(result)}`);
  return result.stdout;
}

/** The sectors of 512 bytes that sfdisk counts in. */
export const SECTOR = 512;
export const MiB = 2 ** 20 / SECTOR;

export interface SfdiskPartition {
  readonly node: string;
  readonly start: number;
  readonly size: number;
  readonly type: string;
  readonly uuid?: string;
  readonly name?: string;
}

export interface SfdiskTable {
  readonly label: "gpt" | "dos";
  readonly id: string;
  readonly device: string;
  readonly unit: string;
  readonly lastlba?: number;
  readonly partitions: readonly SfdiskPartition[];
}

/** `sfdisk --json DEVICE`: the partition table, or the failed run when there is none. */
export function sfdisk(device: string): SfdiskTable | Run {
  const result = run("sfdisk", ["--json", device]);
  if (result.status !== 0) return result;
  return (JSON.parse(result.stdout) as { partitiontable: SfdiskTable }).partitiontable;
}

/** `sfdisk --json DEVICE`, which must find a table. */
export function partitionTable(device: string): SfdiskTable {
  const table = sfdisk(device);
  if (!("partitions" in table))
    assert.fail(`sfdisk --json ${device} found no partition table: ${describeRun(table)}`);
  return table;
}

/** `blkid -p -o export DEVICE` as a record (TYPE, UUID, PART_ENTRY_NAME, …); empty when blkid finds nothing. */
export function probe(device: string): Record<string, string> {
  const result = run("blkid", ["-p", "-o", "export", device]);
  // blkid exits 2 when it finds nothing; anything else but 0 is an error.
  assert.ok(result.status === 0 || result.status === 2, `blkid -p ${device}: ${describeRun(result)}`);
  return Object.fromEntries(
    result.stdout
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

export interface MountEntry {
  readonly target: string;
  readonly source: string;
  readonly fstype: string;
  readonly options: string;
}

/** Every mount of the host, from `findmnt --json --list` (sources without btrfs' `[/subvolume]`). */
export function mounts(): MountEntry[] {
  const output = must("findmnt", "--json", "--list", "--nofsroot", "-o", "TARGET,SOURCE,FSTYPE,OPTIONS");
  return (JSON.parse(output) as { filesystems: MountEntry[] }).filesystems;
}

/** Mounts at `root` or below it, parents first. */
export function mountsUnder(root: string): MountEntry[] {
  return mounts()
    .filter((entry) => entry.target === root || entry.target.startsWith(`${root}/`))
    .sort((a, b) => (a.target < b.target ? -1 : 1));
}

/** Active swap devices, from `swapon --show`. */
export function activeSwaps(): string[] {
  return must("swapon", "--show=NAME", "--noheadings", "--raw")
    .split("\n")
    .filter((line) => line !== "");
}

/** Decode the octal escapes (`\040` for a space) of /proc/self/mountinfo and /proc/swaps. */
function unescapeProc(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** Mount targets with their sources, straight from the kernel (findmnt may be the thing that is broken). */
function kernelMounts(): { target: string; source: string }[] {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const fields = line.split(" ");
      const separator = fields.indexOf("-");
      return { target: unescapeProc(fields[4] ?? ""), source: unescapeProc(fields[separator + 2] ?? "") };
    });
}

const live = new Set<LoopImage>();
let safetyNetInstalled = false;

function installSafetyNet(): void {
  if (safetyNetInstalled) return;
  safetyNetInstalled = true;
  process.on("exit", () => {
    for (const image of live) image.release();
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      for (const image of live) image.release();
      process.kill(process.pid, signal);
    });
  }
}

/** A sparse image file attached to a free loop device, with a fresh directory to mount under. */
export class LoopImage {
  /** The temporary directory holding the image and the mountpoints. */
  readonly dir: string;
  readonly image: string;
  /** The loop device, e.g. `/dev/loop3`. */
  readonly device: string;
  /** A fresh, empty directory: the root mountpoint of the layout. */
  readonly root: string;
  private released = false;

  private constructor(dir: string, image: string, device: string, rootName: string) {
    this.dir = dir;
    this.image = image;
    this.device = device;
    this.root = join(dir, rootName);
    mkdirSync(this.root);
  }

  /**
   * Create a sparse image of `size` (as `truncate -s` takes it) and attach it; released after the test.
   * The root mountpoint is the directory `rootName` next to the image.
   */
  static attach(t: TestContext, size: string, rootName = "root"): LoopImage {
    installSafetyNet();
    const dir = mkdtempSync(join(tmpdir(), "groundwork-host-"));
    const image = join(dir, "disk.img");
    const truncate = run("truncate", ["-s", size, image]);
    const attach =
      truncate.status === 0 ? run("losetup", ["--find", "--show", "--partscan", image]) : truncate;
    if (attach.status !== 0) {
      rmSync(dir, { recursive: true, force: true });
      assert.fail(`could not attach a ${size} image to a loop device: ${describeRun(attach)}`);
    }
    const loop = new LoopImage(dir, image, attach.stdout.trim(), rootName);
    live.add(loop);
    t.after(() => {
      const problems = loop.release();
      assert.deepEqual(problems, [], `cleaning up ${loop.device} (${loop.image}) left things behind`);
    });
    return loop;
  }

  /** The kernel's partition devices of the disk, by partition number, read from /sys. */
  partitionDevices(): Map<number, string> {
    const name = basename(this.device);
    const found = new Map<number, string>();
    const sys = `/sys/class/block/${name}`;
    if (!existsSync(sys)) return found;
    for (const entry of readdirSync(sys)) {
      const partition = join(sys, entry, "partition");
      if (entry.startsWith(name) && existsSync(partition))
        found.set(Number(readFileSync(partition, "utf8").trim()), `/dev/${entry}`);
    }
    return found;
  }

  /** A fresh directory inside this image's temporary directory (unmounted and removed with it). */
  directory(name: string): string {
    const path = join(this.dir, name);
    mkdirSync(path, { recursive: true });
    return path;
  }

  /** Undo everything: unmount, swap off, detach, delete. Returns what could not be undone. Idempotent. */
  release(): string[] {
    if (this.released) return [];
    const problems: string[] = [];
    const ours = (source: string) => source === this.device || source.startsWith(`${this.device}p`);
    // Unmount everything under our directory and everything from our device, wherever a bug put it.
    const targets = () =>
      kernelMounts()
        .filter(({ target, source }) => target.startsWith(`${this.dir}/`) || ours(source))
        .map(({ target }) => target)
        .sort((a, b) => b.length - a.length);
    for (const target of targets()) run("umount", ["-R", target]);
    for (const target of targets()) {
      const lazy = run("umount", ["-R", "--lazy", target]);
      problems.push(`${target} was still mounted${lazy.status === 0 ? " (unmounted lazily)" : ""}`);
    }
    const swaps = readFileSync("/proc/swaps", "utf8")
      .split("\n")
      .slice(1)
      .map((line) => unescapeProc(line.split(/\s+/)[0] ?? ""))
      .filter(ours);
    for (const swap of swaps) {
      const off = run("swapoff", [swap]);
      if (off.status !== 0) problems.push(`swapoff ${swap}: ${off.stderr.trim()}`);
    }
    const detach = run("losetup", ["-d", this.device]);
    if (detach.status !== 0) problems.push(`losetup -d ${this.device}: ${detach.stderr.trim()}`);
    if (kernelMounts().some(({ target }) => target.startsWith(`${this.dir}/`))) {
      problems.push(`${this.dir} still has mounts: left in place`);
    } else {
      rmSync(this.dir, { recursive: true, force: true });
    }
    this.released = true;
    live.delete(this);
    return problems;
  }
}
