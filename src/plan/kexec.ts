import type { Devices } from "../disk/devices.ts";
import { sortedDisks } from "../disk/place.ts";
import type { Facts } from "../facts/facts.ts";
import { diskUses, flatten, MINIMUM_MEMORY_BYTES, type Refusal } from "./target-checks.ts";

/** One interface of a static network configuration, found by its MAC address. */
export interface StaticInterface {
  readonly mac: string;
  /** Addresses with their prefix length: `192.0.2.10/24`, `2001:db8::10/64`. */
  readonly addresses: readonly string[];
  /** Default gateways reached through this interface (at most one per address family). */
  readonly gateways?: readonly string[];
}

/** A network configuration the installer applies as it is: what the system kexec replaces had. */
export interface StaticNetwork {
  readonly interfaces: readonly StaticInterface[];
  /** Further routes: `{ destination: "10.1.0.0/16", gateway: "192.0.2.1" }`. */
  readonly routes?: readonly { readonly destination: string; readonly gateway: string }[];
  readonly nameservers?: readonly string[];
}

/** What to do instead when kexec cannot work. */
const INSTEAD =
  "Nothing was changed. Boot the machine into a rescue or live system instead (your provider's rescue mode, or a Debian live image) and run the deploy with --phases disk,install,reboot";

/** Whether the deploy needs kexec: not when the target runs the installer already, or when its disks are free. */
export type KexecDecision = { readonly needed: true } | { readonly needed: false; readonly reason: string };

export function decideKexec(devices: Devices, facts: Facts, rootMountpoint: string): KexecDecision {
  if (facts.installer !== undefined)
    return { needed: false, reason: "it runs the groundwork installer already" };
  const all = flatten(facts.blockDevices);
  const busy = sortedDisks(devices.disk).some(([, disk]) => {
    const resolved = facts.devices[disk.device] || disk.device;
    const found = all.find((device) => device.path === resolved && device.type === "disk");
    return found === undefined || diskUses(found, facts, rootMountpoint).length > 0;
  });
  if (!busy) return { needed: false, reason: "its declared disks are free (a live or rescue system)" };
  return { needed: true };
}

/**
 * Why kexec into the installer cannot work on this target, found before anything changes: the installer is
 * an x86-64 image; the kernel must have kexec and allow it; Secure Boot's lockdown refuses an unsigned
 * kernel; Xen PV guests cannot kexec; and the installer runs from RAM.
 */
export function checkKexec(facts: Facts, options: { readonly installerBytes?: number } = {}): Refusal[] {
  const refusals: Refusal[] = [];
  const refuse = (code: string, why: string) => refusals.push({ code, message: `${why}. ${INSTEAD}.` });
  if (facts.architecture !== "x86_64")
    refuse(
      "GW_KEXEC_ARCH",
      `the target is ${facts.architecture} and groundwork's installer is built for x86-64 only`,
    );
  if (!facts.kexec.supported)
    refuse(
      "GW_KEXEC_UNSUPPORTED",
      `the target's kernel (${facts.kernelRelease}) was built without kexec (it has no /sys/kernel/kexec_loaded)`,
    );
  else if (facts.kexec.loadDisabled === true)
    refuse(
      "GW_KEXEC_DISABLED",
      "kexec is switched off on the target (kernel.kexec_load_disabled is 1, and stays so until the next boot)",
    );
  if (facts.lockdown === "integrity" || facts.lockdown === "confidentiality")
    refuse(
      "GW_KEXEC_LOCKDOWN",
      `the target's kernel is locked down (${facts.lockdown}, usually by Secure Boot) and refuses to load another kernel`,
    );
  if (facts.hypervisor?.type === "xen" && facts.hypervisor.guestType === "PV")
    refuse("GW_KEXEC_XEN_PV", "the target is a Xen PV guest, which cannot kexec");
  const needed = Math.max(MINIMUM_MEMORY_BYTES, (options.installerBytes ?? 0) * 4);
  if (facts.memoryBytes < needed)
    refuse(
      "GW_KEXEC_MEMORY",
      `the target has ${mib(facts.memoryBytes)} of RAM; the installer runs from RAM and needs at least ${mib(needed)} (a 1 GB machine)`,
    );
  return refusals;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}

/** `ip route` writes a route to one host without its prefix length. */
function withPrefix(destination: string): string {
  if (destination.includes("/")) return destination;
  return `${destination}/${destination.includes(":") ? 128 : 32}`;
}

/** Loopback resolvers (a local stub) mean nothing once the system behind them is gone. */
function isLoopback(address: string): boolean {
  return address.startsWith("127.") || address === "::1";
}

/**
 * The network of the running system, to apply unchanged in the installer: every global address on its
 * interface (found by MAC address, since names may differ under another kernel), the default gateways, the
 * other routes through a gateway, and the DNS servers. Addresses from DHCP are kept as they are too: a
 * provider's DHCP may not answer the installer, and the deployer reconnects to the same address.
 */
export function recordNetwork(facts: Facts): StaticNetwork {
  const interfaces: StaticInterface[] = [];
  for (const entry of facts.addresses) {
    if (entry.macAddress === undefined || entry.name === "lo" || /^(00:){5}00$/.test(entry.macAddress))
      continue;
    const addresses = entry.addresses
      .filter((address) => address.scope === "global")
      .map((address) => `${address.address}/${address.prefixLength}`);
    if (addresses.length === 0) continue;
    const gateways = facts.routes
      .filter((route) => route.destination === "default" && route.device === entry.name)
      .flatMap((route) => (route.gateway === undefined ? [] : [route.gateway]));
    interfaces.push({ mac: entry.macAddress.toLowerCase(), addresses, gateways: [...new Set(gateways)] });
  }
  const carried = new Set(
    interfaces.flatMap(
      (entry) => facts.addresses.find((a) => a.macAddress?.toLowerCase() === entry.mac)?.name ?? [],
    ),
  );
  const routes = facts.routes.flatMap((route) =>
    route.destination !== "default" &&
    route.gateway !== undefined &&
    (route.device === undefined || carried.has(route.device))
      ? [{ destination: withPrefix(route.destination), gateway: route.gateway }]
      : [],
  );
  return {
    interfaces,
    routes,
    nameservers: [...new Set(facts.nameservers.filter((server) => !isLoopback(server)))],
  };
}
