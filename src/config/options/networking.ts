import { z } from "zod";
import { describeValue } from "../issues.ts";

// RFC 1123: one label of letters, digits and hyphens, not starting or ending with a hyphen, at most 63.
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
// The kernel's rule (at most 15 bytes, no "/" or white space), narrowed to what .network files take as is.
const INTERFACE_NAME = /^(?!\.\.?$)[A-Za-z0-9_.:][A-Za-z0-9_.:-]{0,14}$/;
const MAC_ADDRESS = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/;

const EXAMPLE = { 4: "192.0.2.10", 6: "2001:db8::10" } as const;

function addressError(family: 4 | 6 | undefined) {
  return (issue: { input?: unknown }) => {
    const given = describeValue(issue.input);
    if (typeof issue.input === "string" && issue.input.includes("/"))
      return `${given} is not an address: give the prefix length in prefixLength, not after a "/"`;
    if (family === undefined)
      return `${given} is not an IP address (e.g. "${EXAMPLE[4]}" or "${EXAMPLE[6]}")`;
    return `${given} is not an IPv${family} address (e.g. "${EXAMPLE[family]}")`;
  };
}

/** An IPv4 or IPv6 address, written plainly (no prefix, no zone index). */
const ipAddress = z.union([z.ipv4(), z.ipv6()], { error: addressError(undefined) });

function addressSchema(family: 4 | 6) {
  const maximum = family === 4 ? 32 : 128;
  return z
    .strictObject({
      address: (family === 4 ? z.ipv4 : z.ipv6)({ error: addressError(family) }),
      prefixLength: z
        .number()
        .int()
        .min(0)
        .max(maximum, {
          error: (issue) =>
            `${describeValue(issue.input)} is not an IPv${family} prefix length: at most ${maximum}`,
        }),
    })
    .meta({
      description: `An IPv${family} address with its prefix length.`,
      examples: [{ address: EXAMPLE[family], prefixLength: family === 4 ? 24 : 64 }],
    });
}

const interfaceSchema = z
  .strictObject({
    macAddress: z
      .string()
      .regex(MAC_ADDRESS, {
        error: (issue) => `${describeValue(issue.input)} is not a MAC address (aa:bb:cc:dd:ee:ff)`,
      })
      .optional()
      .meta({
        description: "Match the interface by its MAC address instead of its name.",
        examples: ["52:54:00:12:34:56"],
      }),
    useDHCP: z
      .boolean()
      .optional()
      .meta({ description: "DHCP on this interface; by default when it has no static address." }),
    ipv4: z
      .strictObject({
        addresses: z.array(addressSchema(4)).default([]).meta({ description: "Static IPv4 addresses." }),
      })
      .prefault({})
      .meta({ description: "IPv4 settings." }),
    ipv6: z
      .strictObject({
        addresses: z.array(addressSchema(6)).default([]).meta({ description: "Static IPv6 addresses." }),
      })
      .prefault({})
      .meta({ description: "IPv6 settings." }),
  })
  .meta({ description: "One network interface." });

export const networkingSchema = z
  .strictObject({
    hostName: z
      .string()
      .regex(HOST_NAME, {
        error: (issue) =>
          `${describeValue(issue.input)} is not a host name: use letters, digits and hyphens (at most 63, not starting or ending with a hyphen)`,
      })
      .default("debian")
      .meta({ description: "The machine's host name (one label, no dots).", examples: ["web1"] }),
    useDHCP: z
      .boolean()
      .default(true)
      .meta({ description: "DHCP on every ethernet interface that has no static addresses." }),
    interfaces: z
      .record(
        z.string().regex(INTERFACE_NAME, {
          error: (issue) =>
            `${describeValue(issue.input)} is not an interface name: at most 15 letters, digits, "_", ".", ":" and "-", not starting with "-"`,
        }),
        interfaceSchema,
      )
      .default({})
      .meta({
        description: "Static configuration of network interfaces, by name (e.g. ens3).",
        examples: [{ ens3: { ipv4: { addresses: [{ address: "192.0.2.10", prefixLength: 24 }] } } }],
      }),
    defaultGateway: ipAddress.optional().meta({
      description: "Default gateway for interfaces with static addresses.",
      examples: ["192.0.2.1"],
    }),
    nameservers: z
      .array(ipAddress)
      .default([])
      .meta({ description: "DNS servers.", examples: [["192.0.2.53"]] }),
  })
  .prefault({})
  .meta({ description: "Networking." });
