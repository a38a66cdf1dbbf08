import type { InterfaceSpec, SystemSpec, UserSpec } from "../facts/system-spec.ts";
import { INITRD_SSH_PACKAGE } from "../plan/system-plan.ts";
import { INITRD_HOST_KEY_PATH, INITRD_SSH_DIR } from "../plan/target-paths.ts";
import { command, quote } from "./quote.ts";

/** Write `lines` to `path` with `mode`, through printf: every line quoted, no here-document to escape. */
function writeFile(path: string, lines: readonly string[], mode = "0644"): string[] {
  const body =
    lines.length === 0
      ? `: > ${quote(path)}`
      : `printf '%s\\n' ${lines.map(quote).join(" ")} > ${quote(path)}`;
  return [body, `chmod ${mode} ${quote(path)}`];
}

function hostNameLines(spec: SystemSpec): string[] {
  return [
    "# host name",
    ...writeFile("/etc/hostname", [spec.hostName]),
    "{ grep -v '^127\\.0\\.1\\.1[[:space:]]' /etc/hosts 2>/dev/null || :; } > /etc/hosts.groundwork",
    `printf '127.0.1.1\\t%s\\n' ${quote(spec.hostName)} >> /etc/hosts.groundwork`,
    "mv /etc/hosts.groundwork /etc/hosts",
    `if [ -z "\${GROUNDWORK_CHROOT:-}" ]; then hostname ${quote(spec.hostName)}; fi`,
  ];
}

function timeZoneLines(spec: SystemSpec): string[] {
  const zone = spec.timeZone ?? "Etc/UTC";
  return [
    "# time zone",
    `[ -f ${quote(`/usr/share/zoneinfo/${zone}`)} ] || { echo ${quote(`groundwork: unknown time zone ${zone} (time.timeZone)`)} >&2; exit 1; }`,
    `ln -sf ${quote(`/usr/share/zoneinfo/${zone}`)} /etc/localtime`,
    ...writeFile("/etc/timezone", [zone]),
  ];
}

function userLines(user: UserSpec): string[] {
  const name = quote(user.name);
  const lines = [`# user ${user.name}`];
  if (user.name !== "root") {
    lines.push(
      `if ! id -u ${name} >/dev/null 2>&1; then`,
      `  useradd ${user.isNormalUser ? "--create-home --shell /bin/bash" : "--system --shell /usr/sbin/nologin"} --user-group ${name}`,
      "fi",
    );
  }
  for (const group of user.groups) {
    lines.push(`getent group ${quote(group)} >/dev/null || groupadd ${quote(group)}`);
  }
  lines.push(`usermod --groups ${quote(user.groups.join(","))} ${name}`);
  lines.push(
    user.hashedPassword === undefined
      ? `usermod --lock ${name} 2>/dev/null || :`
      : `usermod --password ${quote(user.hashedPassword)} ${name}`,
  );
  lines.push(
    `home=$(getent passwd ${name} | cut -d: -f6)`,
    `group=$(id -gn ${name})`,
    `install -d -m 0700 -o "$(id -u ${name})" -g "$group" "$home/.ssh"`,
  );
  if (user.authorizedKeys.length === 0) {
    lines.push('rm -f "$home/.ssh/authorized_keys"');
  } else {
    lines.push(
      `printf '%s\\n' ${user.authorizedKeys.map(quote).join(" ")} > "$home/.ssh/authorized_keys"`,
      `chown ${name}:"$group" "$home/.ssh/authorized_keys"`,
      'chmod 0600 "$home/.ssh/authorized_keys"',
    );
  }
  return lines;
}

function sudoLines(spec: SystemSpec): string[] {
  const wheel = spec.users.some((user) => user.groups.includes("wheel"));
  return wheel
    ? [
        "# members of wheel may use sudo, as in NixOS",
        ...writeFile("/etc/sudoers.d/groundwork-wheel", ["%wheel ALL=(ALL:ALL) ALL"], "0440"),
      ]
    : ["rm -f /etc/sudoers.d/groundwork-wheel"];
}

function sshLines(spec: SystemSpec): string[] {
  const { openssh } = spec;
  return [
    "# OpenSSH",
    "mkdir -p /etc/ssh/sshd_config.d",
    ...writeFile("/etc/ssh/sshd_config.d/50-groundwork.conf", [
      "# Written by groundwork from services.openssh.settings.",
      `PermitRootLogin ${openssh.permitRootLogin}`,
      `PasswordAuthentication ${openssh.passwordAuthentication ? "yes" : "no"}`,
    ]),
    "ssh-keygen -A >/dev/null",
    openssh.enable
      ? "systemctl enable ssh.service >/dev/null 2>&1"
      : "systemctl disable ssh.service >/dev/null 2>&1 || :",
  ];
}

