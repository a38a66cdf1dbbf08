import { spawn } from "node:child_process";
import { open } from "node:fs/promises";
import { parseSize } from "../disk/size.ts";
import { RunError, UsageError } from "../errors/index.ts";

// A number of bytes, or a size as the layout writes it ("4G", "512M", "1GiB").
function imageBytes(size: number | string): bigint {
  if (typeof size === "number") return BigInt(size);
  const parsed = parseSize(size);
  if (parsed?.kind !== "bytes") throw new UsageError(`${size} is not a disk size (examples: "4G", "512M")`);
  return parsed.bytes;
}

/**
 * A new blank sparse disk image at `path` (which must not exist yet): raw by truncating a new file, qcow2 with
 * qemu-img.
 */
export async function createImage(
  path: string,
  format: "raw" | "qcow2",
  size: number | string,
): Promise<void> {
  const bytes = imageBytes(size);
  if (format === "raw") {
    const handle = await open(path, "wx");
    try {
      await handle.truncate(Number(bytes));
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
