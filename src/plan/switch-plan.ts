import type { ServiceSpec, SystemSpec, UserSpec } from "../facts/system-spec.ts";

/** One difference between what a machine has and what its configuration says, shown like a plan. */
export interface SystemChange {
  /** `+` add, `-` remove, `~` change. */
  readonly kind: "+" | "-" | "~";
  readonly subject:
    | "package"
    | "user"
    | "file"
    | "service"
    | "host name"
    | "time zone"
    | "network"
    | "ssh"
    | "initramfs ssh"
    | "kernel command line"
    | "boot menu timeout"
    | "kernel modules"
    | "blacklisted kernel modules"
    | "sysctl"
    | "units";
  readonly name: string;
  readonly detail?: string;
}

/** An installed package whose version is not the one groundwork.lock pins. */
export interface VersionChange {
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

/** What a switch does: the differences, and the packages to install, to remove and to move to their pins. */
export interface SwitchPlan {
  readonly changes: readonly SystemChange[];
  readonly install: readonly string[];
  readonly remove: readonly string[];
  readonly versions: readonly VersionChange[];
}

function byName<T extends { readonly name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.name, item]));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function userDetail(from: UserSpec, to: UserSpec): string {
  const parts: string[] = [];
  if (!same(from.groups, to.groups)) parts.push(`groups ${to.groups.join(",") || "none"}`);
  if (!same(from.authorizedKeys, to.authorizedKeys)) parts.push(`${to.authorizedKeys.length} SSH keys`);
  if (from.hashedPassword !== to.hashedPassword)
    parts.push(to.hashedPassword === undefined ? "password locked" : "password");
  if (from.isNormalUser !== to.isNormalUser) parts.push(to.isNormalUser ? "normal user" : "system user");
  return parts.join(", ");
}

function serviceDetail(service: ServiceSpec): string {
  return `${service.enable ? "enabled" : "disabled"}${service.unit === undefined ? "" : ", unit by groundwork"}`;
}

/**
 * Compare the system a machine runs (its current generation; undefined when none is recorded) with the one a
 * configuration declares. `installed` are the packages dpkg has installed, with their versions; `kept` are
 * the packages the new system needs whatever it declares (the base system, the layout's filesystem tools):
 * never removed. `pins` (groundwork.lock) move every installed package they name to its pinned version.
 */
