import { createReadStream } from "node:fs";
import { RunError } from "../../errors/index.ts";
import { TOOLS_DIR } from "../../plan/target-paths.ts";
import { renderUnpackCommand } from "../../render/file-commands.ts";
import type { Transport } from "../../transport/transport.ts";

/**
 * Unpack the tools bundle (the installer's own binaries with their loader and libraries) into TOOLS_DIR on
 * the target; scripts then put TOOLS_PATH first on their PATH. Needs tar on the target. TOOLS_DIR is a tmpfs
 * of its own: systemd mounts /run noexec, where nothing could run.
 */
export async function bringTools(transport: Transport, bundle: string): Promise<void> {
  const unpack = await transport.runChecked(renderUnpackCommand(TOOLS_DIR, "groundwork-tools"), {
    input: createReadStream(bundle),
  });
  if (unpack.exitCode !== 0)
    throw new RunError(
      `bringing the tools to ${transport.name} failed: ${unpack.stderr.trim()}. Nothing was changed.`,
    );
}
