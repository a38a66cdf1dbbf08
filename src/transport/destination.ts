import { isIPv4, isIPv6 } from "node:net";
import { displayValue, hasControlCharacter, UsageError } from "../errors/index.ts";

/** Where to connect: `user@host`, with an optional port. */
export interface Destination {
  readonly user: string;
  readonly host: string;
  readonly port: number | undefined;
}

const HOW = "write user@host, e.g. root@203.0.113.7, alice@web1:2222 or root@[2001:db8::1]";
// A login name as useradd takes it (and a little more): never empty, never an option to ssh.
const USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
// A DNS label, or a Host alias of ~/.ssh/config (which may hold `_`).
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$/;
// An IPv6 zone, as in fe80::1%eth0.
const ZONE = /^[A-Za-z0-9_.-]+$/;

/**
 * A TCP port written as a decimal number from 1 to 65535 (no sign, exponent, hex or leading zero): the same
 * rule for a destination's `:PORT` and every port flag, so that what is accepted is what ssh reads.
 */
export function parsePort(text: string, what: string): number {
  if (!isPort(text))
    throw new UsageError(
      `${what} ${displayValue(text)}: give a port as a decimal number from 1 to 65535, e.g. 22`,
    );
  return Number(text);
}

function isPort(text: string): boolean {
  return /^[1-9][0-9]{0,4}$/.test(text) && Number(text) <= 65535;
}

/** Why `host` (without brackets) is not a host name or an IPv4 address, or undefined when it is one. */
function hostProblem(host: string): string | undefined {
  if (host === "") return "the host is empty";
  if (host.includes(":")) return "an IPv6 address goes in brackets";
  const labels = host.split(".");
  if (host.length > 253 || labels.some((label) => label.length > 63 || !LABEL.test(label)))
    return `${displayValue(host)} is not a host name (letters, digits, - and _ between dots)`;
  if (labels.every((label) => /^[0-9]+$/.test(label)) && !isIPv4(host))
    return `${displayValue(host)} is not an IPv4 address`;
  return undefined;
}

/** Why `address` (inside brackets) is not an IPv6 address with an optional zone, or undefined. */
function ipv6Problem(address: string): string | undefined {
  const [ip = "", zone] = address.split("%", 2);
  if (isIPv6(ip) && (zone === undefined || ZONE.test(zone)) && address.split("%").length <= 2)
    return undefined;
  return `[${address}] is not an IPv6 address`;
}

/** The host and port of `rest` (what follows `user@`): `host`, `host:PORT`, `[IPv6]` or `[IPv6]:PORT`. */
function hostAndPort(rest: string, problem: (reason: string) => never): { host: string; port?: string } {
  if (rest.startsWith("[")) {
    const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(rest);
    if (bracketed === null) problem("an IPv6 address in brackets ends with ], then an optional :PORT");
    const [, address = "", port] = bracketed;
    const reason = ipv6Problem(address);
    if (reason !== undefined) problem(reason);
    return port === undefined ? { host: address } : { host: address, port };
  }
  const colons = rest.split(":").length - 1;
  if (colons > 1) problem("an IPv6 address goes in brackets");
  const [host = "", port] = rest.split(":");
  const reason = hostProblem(host);
  if (reason !== undefined) problem(reason);
  return port === undefined ? { host } : { host, port };
}

/**
 * Parse `user@host`, `host` (user root), `user@[2001:db8::1]` or `user@host:2222`, strictly: nothing ssh would
 * read as an option, no space or control character, no empty user or host. `what` names the argument or flag
 * in the message (`--target-host`).
 */
export function parseDestination(text: string, what = "the destination"): Destination {
  const problem = (reason: string): never => {
    throw new UsageError(`${what} ${displayValue(text)} is not an SSH destination: ${reason}; ${HOW}`);
  };
  if (text === "") problem("it is empty");
  if (text.startsWith("-")) problem('it begins with "-", which ssh would read as an option');
  if (hasControlCharacter(text) || /\s/u.test(text)) problem("it holds a space or a control character");
  const at = text.split("@");
  if (at.length > 2) problem("it holds more than one @");
  const user = at.length === 2 ? (at[0] ?? "") : "root";
  if (user === "") problem("the user before @ is empty");
  if (!USER.test(user))
    problem(`${displayValue(user)} is not a user name (letters, digits, _ . and -, not first -)`);
  const { host, port } = hostAndPort(at[at.length - 1] ?? "", problem);
  if (port !== undefined && !isPort(port))
    problem(`the port ${displayValue(port)} is not a decimal number from 1 to 65535`);
  return { user, host, port: port === undefined ? undefined : Number(port) };
}

/** `user@host[:port]`, IPv6 hosts in brackets: what parseDestination reads back as the same destination. */
export function formatDestination(destination: Destination): string {
  const host = destination.host.includes(":") ? `[${destination.host}]` : destination.host;
  return `${destination.user}@${host}${destination.port === undefined ? "" : `:${destination.port}`}`;
}