function networkFile(iface: InterfaceSpec, spec: SystemSpec): string[] {
  const match = iface.macAddress === undefined ? [`Name=${iface.name}`] : [`MACAddress=${iface.macAddress}`];
  return [
    "[Match]",
    ...match,
    "",
    "[Network]",
    `DHCP=${iface.dhcp ? "yes" : "no"}`,
    ...iface.addresses.map((address) => `Address=${address}`),
    ...(spec.network.defaultGateway === undefined || iface.addresses.length === 0
      ? []
      : [`Gateway=${spec.network.defaultGateway}`]),
    ...spec.network.nameservers.map((server) => `DNS=${server}`),
  ];
}

function networkLines(spec: SystemSpec): string[] {
  const lines = [
    "# network (systemd-networkd)",
    "mkdir -p /etc/systemd/network",
    "rm -f /etc/systemd/network/*-groundwork-*.network",
  ];
  spec.network.interfaces.forEach((iface, index) => {
    lines.push(
      ...writeFile(
        `/etc/systemd/network/${String(10 + index).padStart(2, "0")}-groundwork-static.network`,
        networkFile(iface, spec),
      ),
    );
  });
  if (spec.network.dhcp) {
    lines.push(
      ...writeFile("/etc/systemd/network/90-groundwork-dhcp.network", [
        "[Match]",
        "Type=ether",
        "Name=en* eth*",
        "",
        "[Network]",
        "DHCP=yes",
        ...spec.network.nameservers.map((server) => `DNS=${server}`),
      ]),
    );
  }
  lines.push(
    "systemctl enable systemd-networkd.service systemd-resolved.service >/dev/null 2>&1",
    "ln -sf ../run/systemd/resolve/stub-resolv.conf /etc/resolv.conf",
  );
  return lines;
}

/** GRUB's timeout as /etc/default/grub takes it: -1 waits for a key; records from before it was planned had 1. */
export function grubTimeout(spec: SystemSpec): number {
  return spec.bootTimeout === null ? -1 : (spec.bootTimeout ?? 1);
}

function kernelParamLines(spec: SystemSpec): string[] {
  return [
    "# kernel command line and boot menu",
    "mkdir -p /etc/default/grub.d",
    ...writeFile("/etc/default/grub.d/50-groundwork.cfg", [
      // grub-mkconfig sources this file as shell: the parameters are quoted, never stripped.
      `GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX"${quote(` ${spec.kernelParams.join(" ")}`)}`,
      `GRUB_TIMEOUT=${grubTimeout(spec)}`,
    ]),
  ];
}

/** Write `lines` to `path`, or remove it when there are none (a setting taken out of the configuration). */
function fileOrNone(path: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [`rm -f ${quote(path)}`] : writeFile(path, lines);
}

/** Modules loaded at every boot (and now, on a running system); modules never loaded automatically. */
function kernelModuleLines(spec: SystemSpec): string[] {
  const load = spec.kernelModules ?? [];
  const blacklist = spec.blacklistedKernelModules ?? [];
  return [
    "# kernel modules (boot.kernelModules, boot.blacklistedKernelModules)",
    "mkdir -p /etc/modules-load.d /etc/modprobe.d",
    ...fileOrNone("/etc/modules-load.d/groundwork.conf", load),
    ...fileOrNone(
      "/etc/modprobe.d/groundwork-blacklist.conf",
      blacklist.map((name) => `blacklist ${name}`),
    ),
    ...(load.length === 0
      ? []
      : [`if [ -z "\${GROUNDWORK_CHROOT:-}" ]; then ${command("modprobe", "-a", ...load)}; fi`]),
  ];
}

/** Kernel settings in sysctl.d, applied at every boot (and now, on a running system). */
function sysctlLines(spec: SystemSpec): string[] {
  const settings = Object.entries(spec.sysctl ?? {});
  const path = "/etc/sysctl.d/90-groundwork.conf";
  return [
    "# kernel settings (boot.kernel.sysctl)",
    "mkdir -p /etc/sysctl.d",
    ...fileOrNone(
      path,
      settings.map(([key, value]) => `${key} = ${value}`),
    ),
    ...(settings.length === 0
      ? []
      : [`if [ -z "\${GROUNDWORK_CHROOT:-}" ]; then sysctl -q -p ${quote(path)}; fi`]),
  ];
}

