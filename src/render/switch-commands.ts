import { GENERATION_FILES, generationDir, STATE_DIR } from "../plan/generation.ts";
import { quote } from "./quote.ts";

/** A script that writes each file into `dir` (made if missing), byte for byte. */
export function renderWriteFilesScript(dir: string, files: Readonly<Record<string, string>>): string {
  return [
    "set -eu",
    `mkdir -p ${quote(dir)}`,
    ...Object.entries(files).map(([name, text]) => `printf '%s' ${quote(text)} > ${quote(`${dir}/${name}`)}`),
    "",
  ].join("\n");
}

const applyPath = (generation: number, file: string) => quote(`${generationDir(generation)}/${file}`);

/**
 * Run generation `generation`'s apply script as a systemd unit, detached from this SSH session, wait for it,
 * print its log and exit with its status.
 */
export function renderApplyCommand(generation: number): string {
  const f = GENERATION_FILES;
  return `systemd-run --quiet --collect --wait --unit=${quote(`groundwork-switch-${generation}`)} /bin/sh ${applyPath(generation, f.apply)}; status=$?; cat ${applyPath(generation, f.log)}; exit $status`;
}

/**
 * The deployer's confirmation, over a new connection: stop the rollback timer, and succeed only when the
 * generation did not roll back already and is the current one (its confirmation time is recorded).
 */
export function renderConfirmCommand(generation: number): string {
  const f = GENERATION_FILES;
  return `systemctl stop ${quote(`groundwork-rollback-${generation}.timer`)} 2>/dev/null; test ! -e ${applyPath(generation, f.rolledBack)} && test "$(cat ${quote(`${STATE_DIR}/current`)})" = ${generation} && date -u +%Y-%m-%dT%H:%M:%SZ > ${applyPath(generation, f.confirmed)}`;
}

/**
 * After an unconfirmed generation: wait (a minute at most) until its rollback recorded itself — sshd may be
 * back a moment before — then print the current generation.
 */
export function renderAwaitRollbackCommand(generation: number): string {
  return `for i in $(seq 60); do [ -e ${applyPath(generation, GENERATION_FILES.rolledBack)} ] && break; sleep 1; done; cat ${quote(`${STATE_DIR}/current`)}`;
}
