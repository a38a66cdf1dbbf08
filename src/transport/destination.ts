import { UsageError } from "../errors/index.ts";

/** Where to connect: `user@host`, with an optional port. */
export interface Destination {
  readonly user: string;
  readonly host: string;
  readonly port: number | undefined;
}

/** Parse `user@host`, `host` (user root), `user@[2001:db8::1]` or `user@host:2222`. */
export function parseDestination(text: string): Destination {
  const match = /^(?:([^@\s]+)@)?(\[[0-9A-Fa-f:.]+\]|[^@\s:[\]]+)(?::(\d+))?$/.exec(text);
  if (match === null) {
    throw new UsageError(
      `${JSON.stringify(text)} is not an SSH destination: write user@host, e.g. root@203.0.113.7`,
    );
  }
  const [, user, host, port] = match;
  return {
    user: user ?? "root",
    host: (host ?? "").replace(/^\[|\]$/g, ""),
    port: port === undefined ? undefined : Number(port),
  };
}

export function formatDestination(destination: Destination): string {
  const host = destination.host.includes(":") ? `[${destination.host}]` : destination.host;
  return `${destination.user}@${host}${destination.port === undefined ? "" : `:${destination.port}`}`;
}
