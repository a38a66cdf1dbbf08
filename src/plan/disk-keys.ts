import type { DiskStep } from "../disk/steps.ts";
import { UsageError } from "../errors/index.ts";
import type { DeployPhase } from "./deploy-phases.ts";
import type { DeployPlan } from "./deploy-plan.ts";

/** `--disk-encryption-keys REMOTE LOCAL`: the file LOCAL here is placed at REMOTE on the installer, in RAM. */
export interface DiskKey {
  readonly remote: string;
  readonly local: string;
}

/** A key file a LUKS device needs, with the device's name. */
export interface NeededKey {
  readonly file: string;
  readonly device: string;
}

/** The key files the layout's LUKS devices are formatted and opened with, each once. */
export function neededKeys(steps: readonly DiskStep[]): NeededKey[] {
  const keys = new Map<string, NeededKey>();
  for (const step of steps) {
    if (step.kind !== "luks-format" && step.kind !== "luks-open") continue;
    const files = [step.key.file, ...(step.kind === "luks-format" ? step.additionalKeyFiles : [])];
    for (const file of files) if (!keys.has(file)) keys.set(file, { file, device: step.name });
  }
  return [...keys.values()];
}

/** Whether these phases open the LUKS devices (the disk phase formats them, the install phase mounts them). */
export function opensDisks(phases: readonly DeployPhase[]): boolean {
  return phases.includes("disk") || phases.includes("install");
}

/**
 * Why the keys given cannot serve this deploy: the disk and install phases open the LUKS devices, so every key
 * file they use must come along (the installer starts with none). Empty when all are there.
 */
export function missingKeyProblems(
  plan: DeployPlan,
  phases: readonly DeployPhase[],
  keys: readonly DiskKey[],
): string[] {
  if (!opensDisks(phases)) return [];
  const given = new Set(keys.map((key) => key.remote));
  return neededKeys([...plan.disk.steps, ...plan.mount.steps])
    .filter((needed) => !given.has(needed.file))
    .map(
      (needed) =>
        `LUKS device ${needed.device} is opened with the key file ${needed.file}, which is not given: add --disk-encryption-keys ${needed.file} LOCAL_FILE`,
    );
}

/**
 * What a person types at each LUKS device's boot prompt, by mapping name: the passphrase file's text without
 * its trailing newlines, or a key file's text when it is printable. `groundwork test` types it on the console.
 * Throws a usage error for a key that cannot be typed.
 */
export function bootPassphrases(
  plan: DeployPlan,
  keys: readonly { readonly remote: string; readonly bytes: Uint8Array }[],
): Map<string, string> {
  const passphrases = new Map<string, string>();
  for (const step of plan.mount.steps) {
    if (step.kind !== "luks-open") continue;
    const key = keys.find((candidate) => candidate.remote === step.key.file);
    if (key === undefined) continue;
    const text = new TextDecoder("utf-8", { fatal: false }).decode(key.bytes);
    const typed = step.key.passphrase ? text.replace(/\n+$/, "") : text;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what cannot be typed.
    if (typed === "" || /[\u0000-\u001f\u007f\ufffd]/u.test(typed))
      throw new UsageError(
        `the key ${step.key.file} of LUKS device ${step.name} cannot be typed at its boot prompt (it holds control characters or other bytes than text): give the device a passwordFile with a passphrase`,
      );
    passphrases.set(step.name, typed);
  }
  return passphrases;
}

/** How the LUKS devices the initramfs opens get their passphrase at the first boot after a deploy. */
export type BootUnlock =
  | { readonly kind: "none" }
  /** The deploy sends it over the initramfs's SSH server: every device takes this one passphrase. */
  | { readonly kind: "ssh"; readonly passphrase: string; readonly names: readonly string[] }
  /** A person types it (console, or groundwork unlock); `over` says where. */
  | {
      readonly kind: "person";
      readonly names: readonly string[];
      readonly over: "console" | "console or ssh";
    };

/**
 * Decide who unlocks at the first boot: the deploy itself when the initramfs runs SSH and the keys brought
 * along give one passphrase for every device it opens; else a person.
 */
export function bootUnlock(
  plan: DeployPlan,
  keys: readonly { readonly remote: string; readonly bytes: Uint8Array }[],
): BootUnlock {
  const names = plan.crypttab.flatMap((entry) =>
    entry.kind === "luks" && entry.options.includes("initramfs") ? [entry.name] : [],
  );
  if (names.length === 0) return { kind: "none" };
  if (plan.system.initrdSsh === undefined) return { kind: "person", names, over: "console" };
  const person = { kind: "person", names, over: "console or ssh" } as const;
  let passphrases: Map<string, string>;
  try {
    passphrases = bootPassphrases(plan, keys);
  } catch {
    return person;
  }
  const distinct = new Set(names.map((name) => passphrases.get(name)));
  const [passphrase] = distinct;
  return distinct.size === 1 && passphrase !== undefined ? { kind: "ssh", passphrase, names } : person;
}
