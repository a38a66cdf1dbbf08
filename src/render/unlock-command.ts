/**
 * Run in the initramfs (over its SSH server) with a passphrase on standard input: cryptsetup's helper hands it
 * to the device whose prompt waits, says `Please unlock disk NAME` on stdout, and exits 0 once it opened (or
 * at once, printing nothing, when no device is locked any more).
 */
export const UNLOCK_COMMAND = "cryptroot-unlock";

/** What one run of UNLOCK_COMMAND did. */
export type UnlockOutcome =
  | { readonly kind: "unlocked"; readonly name: string }
  | { readonly kind: "none-locked" }
  /** A device is locked, but nothing asks for its passphrase yet (the initramfs is still on its way there). */
  | { readonly kind: "not-asking" }
  | { readonly kind: "refused"; readonly name: string | undefined; readonly reason: string };

/** Read one run of UNLOCK_COMMAND from its exit code and output. */
export function readUnlockOutcome(exitCode: number | null, stdout: string, stderr: string): UnlockOutcome {
  const name = /Please unlock disk (\S+)/.exec(stdout)?.[1];
  if (exitCode === 0) return name === undefined ? { kind: "none-locked" } : { kind: "unlocked", name };
  if (name === undefined && /Timeout reached while waiting for askpass/.test(stderr))
    return { kind: "not-asking" };
  const reason = stderr.trim().split("\n").at(-1) ?? "";
  return { kind: "refused", name, reason: reason === "" ? `exit ${exitCode}` : reason };
}
