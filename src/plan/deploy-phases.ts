import { displayValue, UsageError } from "../errors/index.ts";

/** The phases of a deploy, in the order they run. */
export const DEPLOY_PHASES = ["kexec", "disk", "install", "reboot"] as const;
export type DeployPhase = (typeof DEPLOY_PHASES)[number];

/** Parse `--phases kexec,disk,install,reboot`; the order given does not matter, they run in their own order. */
export function parsePhases(text: string): DeployPhase[] {
  const names = text
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const unknown = names.filter((name) => !(DEPLOY_PHASES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(
      `--phases ${displayValue(text)}: the phases are ${DEPLOY_PHASES.join(", ")} (comma-separated)`,
    );
  }
  return DEPLOY_PHASES.filter((phase) => names.includes(phase));
}