/** Write a file below /etc whole (a new file moved into place), with its mode and owner. */
function etcLines(spec: SystemSpec): string[] {
  if (spec.etc.length === 0) return [];
  const lines = ["# files below /etc (environment.etc)"];
  for (const file of spec.etc) {
    const path = `/etc/${file.path}`;
    const next = `${path}.groundwork-new`;
    lines.push(
      `mkdir -p ${quote(path.slice(0, path.lastIndexOf("/")))}`,
      `printf '%s' ${quote(file.text)} > ${quote(next)}`,
      `chown ${quote(`${file.user}:${file.group}`)} ${quote(next)}`,
      `chmod ${file.mode} ${quote(next)}`,
      `mv -f ${quote(next)} ${quote(path)}`,
    );
  }
  return lines;
}

/** Write groundwork's units, then enable (and, on a running system, start) or disable each service. */
function serviceLines(spec: SystemSpec): string[] {
  if (spec.services.length === 0) return [];
  const lines = ["# services (systemd.services)"];
  for (const service of spec.services) {
    if (service.unit !== undefined)
      lines.push(
        ...writeFile(`/etc/systemd/system/${service.name}.service`, [service.unit.replace(/\n$/, "")]),
      );
  }
  lines.push(`if [ -z "\${GROUNDWORK_CHROOT:-}" ]; then systemctl daemon-reload; fi`);
  for (const service of spec.services) {
    const unit = quote(`${service.name}.service`);
    const missing = quote(
      `groundwork: systemd.services.${service.name}: the machine has no unit ${service.name}.service; add the package that brings it to environment.systemPackages`,
    );
    if (service.enable) {
      lines.push(
        `for dir in /etc/systemd/system /usr/lib/systemd/system /lib/systemd/system ''; do [ -n "$dir" ] || { echo ${missing} >&2; exit 1; }; [ -f "$dir"/${unit} ] && break; done`,
        `systemctl enable ${unit} >/dev/null 2>&1`,
        `if [ -z "\${GROUNDWORK_CHROOT:-}" ]; then systemctl start ${unit}; fi`,
      );
    } else {
      lines.push(
        `systemctl disable ${unit} >/dev/null 2>&1 || :`,
        `if [ -z "\${GROUNDWORK_CHROOT:-}" ]; then systemctl stop ${unit} 2>/dev/null || :; fi`,
      );
    }
  }
  return lines;
}

/** Where root's home is in the initramfs: dropbear reads its authorized_keys there. */
const INITRD_HOME = "/root-groundwork";

/**
 * SSH in the initramfs (dropbear-initramfs): its host key (converted from groundwork's OpenSSH copy, made
 * here when the install did not bring one), the keys let in, and the port, in dropbear-initramfs's folder
 * (what the initramfs of a later kernel is made from). The current initramfs gets them as one more cpio
 * archive appended to it, at install and on a switch alike: the kernel unpacks the archives in order, a later
 * file replacing an earlier one, which takes a second where making the initramfs again takes minutes. Turned
 * off, nobody is let in any more: removing the package made the initramfs again without dropbear; a machine
 * that keeps the package makes it again without the keys.
 */
function initrdSshLines(spec: SystemSpec): string[] {
  const ssh = spec.initrdSsh;
  const dir = quote(INITRD_SSH_DIR);
  const source = quote(INITRD_HOST_KEY_PATH);
  if (ssh === undefined)
    return [
      "# no SSH in the initramfs",
      `if [ -f ${dir}/authorized_keys ]; then`,
      `  rm -f ${dir}/authorized_keys`,
      `  if dpkg-query -W -f '\${Status}' ${INITRD_SSH_PACKAGE} 2>/dev/null | grep -q 'ok installed'; then update-initramfs -u -k all >/dev/null; fi`,
      "fi",
    ];
  const hostKey = "/etc/dropbear/dropbear_ed25519_host_key";
  // -r: only this key, never one an image shared with other machines; -s: keys only; -j -k: no forwarding.
  const options = `-r ${hostKey} -p ${ssh.port} -s -j -k`;
  return [
    "# SSH in the initramfs (boot.initrd.network.ssh)",
    `mkdir -p ${dir}`,
    `rm -f ${dir}/dropbear_rsa_host_key ${dir}/dropbear_ecdsa_host_key ${dir}/dropbear_ed25519_host_key`,
    `[ -f ${source} ] || ssh-keygen -q -t ed25519 -N '' -C initramfs -f ${source}`,
    `dropbearconvert openssh dropbear ${source} ${dir}/dropbear_ed25519_host_key >/dev/null 2>&1`,
    `chmod 600 ${source} ${dir}/dropbear_ed25519_host_key`,
    ...writeFile(`${INITRD_SSH_DIR}/authorized_keys`, ssh.authorizedKeys, "0600"),
    ...writeFile(`${INITRD_SSH_DIR}/dropbear.conf`, [`DROPBEAR_OPTIONS="${options}"`]),
    "stage=$(mktemp -d)",
    `mkdir -p "$stage/etc/dropbear" "$stage${INITRD_HOME}/.ssh"`,
    `chmod 755 "$stage/etc" "$stage/etc/dropbear"; chmod 700 "$stage${INITRD_HOME}" "$stage${INITRD_HOME}/.ssh"`,
    `cp ${dir}/dropbear_ed25519_host_key "$stage${hostKey}"`,
    `cp ${dir}/dropbear.conf "$stage/etc/dropbear/dropbear.conf"`,
    `cp ${dir}/authorized_keys "$stage${INITRD_HOME}/.ssh/authorized_keys"`,
    // dropbear finds authorized_keys in root's home, which the image's initramfs names at random.
    `printf 'root:*:0:0::${INITRD_HOME}:/bin/sh\\n' > "$stage/etc/passwd"`,
    "for initrd in /boot/initrd.img-*; do",
    // Each archive starts on a 4-byte boundary; the kernel skips the zeros between them.
    '  size=$(stat -c %s "$initrd"); head -c $(( (4 - size % 4) % 4 )) /dev/zero >> "$initrd"',
    `  (cd "$stage" && find . -mindepth 1 | cpio -o -H newc -R 0:0 --quiet) >> "$initrd"`,
    "done",
    'rm -rf "$stage"',
  ];
}

