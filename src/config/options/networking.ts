import { z } from "zod";

const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const INTERFACE_NAME = /^[A-Za-z0-9_.:-]{1,15}$/;
const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)$/;
const MAC_ADDRESS = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/;

const addressSchema = z
  .strictObject({
    address: z
      .string()
      .regex(IP_ADDRESS, { error: (issue) => `${JSON.stringify(issue.input)} is not an IP address` }),
    prefixLength: z.number().int().min(0).max(128),
  })
  .meta({
    description: 'An address with its prefix length, e.g. { address: "192.0.2.10", prefixLength: 24 }.',
  });

const interfaceSchema = z
  .strictObject({
    macAddress: z
      .string()
      .regex(MAC_ADDRESS, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a MAC address (aa:bb:cc:dd:ee:ff)`,
      })
      .optional()
      .meta({ description: "Match the interface by its MAC address instead of its name." }),
    useDHCP: z
      .boolean()
      .optional()
      .meta({ description: "DHCP on this interface; by default when it has no static address." }),
    ipv4: z
      .strictObject({
        addresses: z.array(addressSchema).default([]).meta({ description: "Static IPv4 addresses." }),
      })
      .prefault({})
      .meta({ description: "IPv4 settings." }),
    ipv6: z
      .strictObject({
        addresses: z.array(addressSchema).default([]).meta({ description: "Static IPv6 addresses." }),
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
          `${JSON.stringify(issue.input)} is not a host name: use letters, digits and hyphens (at most 63, not starting or ending with a hyphen)`,
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
          error: (issue) => `${JSON.stringify(issue.input)} is not an interface name`,
        }),
        interfaceSchema,
      )
      .default({})
      .meta({ description: "Static configuration of network interfaces, by name (e.g. ens3)." }),
    defaultGateway: z
      .string()
      .regex(IP_ADDRESS, { error: (issue) => `${JSON.stringify(issue.input)} is not an IP address` })
      .optional()
      .meta({
        description: "Default gateway for interfaces with static addresses.",
        examples: ["192.0.2.1"],
      }),
    nameservers: z
      .array(
        z
          .string()
          .regex(IP_ADDRESS, { error: (issue) => `${JSON.stringify(issue.input)} is not an IP address` }),
      )
      .default([])
      .meta({ description: "DNS servers.", examples: [["192.0.2.53"]] }),
  })
  .prefault({})
  .meta({ description: "Networking." });
