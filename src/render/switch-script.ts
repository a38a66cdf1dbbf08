import type { SystemSpec } from "../facts/system-spec.ts";
import { APPLY_EXIT, GENERATION_FILES, generationDir, KERNEL_NOTE } from "../plan/generation.ts";
import type { SwitchPlan } from "../plan/switch-plan.ts";
import { changedSections, grubTimeout, renderSections } from "./activation-script.ts";
import { command, quote } from "./quote.ts";
import { renderArmRecovery, renderSetCurrent } from "./recover-script.ts";
import { renderReleaseLock } from "./switch-commands.ts";

const APT =
  "DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold";

/** apt preferences that make each pinned version win over any other, even a newer or an installed one. */
export function renderAptPreferences(pins: Readonly<Record<string, string>>): string {
  return Object.entries(pins)
    .map(([name, version]) => `Package: ${name}\nPin: version ${version}\nPin-Priority: 1001\n`)
    .join("\n");
}

/**
 * Install and remove packages, and move installed ones to other versions. `pins` (groundwork.lock) name the
 * version of each package to install; with `preferences` (a file of renderAptPreferences) apt also takes
 * the pinned versions of the dependencies it pulls in.
 */
export function renderPackagesScript(
  plan: Pick<SwitchPlan, "install" | "remove" | "versions">,
  options: { readonly pins?: Readonly<Record<string, string>>; readonly preferences?: string } = {},
): string {
  const pins = options.pins ?? {};
  const lines = ["#!/bin/sh", "# groundwork: package changes (generated)", "set -eu"];
  const wanted = [
    ...plan.install.map((name) => (pins[name] === undefined ? name : `${name}=${pins[name]}`)),
    ...plan.versions.map((change) => `${change.name}=${change.to}`),
  ];
  if (wanted.length > 0) {
    const preferences =
      options.preferences === undefined ? "" : ` -o Dir::Etc::Preferences=${quote(options.preferences)}`;
    lines.push(
      "# The package lists, unless fetched within the hour (as Ansible's cache_valid_time does).",
      `find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -60 2>/dev/null | grep -q . || ${APT} update >/dev/null`,
    );
    const moved = plan.versions.map((change) => change.name);
    // A package moved to another version stays marked as automatically installed when it was.
    if (moved.length > 0) lines.push(`auto=$(apt-mark showauto ${command(...moved)})`);
    lines.push(
      `${APT}${preferences}${moved.length > 0 ? " --allow-downgrades" : ""} install --no-install-recommends ${command(...wanted)}`,
    );
    if (moved.length > 0) lines.push('[ -z "$auto" ] || apt-mark auto $auto >/dev/null');
  }
  if (plan.remove.length > 0) lines.push(`${APT} purge ${command(...plan.remove)}`);
  lines.push("");
  return lines.join("\n");
}

/**
 * The activation of a switch: take off what `from` had and `to` has not (users, files, services), run the
 * sections of `to`'s activation that differ from `from`'s (all of them without a `from`), and apply the
 * changes to what runs (services restarted, sshd and the network reloaded).
 */
export function renderSwitchActivation(from: SystemSpec | undefined, to: SystemSpec): string {
  const lines = ["#!/bin/sh", "# groundwork: switch activation (generated)", "set -eu", ""];
  const keepUsers = new Set(to.users.map((user) => user.name));
  for (const user of from?.users ?? []) {
    if (keepUsers.has(user.name) || user.name === "root") continue;
    lines.push(
      `# user ${user.name} is gone from the configuration`,
      `pkill -KILL -u ${quote(user.name)} 2>/dev/null || :`,
      `userdel --remove ${quote(user.name)} 2>/dev/null || userdel ${quote(user.name)} 2>/dev/null || :`,
    );
  }
  const keepFiles = new Set(to.etc.map((file) => file.path));
  for (const file of from?.etc ?? [])
    if (!keepFiles.has(file.path)) lines.push(`rm -f ${quote(`/etc/${file.path}`)}`);
  const nextServices = new Map(to.services.map((service) => [service.name, service]));
  for (const service of from?.services ?? []) {
    const next = nextServices.get(service.name);
    const unit = quote(`${service.name}.service`);
    if (next === undefined) {
      // Its own unit goes; a packaged unit goes back to the package's default.
      lines.push(
        service.unit === undefined
          ? `systemctl preset ${unit} 2>/dev/null || :; if systemctl is-enabled --quiet ${unit}; then systemctl start ${unit} || :; else systemctl stop ${unit} || :; fi`
          : `systemctl disable --now ${unit} 2>/dev/null || :; rm -f ${quote(`/etc/systemd/system/${service.name}.service`)}`,
      );
    } else if (service.unit !== undefined && next.unit === undefined) {
      lines.push(`rm -f ${quote(`/etc/systemd/system/${service.name}.service`)}`);
    }
  }
  // Only the sections whose part of the configuration changed run again: an unchanged section already
  // holds on the machine, and each systemctl call costs (about a second under emulation).
  const sections = changedSections(from, to);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  // Units taken away above; the services section reloads by itself when it runs and has units.
  if (from !== undefined && !same(from.services, to.services) && to.services.length === 0)
    lines.push("systemctl daemon-reload");
  lines.push("", renderSections(sections));
  lines.push(
    `echo ${quote(`groundwork: activated (${sections.map((section) => section.key).join(", ") || "nothing changed"})`)}`,
  );
  // What runs must follow what was written.
  const previous = new Map((from?.services ?? []).map((service) => [service.name, service]));
  for (const service of to.services) {
    const before = previous.get(service.name);
    if (service.enable && before !== undefined && before.unit !== service.unit)
      lines.push(`systemctl restart ${quote(`${service.name}.service`)}`);
  }
  if (from === undefined || !same(from.openssh, to.openssh)) {
    lines.push(
      to.openssh.enable
        ? "systemctl enable --now ssh.service >/dev/null 2>&1; systemctl reload-or-restart ssh.service"
        : "systemctl disable --now ssh.service ssh.socket >/dev/null 2>&1 || :",
    );
  }
  if (from === undefined || !same(from.network, to.network))
    lines.push("systemctl restart systemd-networkd.service systemd-resolved.service");
  if (
    from === undefined ||
    !same(from.kernelParams, to.kernelParams) ||
    grubTimeout(from) !== grubTimeout(to)
  )
    lines.push("update-grub 2>&1");
  lines.push("");
  return lines.join("\n");
}

