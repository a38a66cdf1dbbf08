import {
  GENERATION_FILES,
  generationDir,
  INTERRUPTED_WORD,
  LOCK_GRACE_SECONDS,
  NOT_STARTED_WORD,
  PENDING_WORD,
  STATE_DIR,
  SWITCH_LOCKED_EXIT,
  SWITCH_STALE_EXIT,
  switchLock,
} from "../plan/generation.ts";
import { quote } from "./quote.ts";

/** The command that releases the switch lock of generation `generation`: its switch has ended. */
export function renderReleaseLock(generation: number, stateDir: string = STATE_DIR): string {
  // Only generation N's own lock: another switch may hold it by now (after a takeover, or after N released it).
  const lock = quote(switchLock(stateDir));
  return `{ [ "$(cut -f1 ${lock}/holder 2>/dev/null)" != ${generation} ] || rm -rf ${lock}; }`;
}

/**
 * Take the switch lock for `generation` (on behalf of `by`, the deployer), check that the machine is still as
 * the switch was planned from (`current` is its current generation then, and `generation` is not taken), then
 * write each file of the generation into its folder, byte for byte.
 *
 * Another switch's live lock stops the script with SWITCH_LOCKED_EXIT and its holder's line; a lock whose
 * switch died (older than LOCK_GRACE_SECONDS, with neither its apply unit nor its rollback timer active) is
 * taken over, under a second lock so that of two switches that judge it dead only one takes it. A machine
 * that changed since it was read stops the script with SWITCH_STALE_EXIT and its current generation.
 * `stateDir` is STATE_DIR but for tests.
 */
