import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

export interface HostKey {
  readonly privateKey: string;
  readonly publicKey: string;
}

/**
 * A new ed25519 host key for a machine, made here so that its public half is known before the machine first
 * boots: the deployer then checks that the system answering after the reboot is the one it installed.
 */
export async function generateHostKey(comment: string): Promise<HostKey> {
  const dir = await mkdtemp(join(tmpdir(), "groundwork-hostkey-"));
  try {
    const path = join(dir, "key");
    await promisify(execFile)("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path]);
    return {
      privateKey: await readFile(path, "utf8"),
      publicKey: (await readFile(`${path}.pub`, "utf8")).trim(),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