/** One part of the activation: its lines, and the part of the spec they follow from. */
export interface ActivationSection {
  readonly key: string;
  /** What the lines are made from: a section whose input is unchanged need not run again. */
  readonly input: unknown;
  readonly lines: readonly string[];
}

/** The activation in sections, in the order they run. */
export function activationSections(spec: SystemSpec): ActivationSection[] {
  return [
    { key: "host name", input: spec.hostName, lines: hostNameLines(spec) },
    { key: "time zone", input: spec.timeZone ?? null, lines: timeZoneLines(spec) },
    ...spec.users.map((user) => ({ key: `user ${user.name}`, input: user, lines: userLines(user) })),
    {
      key: "sudo",
      input: spec.users.some((user) => user.groups.includes("wheel")),
      lines: sudoLines(spec),
    },
    { key: "ssh", input: spec.openssh, lines: sshLines(spec) },
    { key: "network", input: spec.network, lines: networkLines(spec) },
    {
      key: "kernel command line",
      input: { params: spec.kernelParams, timeout: grubTimeout(spec) },
      lines: kernelParamLines(spec),
    },
    {
      key: "kernel modules",
      input: { load: spec.kernelModules ?? [], blacklist: spec.blacklistedKernelModules ?? [] },
      lines: kernelModuleLines(spec),
    },
    { key: "sysctl", input: spec.sysctl ?? {}, lines: sysctlLines(spec) },
    { key: "initramfs ssh", input: spec.initrdSsh ?? null, lines: initrdSshLines(spec) },
    { key: "files", input: spec.etc, lines: etcLines(spec) },
    { key: "services", input: spec.services, lines: serviceLines(spec) },
    {
      key: "units",
      input: spec.enableUnits,
      lines:
        spec.enableUnits.length === 0
          ? []
          : ["# services", `${command("systemctl", "enable", ...spec.enableUnits)} >/dev/null 2>&1`],
    },
  ];
}

const HEADER = ["#!/bin/sh", "# groundwork activation script (generated)", "set -eu", ""];

/** The sections of `to` whose input differs from `from`'s (all of them without a `from`). */
export function changedSections(from: SystemSpec | undefined, to: SystemSpec): ActivationSection[] {
  const before = new Map(
    (from === undefined ? [] : activationSections(from)).map((section) => [
      section.key,
      JSON.stringify(section.input),
    ]),
  );
  return activationSections(to).filter(
    (section) => before.get(section.key) !== JSON.stringify(section.input),
  );
}

/** The body of an activation made of `sections` (no header): what a switch runs. */
export function renderSections(sections: readonly ActivationSection[]): string {
  return sections.map((section) => section.lines.join("\n")).join("\n");
}

/**
 * The activation script: makes the system what the spec says — host name, time zone, users and keys,
 * SSH, network, kernel command line, services. Idempotent; runs in a chroot at install time
 * (GROUNDWORK_CHROOT=1) and on the running machine later.
 */
export function renderActivationScript(spec: SystemSpec): string {
  return [...HEADER, renderSections(activationSections(spec)), "echo 'groundwork: activated'", ""].join("\n");
}