export function renderWriteGenerationScript(
  generation: number,
  files: Readonly<Record<string, string>>,
  by: string,
  current: number | undefined,
  stateDir: string = STATE_DIR,
): string {
  const dir = generationDir(generation, stateDir);
  const locked = `printf '%s\\t%s\\t%s\\n' "$held" "$since" "\${holder:-}"; exit ${SWITCH_LOCKED_EXIT}`;
  return [
    "set -eu",
    `lock=${quote(switchLock(stateDir))}`,
    `mkdir -p ${quote(stateDir)}`,
    'if ! made=$(mkdir "$lock" 2>&1); then',
    // Not held but not made either (a full disk, a read-only file system): that is the error.
    `  [ -d "$lock" ] || { echo "groundwork: cannot take the switch lock: $made" >&2; exit 1; }`,
    `  line=$(cat "$lock/holder" 2>/dev/null || :)`,
    `  IFS="$(printf '\\t')" read -r held since holder <<EOF || :`,
    "$line",
    "EOF",
    `  case "\${held:-}" in "" | *[!0-9]*) held=0 ;; esac`,
    // A lock being taken has no holder line yet: its folder's age stands in.
    `  case "\${since:-}" in "" | *[!0-9]*) since=$(stat -c %Y "$lock" 2>/dev/null || echo 0) ;; esac`,
    `  case "$since" in "" | *[!0-9]*) since=0 ;; esac`,
    `  if [ $(($(date +%s) - since)) -lt ${LOCK_GRACE_SECONDS} ] || systemctl is-active --quiet "groundwork-switch-$held.service" || systemctl is-active --quiet "groundwork-rollback-$held.timer"; then`,
    `    ${locked}`,
    "  fi",
    // Taking over: one switch at a time, and only the lock that was judged (not one made again meanwhile).
    // A takeover that died half way leaves its folder: it counts as dead after the same grace.
    `  [ $(($(date +%s) - $(stat -c %Y "$lock.takeover" 2>/dev/null || date +%s))) -lt ${LOCK_GRACE_SECONDS} ] || rmdir "$lock.takeover" 2>/dev/null || :`,
    `  mkdir "$lock.takeover" 2>/dev/null || { ${locked}; }`,
    `  if [ "$(cat "$lock/holder" 2>/dev/null || :)" != "$line" ] || ! rm -rf "$lock" || ! mkdir "$lock" 2>/dev/null; then`,
    `    rmdir "$lock.takeover"; ${locked}`,
    "  fi",
    `  rmdir "$lock.takeover"`,
    '  echo "groundwork: generation $held ended without releasing the switch lock: taking it over" >&2',
    "fi",
    // Planned from a state that changed meanwhile (another switch ended in between): nothing is written.
    `now=$(cat ${quote(`${stateDir}/current`)} 2>/dev/null || :)`,
    `if [ "$now" != ${quote(current === undefined ? "" : String(current))} ] || [ -e ${quote(dir)} ]; then`,
    `  rm -rf "$lock"; printf '%s\\n' "$now"; exit ${SWITCH_STALE_EXIT}`,
    "fi",
    // A write that fails (a full disk) leaves neither the lock nor a half-written generation behind.
    `trap ${quote(`rm -rf "$lock" ${quote(dir)}`)} EXIT`,
    `printf '%s\\t%s\\t%s\\n' ${generation} "$(date +%s)" ${quote(by)} > "$lock/holder"`,
    `mkdir -p ${quote(dir)}`,
    ...Object.entries(files).map(([name, text]) => `printf '%s' ${quote(text)} > ${quote(`${dir}/${name}`)}`),
    "trap - EXIT",
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
 * generation did not roll back, is the current one (its apply ended) and the confirmation decides before a
 * rollback does (GENERATION_FILES.decided). Its time is recorded; the switch has ended, so its lock goes.
 */
export function renderConfirmCommand(generation: number): string {
  const f = GENERATION_FILES;
  return `systemctl stop ${quote(`groundwork-rollback-${generation}.timer`)} 2>/dev/null; test ! -e ${applyPath(generation, f.rolledBack)} && test "$(cat ${quote(`${STATE_DIR}/current`)})" = ${generation} && mkdir ${applyPath(generation, f.decided)} 2>/dev/null && date -u +%Y-%m-%dT%H:%M:%SZ > ${applyPath(generation, f.confirmed)} && ${renderReleaseLock(generation)}`;
}

/** How long the wait for a rollback lasts, in seconds: after a restart the recovery runs once the network is up. */
export const AWAIT_ROLLBACK_SECONDS = 300;

/**
 * After an unconfirmed generation: wait until its rollback recorded itself (sshd may be back a moment before),
 * then print the current generation; INTERRUPTED_WORD on a line of its own when a restart had cut the switch
 * (the rollback ran at boot), PENDING_WORD when the generation neither rolled back nor was decided in time
 * (its apply still runs: its package changes may wait for the network), NOT_STARTED_WORD when its apply never
 * began (the command that starts it was lost with the connection): it is then marked failed and its lock goes.
 */
export function renderAwaitRollbackCommand(generation: number): string {
  const f = GENERATION_FILES;
  const at = (name: string) => applyPath(generation, name);
  return [
    `for i in $(seq ${AWAIT_ROLLBACK_SECONDS}); do [ -e ${at(f.rolledBack)} ] && break; sleep 1; done`,
    `cat ${quote(`${STATE_DIR}/current`)}`,
    // The command that starts the apply never arrived: the generation is given up, as the apply's own failure would.
    `if [ ! -e ${at(f.started)} ]; then date -u +%Y-%m-%dT%H:%M:%SZ > ${at(f.failed)}; ${renderReleaseLock(generation)}; echo ${NOT_STARTED_WORD}`,
    `elif [ ! -e ${at(f.rolledBack)} ] && [ ! -e ${at(f.decided)} ] && [ ! -e ${at(f.failed)} ]; then echo ${PENDING_WORD}; fi`,
    `[ ! -e ${at(f.interrupted)} ] || echo ${INTERRUPTED_WORD}`,
  ].join("\n");
}

/**
 * After an apply whose unit did not run as it should: a generation whose apply never began is marked failed
 * and its lock released (one that began is left to its own script, or to the recovery at the next boot).
 * Prints `started` when it had begun.
 */
export function renderAbandonCommand(generation: number): string {
  const f = GENERATION_FILES;
  return `if [ -e ${applyPath(generation, f.started)} ]; then echo started; else date -u +%Y-%m-%dT%H:%M:%SZ > ${applyPath(generation, f.failed)}; ${renderReleaseLock(generation)}; fi`;
}
