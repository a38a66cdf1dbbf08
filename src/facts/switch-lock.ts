/** Who holds a machine's switch lock, as the write script prints it. */
export interface LockHolder {
  readonly generation: number | undefined;
  /** When the holder took the lock, ISO 8601, when the lock says. */
  readonly since: string | undefined;
  /** The deployer that took it (`user@host`), when the lock says. */
  readonly by: string | undefined;
}

/** Parse the holder's line (`generation<TAB>epoch seconds<TAB>who`); any field may be missing or damaged. */
export function parseLockHolder(output: string): LockHolder {
  const [generation = "", since = "", by = ""] = (output.split("\n")[0] ?? "").split("\t");
  const seconds = /^\d{1,12}$/.test(since) ? Number(since) : undefined;
  return {
    generation: /^\d{1,9}$/.test(generation) ? Number(generation) : undefined,
    since: seconds === undefined || seconds === 0 ? undefined : new Date(seconds * 1000).toISOString(),
    // Shown in a message: printable characters only.
    by: by.replace(/[^\x20-\x7e]/g, "").slice(0, 200) || undefined,
  };
}