export function planSwitch(
  current: SystemSpec | undefined,
  next: SystemSpec,
  installed: ReadonlyMap<string, string>,
  kept: ReadonlySet<string>,
  pins: Readonly<Record<string, string>> = {},
): SwitchPlan {
  const changes: SystemChange[] = [];
  const install = next.packages.filter((name) => !installed.has(name));
  const remove = (current?.packages ?? []).filter(
    (name) => !next.packages.includes(name) && !kept.has(name) && installed.has(name),
  );
  const versions = Object.entries(pins)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([name, to]) => {
      const from = installed.get(name);
      return from === undefined || from === to || remove.includes(name) ? [] : [{ name, from, to }];
    });
  for (const name of install)
    changes.push({
      kind: "+",
      subject: "package",
      name,
      ...(pins[name] === undefined ? {} : { detail: pins[name] }),
    });
  for (const name of remove) changes.push({ kind: "-", subject: "package", name });
  for (const { name, from, to } of versions)
    changes.push({ kind: "~", subject: "package", name, detail: `${from} → ${to}, pinned` });

  const users = byName(current?.users ?? []);
  for (const user of next.users) {
    const before = users.get(user.name);
    if (before === undefined) changes.push({ kind: "+", subject: "user", name: user.name });
    else if (!same(before, user))
      changes.push({ kind: "~", subject: "user", name: user.name, detail: userDetail(before, user) });
  }
  const nextUsers = byName(next.users);
  for (const user of current?.users ?? [])
    if (!nextUsers.has(user.name)) changes.push({ kind: "-", subject: "user", name: user.name });

  const files = new Map((current?.etc ?? []).map((file) => [file.path, file]));
  for (const file of next.etc) {
    const before = files.get(file.path);
    const name = `/etc/${file.path}`;
    if (before === undefined) changes.push({ kind: "+", subject: "file", name });
    else if (!same(before, file)) changes.push({ kind: "~", subject: "file", name });
  }
  const nextFiles = new Set(next.etc.map((file) => file.path));
  for (const file of current?.etc ?? [])
    if (!nextFiles.has(file.path)) changes.push({ kind: "-", subject: "file", name: `/etc/${file.path}` });

  const services = byName(current?.services ?? []);
  for (const service of next.services) {
    const before = services.get(service.name);
    if (before === undefined)
      changes.push({ kind: "+", subject: "service", name: service.name, detail: serviceDetail(service) });
    else if (!same(before, service))
      changes.push({ kind: "~", subject: "service", name: service.name, detail: serviceDetail(service) });
  }
  const nextServices = byName(next.services);
  for (const service of current?.services ?? [])
    if (!nextServices.has(service.name)) changes.push({ kind: "-", subject: "service", name: service.name });

  const setting = (
    subject: SystemChange["subject"],
    from: unknown,
    to: unknown,
    show: (value: unknown) => string,
  ) => {
    if (current !== undefined && same(from, to)) return;
    changes.push({
      kind: current === undefined ? "+" : "~",
      subject,
      name: show(to),
      ...(current === undefined ? {} : { detail: `was ${show(from)}` }),
    });
  };
  setting("host name", current?.hostName, next.hostName, String);
  setting("time zone", current?.timeZone, next.timeZone, (zone) => String(zone ?? "UTC"));
  setting("ssh", current?.openssh, next.openssh, (value) => {
    const ssh = value as SystemSpec["openssh"] | undefined;
    return ssh === undefined
      ? "unset"
      : `${ssh.enable ? "on" : "OFF"}, PermitRootLogin ${ssh.permitRootLogin}, PasswordAuthentication ${ssh.passwordAuthentication ? "yes" : "no"}`;
  });
  setting("network", current?.network, next.network, (value) =>
    describeNetwork(value as SystemSpec["network"]),
  );
  // Records from before initramfs SSH existed have none: the same as off.
  setting("initramfs ssh", current?.initrdSsh ?? null, next.initrdSsh ?? null, (value) => {
    const ssh = value as SystemSpec["initrdSsh"] | null;
    return ssh === null || ssh === undefined
      ? "off"
      : `port ${ssh.port}, ${ssh.authorizedKeys.length} key${ssh.authorizedKeys.length === 1 ? "" : "s"}`;
  });
  setting("kernel command line", current?.kernelParams, next.kernelParams, (value) =>
    ((value as readonly string[] | undefined) ?? []).join(" "),
  );
  // null waits for a key; records from before the timeout was planned had 1 s.
  const timeout = (spec: SystemSpec | undefined) => (spec?.bootTimeout === undefined ? 1 : spec.bootTimeout);
  setting("boot menu timeout", timeout(current), timeout(next), (value) =>
    value === null ? "waits for a key" : `${String(value)} s`,
  );
  setting(
    "kernel modules",
    current?.kernelModules ?? [],
    next.kernelModules ?? [],
    (value) => (value as readonly string[]).join(" ") || "none",
  );
  setting(
    "blacklisted kernel modules",
    current?.blacklistedKernelModules ?? [],
    next.blacklistedKernelModules ?? [],
    (value) => (value as readonly string[]).join(" ") || "none",
  );
  setting(
    "sysctl",
    current?.sysctl ?? {},
    next.sysctl ?? {},
    (value) =>
      Object.entries(value as Readonly<Record<string, string>>)
        .map(([key, setting]) => `${key}=${setting}`)
        .join(" ") || "none",
  );
  setting("units", current?.enableUnits, next.enableUnits, (value) =>
    ((value as readonly string[] | undefined) ?? []).join(" "),
  );
  return { changes, install, remove, versions };
}

function describeNetwork(network: SystemSpec["network"] | undefined): string {
  if (network === undefined) return "unset";
  const statics = network.interfaces.map(
    (entry) => `${entry.macAddress ?? entry.name} ${entry.addresses.join(" ") || "DHCP"}`,
  );
  return [network.dhcp ? "DHCP" : "no DHCP", ...statics].join("; ");
}

/** The plan as lines: `+ package htop`, …, and a summary line. */
export function describeSwitch(plan: SwitchPlan): string[] {
  const lines = plan.changes.map(
    (change) =>
      `${change.kind} ${change.subject} ${change.name}${change.detail === undefined || change.detail === "" ? "" : ` (${change.detail})`}`,
  );
  const count = (kind: SystemChange["kind"]) => plan.changes.filter((change) => change.kind === kind).length;
  lines.push(
    plan.changes.length === 0
      ? "Nothing to do: the machine is as configured."
      : `${count("+")} to add, ${count("~")} to change, ${count("-")} to remove.`,
  );
  return lines;
}
