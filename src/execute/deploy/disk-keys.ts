import { readFile, stat } from "node:fs/promises";
import { UsageError } from "../../errors/index.ts";
import type { DiskKey } from "../../plan/disk-keys.ts";

/** cryptsetup reads key files of up to 8 MiB. */
const MAX_KEY_BYTES = 8 << 20;

/** The bytes of each `--disk-encryption-keys` file; a missing, empty or oversized one is a usage error. */
export async function readDiskKeys(
  keys: readonly DiskKey[],
): Promise<{ readonly remote: string; readonly bytes: Uint8Array }[]> {
  const read = [];
  for (const key of keys) {
    const flag = `--disk-encryption-keys ${key.remote} ${key.local}`;
    const info = await stat(key.local).catch(() => undefined);
    if (info === undefined || !info.isFile())
      throw new UsageError(
        `${flag}: ${key.local} is not a file here; give the path of the key file on this machine`,
      );
    if (info.size === 0 || info.size > MAX_KEY_BYTES)
      throw new UsageError(
        `${flag}: ${key.local} holds ${info.size} bytes; a key file holds 1 byte to 8 MiB`,
      );
    read.push({ remote: key.remote, bytes: await readFile(key.local) });
  }
  return read;
}