/**
 * What runs a generation on the machine, detached from the SSH session (as a systemd unit, so that a
 * network change cannot kill it halfway): the package changes, then the activation, then a rollback armed that
 * runs unless the deployer confirms within `confirmSeconds`. A failed activation rolls back at once.
 */
export function renderApplyScript(
  generation: number,
  previous: number | undefined,
  confirmSeconds: number,
): string {
  const dir = generationDir(generation);
  const f = GENERATION_FILES;
  const lines = [
    "#!/bin/sh",
    `# groundwork: apply generation ${generation} (generated)`,
    "set -u",
    `exec >> ${dir}/${f.log} 2>&1`,
    "# From here on a restart is found at boot, and the generation taken back.",
    ...renderArmRecovery(generation),
    "# How long each step took, for the log and the deployer.",
    "lap=$(date +%s%N)",
    'took() { now=$(date +%s%N); echo "groundwork: $1 took $(( (now - lap) / 1000000 )) ms"; lap=$now; }',
    `echo "groundwork: generation ${generation}: package changes"`,
    // What apt did before it failed (a full disk half way) is undone, so that the packages are the previous ones.
    `if ! sh ${dir}/${f.packagesScript}; then`,
    '  echo "groundwork: the package changes failed; undoing what they did, and nothing else is changed"',
    "  dpkg --configure -a || :",
    `  [ ! -f ${dir}/${f.rollbackPackages} ] || sh ${dir}/${f.rollbackPackages} || echo "groundwork: undoing the package changes failed too: see above"`,
    `  date -u +%Y-%m-%dT%H:%M:%SZ > ${dir}/${f.failed}`,
    `  ${renderReleaseLock(generation)}`,
    `  exit ${APPLY_EXIT.packagesFailed}`,
    "fi",
    'took "the package changes"',
  ];
  lines.push(
    `echo "groundwork: generation ${generation}: activation"`,
    `if ! sh ${dir}/${f.activate}; then`,
    `  echo "groundwork: the activation failed${previous === undefined ? "" : `; back to generation ${previous}`}"`,
    ...(previous === undefined ? [] : [`  sh ${dir}/${f.rollback}`]),
    `  ${renderReleaseLock(generation)}`,
    `  exit ${APPLY_EXIT.activationFailed}`,
    "fi",
    'took "the activation"',
    // Armed once the activation ended, so that the deployer and the timer count from the same moment.
    ...(previous === undefined
      ? []
      : [
          `systemd-run --quiet --unit=groundwork-rollback-${generation} --on-active=${confirmSeconds}s --timer-property=AccuracySec=1s /bin/sh ${dir}/${f.rollback}`,
        ]),
    `dpkg-query -W -f '\${Package}\\t\${Version}\\n' > ${dir}/${f.packages}`,
    renderSetCurrent(generation),
    "# A newer kernel than the one running (a package change brought it) runs only after a reboot.",
    "running=$(uname -r); newest=$(linux-version list 2>/dev/null | linux-version sort --reverse 2>/dev/null | head -n 1)",
    `if [ -n "$newest" ] && [ "$newest" != "$running" ]; then echo "${KERNEL_NOTE} $newest is installed; $running runs until the machine reboots"; fi`,
    `echo "groundwork: generation ${generation} is active"`,
    // Without a generation to go back to there is no confirmation to wait for: the switch ends here.
    ...(previous === undefined ? [renderReleaseLock(generation)] : []),
    "",
  );
  return lines.join("\n");
}

/** The way back from `generation` to `previous`: the activation of `previous`, then the package changes undone. */
export function renderRollbackScript(generation: number, previous: number): string {
  const dir = generationDir(generation);
  const f = GENERATION_FILES;
  return [
    "#!/bin/sh",
    `# groundwork: roll generation ${generation} back to ${previous} (generated)`,
    "set -u",
    `exec >> ${dir}/${f.log} 2>&1`,
    `mkdir ${dir}/${f.decided} 2>/dev/null || { echo "groundwork: generation ${generation} was confirmed meanwhile: no rollback"; exit 0; }`,
    `echo "groundwork: generation ${generation} was not confirmed or its activation failed: back to generation ${previous}"`,
    `sh ${dir}/${f.rollbackActivate}`,
    renderSetCurrent(previous),
    `date -u +%Y-%m-%dT%H:%M:%SZ > ${dir}/${f.rolledBack}`,
    `sh ${dir}/${f.rollbackPackages}`,
    renderReleaseLock(generation),
    `echo "groundwork: back on generation ${previous}"`,
    "",
  ].join("\n");
}
