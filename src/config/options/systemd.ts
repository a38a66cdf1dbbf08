import { z } from "zod";

// systemd unit names: letters, digits and ":-_.\" (no "@" templates here), without the .service suffix.
const SERVICE_NAME = /^[A-Za-z0-9:_.\\-]+$/;
// A unit file key, e.g. ExecStart, Restart.
const UNIT_KEY = /^[A-Z][A-Za-z0-9]*$/;

const unitValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
const section = (what: string) =>
  z
    .record(
      z
        .string()
        .regex(UNIT_KEY, { error: (issue) => `${JSON.stringify(issue.input)} is not a unit setting` }),
      unitValue,
    )
    .default({})
    .meta({
      description: `Settings of the unit's [${what}] section.`,
      examples:
        what === "Service" ? [{ ExecStart: "/usr/bin/sleep infinity", Restart: "always" }] : undefined,
    });

const serviceSchema = z
  .strictObject({
    enable: z
      .boolean()
      .default(true)
      .meta({ description: "Whether the service is enabled and running; false stops and disables it." }),
    description: z.string().optional().meta({ description: "The unit's Description." }),
    after: z.array(z.string()).default([]).meta({ description: "Units this one starts after." }),
    wants: z.array(z.string()).default([]).meta({ description: "Units this one wants." }),
    wantedBy: z
      .array(z.string())
      .default(["multi-user.target"])
      .meta({ description: "Targets that start this unit when it is enabled." }),
    script: z
      .string()
      .optional()
      .meta({ description: "Shell commands the service runs (its ExecStart), as in NixOS." }),
    unitConfig: section("Unit"),
    serviceConfig: section("Service"),
  })
  .meta({
    description:
      "A systemd service. With only `enable`, a unit a package brings (e.g. nginx); with `script` or `serviceConfig`, a unit groundwork writes.",
  });

export const systemdSchema = z
  .strictObject({
    services: z
      .record(
        z.string().regex(SERVICE_NAME, {
          error: (issue) =>
            `${JSON.stringify(issue.input)} is not a service name: letters, digits, ":", "_", "." and "-", without ".service"`,
        }),
        serviceSchema,
      )
      .default({})
      .meta({ description: "systemd services, by name (without .service)." }),
  })
  .prefault({})
  .meta({ description: "systemd." });
