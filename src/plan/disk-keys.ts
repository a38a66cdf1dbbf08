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
