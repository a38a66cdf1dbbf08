import { RunError } from "../../errors/index.ts";
import type { Facts } from "../../facts/facts.ts";
import { parseFacts } from "../../facts/parse-facts.ts";
import { renderFactsScript } from "../../render/facts-script.ts";
import type { Transport } from "../../transport/transport.ts";

/** Collect the facts of the target in one round trip. */
export async function collectFacts(transport: Transport, devices: readonly string[]): Promise<Facts> {
  const result = await transport.runScript(renderFactsScript(devices));
  if (result.exitCode !== 0) {
    throw new RunError(
      `could not collect facts from ${transport.name} (exit ${result.exitCode}): ${result.stderr.trim()}`,
      { stderr: result.stderr, exitCode: result.exitCode },
    );
  }
  return parseFacts(result.stdout);
}
