import { z } from "zod";

// The system a generation activates is planned from a configuration (src/plan/system-plan.ts) and kept on
// the machine (system.json), which the next switch reads back: its schema sits in facts, below both.

const strings = z.array(z.string()).readonly();

const userSpec = z
  .object({
    name: z.string(),
    /** A login user with a home in /home (root is never one). */
    isNormalUser: z.boolean(),
    groups: strings,
    /** A crypt(3) hash, or undefined to leave the password locked. */
    hashedPassword: z.string().optional(),
    authorizedKeys: strings,
  })
  .readonly();

const interfaceSpec = z
  .object({
    /** Interface name (`ens3`), or a MAC address to match. */
    name: z.string(),
    macAddress: z.string().optional(),
    /** `address/prefixLength`, IPv4 or IPv6. */
    addresses: strings,
    dhcp: z.boolean(),
  })
  .readonly();

const networkSpec = z
  .object({
    /** DHCP on every ethernet interface that has no static configuration. */
    dhcp: z.boolean(),
    interfaces: z.array(interfaceSpec).readonly(),
    defaultGateway: z.string().optional(),
    nameservers: strings,
  })
  .readonly();

const etcFileSpec = z
  .object({
    /** Below /etc, without the leading /etc/. */
    path: z.string(),
    /** The content; a `source` file is read into it before anything renders. */
    text: z.string(),
    mode: z.string(),
    user: z.string(),
    group: z.string(),
  })
  .readonly();

const serviceSpec = z
  .object({
    /** Without .service. */
    name: z.string(),
    enable: z.boolean(),
    /** The unit file groundwork writes to /etc/systemd/system, or undefined for a unit a package brings. */
    unit: z.string().optional(),
    /** Targets it is wanted by, for the unit groundwork writes. */
    wantedBy: strings,
  })
  .readonly();

/** The installed system as the activation script needs it: resolved, plain data, Debian's words. */
export const systemSpecSchema = z.object({
  hostName: z.string(),
  timeZone: z.string().optional(),
  users: z.array(userSpec).readonly(),
  openssh: z
    .object({ enable: z.boolean(), permitRootLogin: z.string(), passwordAuthentication: z.boolean() })
    .readonly(),
  network: networkSpec,
  /** Extra kernel command line, e.g. a serial console for QEMU guests. */
  kernelParams: strings,
  /** Seconds GRUB's menu waits; null waits for a key. Absent in records from before it was planned: 1. */
  bootTimeout: z.number().nullable().optional(),
  /** Modules loaded at boot (modules-load.d) and blacklisted (modprobe.d); absent in older records: none. */
  kernelModules: strings.optional(),
  blacklistedKernelModules: strings.optional(),
  /** sysctl.d settings, key → value as sysctl takes it; absent in older records: none. */
  sysctl: z.record(z.string(), z.string()).readonly().optional(),
  /** systemd units to enable, beyond those the packages enable. */
  enableUnits: strings,
  /** The packages the configuration asks for (environment.systemPackages): a switch removes those taken out. */
  packages: strings,
  /** Files below /etc (environment.etc), sorted by path. */
  etc: z.array(etcFileSpec).readonly(),
  /** systemd.services, sorted by name. */
  services: z.array(serviceSpec).readonly(),
  /** SSH in the initramfs (dropbear), to unlock LUKS devices remotely; absent when not enabled. */
  initrdSsh: z.object({ port: z.number(), authorizedKeys: strings }).readonly().optional(),
});

export type SystemSpec = Readonly<z.output<typeof systemSpecSchema>>;
export type UserSpec = z.output<typeof userSpec>;
export type InterfaceSpec = z.output<typeof interfaceSpec>;
export type NetworkSpec = z.output<typeof networkSpec>;
export type EtcFileSpec = z.output<typeof etcFileSpec>;
export type ServiceSpec = z.output<typeof serviceSpec>;
