import { createReadStream } from "node:fs";
import { RunError } from "../../errors/index.ts";
import { TOOLS_DIR } from "../../image/installer/tools-bundle.ts";
import type { SshTransport } from "../../transport/ssh.ts";

/**
 * Unpack the tools bundle (the installer's own binaries with their loader and libraries) into TOOLS_DIR on
 * the target; scripts then put TOOLS_PATH first on their PATH. Needs tar on the target. TOOLS_DIR is a tmpfs
 * of its own: systemd mounts /run noexec, where nothing could run.
 */
export async function bringTools(transport: SshTransport, bundle: string): Promise<void> {
  const mount = `mkdir -p ${TOOLS_DIR} && { mountpoint -q ${TOOLS_DIR} || mount -t tmpfs -o mode=0755 groundwork-tools ${TOOLS_DIR}; }`;
  const unpack = await transport.runChecked(`${mount} && tar -x -C ${TOOLS_DIR}`, {
    input: createReadStream(bundle),
  });
  if (unpack.exitCode !== 0)
    throw new RunError(
      `bringing the tools to ${transport.name} failed: ${unpack.stderr.trim()}. Nothing was changed.`,
    );
}
