import {
  GENERATION_FILES,
  generationDir,
  RECOVER_SCRIPT,
  RECOVER_UNIT,
  STATE_DIR,
  switchLock,
} from "../plan/generation.ts";
import { quote } from "./quote.ts";

/**
 * The script the recovery unit runs at boot. A generation whose apply began but that was neither confirmed,
 * rolled back nor failed was cut by a restart (a power cut, a crash, a reboot before the confirmation): its
 * apply unit and rollback timer died with the system. It is marked interrupted and rolled back to the
 * generation before it (after dpkg finishes what it was cut in), so that the machine runs a generation that
 * was whole; without one to go back to it is marked failed. Its lock goes either way.
 */
export function renderRecoverScript(): string {
  const f = GENERATION_FILES;
  const q = (name: string) => `"$dir"/${quote(name)}`;
  return [
    "#!/bin/sh",
    "# groundwork: at boot, take back a switch that a restart interrupted (generated)",
    "set -u",
    `for dir in ${quote(`${STATE_DIR}/generations`)}/*; do`,
    `  [ -e ${q(f.started)} ] || continue`,
    `  if [ -e ${q(f.confirmed)} ] || [ -e ${q(f.rolledBack)} ] || [ -e ${q(f.failed)} ]; then continue; fi`,
    '  generation=$(basename "$dir")',
    `  date -u +%Y-%m-%dT%H:%M:%SZ > ${q(f.interrupted)}`,
    `  exec 3>> ${q(f.log)}`,
    '  echo "groundwork: generation $generation was cut by a restart before it was confirmed" >&3',
    "  dpkg --configure -a >&3 2>&1 || :",
    `  if [ -f ${q(f.rollback)} ]; then`,
    // A rollback the restart cut had claimed the decision: it runs again, whole.
    `    rmdir ${q(f.decided)} 2>/dev/null || :`,
    `    sh ${q(f.rollback)}`,
    "  else",
    `    date -u +%Y-%m-%dT%H:%M:%SZ > ${q(f.failed)}`,
    `    [ "$(cut -f1 ${quote(switchLock())}/holder 2>/dev/null)" != "$generation" ] || rm -rf ${quote(switchLock())}`,
    "  fi",
    "  exec 3>&-",
    "done",
    "",
  ].join("\n");
}

/** The unit that runs the recovery once at each boot, when the network is up (a rollback may need apt). */
export function renderRecoverUnit(): string {
  return [
    "[Unit]",
    "Description=groundwork: take back a switch that a restart interrupted",
    "Wants=network-online.target",
    "After=network-online.target",
    "",
    "[Service]",
    "Type=oneshot",
    `ExecStart=/bin/sh ${RECOVER_SCRIPT}`,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}

/**
 * Lines that put the recovery in place (its script, its unit, enabled without a daemon reload) and mark
 * `generation`'s apply as begun, synced to disk: from here on a restart finds it and takes it back.
 */
export function renderArmRecovery(generation: number): string[] {
  const unit = `/etc/systemd/system/${RECOVER_UNIT}`;
  const wants = "/etc/systemd/system/multi-user.target.wants";
  return [
    `printf '%s' ${quote(renderRecoverScript())} > ${quote(RECOVER_SCRIPT)}`,
    `printf '%s' ${quote(renderRecoverUnit())} > ${quote(unit)}`,
    `mkdir -p ${wants} && ln -sf ${quote(`../${RECOVER_UNIT}`)} ${quote(`${wants}/${RECOVER_UNIT}`)}`,
    `date -u +%Y-%m-%dT%H:%M:%SZ > ${quote(`${generationDir(generation)}/${GENERATION_FILES.started}`)}`,
    "sync",
  ];
}

/** Write the current generation's number so that a restart never finds the file half written. */
export function renderSetCurrent(generation: number): string {
  const current = `${STATE_DIR}/current`;
  return `echo ${generation} > ${quote(`${current}.new`)} && mv -f ${quote(`${current}.new`)} ${quote(current)}`;
}
