import { GENERATION_FILES, generationDir, STATE_DIR } from "../plan/generation.ts";
import { quote } from "./quote.ts";

// Both scripts print `==> name` sections for splitSections and end with `==> end`, so that the parsers in
// src/facts/machine-state.ts can tell a complete answer from one cut short.

const SECTION = `section() { printf '\\n==> %s\\n' "$1"; }`;

/**
 * What a switch reads of a machine, in one round trip: the current generation and its system, one line per
 * generation (info.json, rolled-back and failed times, folder name, interrupted time, tab-separated), and the installed packages.
 * `stateDir` is STATE_DIR but for tests.
 */
export function renderMachineStateScript(stateDir: string = STATE_DIR): string {
  const f = GENERATION_FILES;
  return [
    "#!/bin/sh",
    "# groundwork: read the generations and installed packages of this machine (generated)",
    "set -eu",
    SECTION,
    `state=${quote(stateDir)}`,
    `current=$(cat "$state"/current 2>/dev/null || :)`,
    "section current",
    'echo "$current"',
    "section system",
    `[ -z "$current" ] || cat "$state/generations/$current"/${quote(f.system)} 2>/dev/null || :`,
    "section generations",
    `for dir in "$state"/generations/*; do`,
    `  [ -f "$dir"/${quote(f.info)} ] || continue`,
    // The interrupted time comes after the folder's name: readers of the older four columns read it too.
    `  printf '%s\\t%s\\t%s\\t%s\\t%s\\n' "$(tr -d '\\n' < "$dir"/${quote(f.info)})" "$(cat "$dir"/${quote(f.rolledBack)} 2>/dev/null || :)" "$(cat "$dir"/${quote(f.failed)} 2>/dev/null || :)" "\${dir##*/}" "$(cat "$dir"/${quote(f.interrupted)} 2>/dev/null || :)"`,
    "done",
    "section packages",
    `dpkg-query -W -f '\${db:Status-Abbrev}\\t\${Package}\\t\${Version}\\n' 2>/dev/null || :`,
    "section end",
    "",
  ].join("\n");
}

/**
 * The records of generation `number` that a rollback to it needs: system.json, configuration.json and
 * lock.json, each in its section (empty when the file is missing). `stateDir` is STATE_DIR but for tests.
 */
export function renderGenerationFilesScript(number: number, stateDir: string = STATE_DIR): string {
  const f = GENERATION_FILES;
  const dir = generationDir(number, stateDir);
  return [
    "#!/bin/sh",
    `# groundwork: read the records of generation ${number} (generated)`,
    "set -eu",
    SECTION,
    ...(["system", "configuration", "lock"] as const).flatMap((record) => [
      `section ${record}`,
      `cat ${quote(`${dir}/${f[record]}`)} 2>/dev/null || :`,
    ]),
    "section end",
    "",
  ].join("\n");
}
