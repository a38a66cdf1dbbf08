import { z } from "zod";
import { describeValue } from "../issues.ts";
import { lineSchema, textSchema } from "../text.ts";

// systemd's unit name rules: letters, digits and ":-_.\", at most 255 characters with the suffix; here without
// "@" templates and the .service suffix, and not starting with "-" or "." (systemctl would read an option).
const SERVICE_NAME = /^(?![-.])[A-Za-z0-9:_.\\-]{1,247}$/;
// A whole unit name, as After=, Wants= and WantedBy= take it: a name (instances with "@") and a unit type.
const UNIT_NAME =
  /^(?=.{1,255}$)(?![-.])[A-Za-z0-9:_.@\\-]+\.(service|socket|device|mount|automount|swap|target|path|timer|slice|scope)$/;
// A unit file key, e.g. ExecStart, Restart.
const UNIT_KEY = /^[A-Z][A-Za-z0-9]*$/;

/** One line of a unit file's value: no control characters, no final backslash (it would join the next line). */
const settingText = () =>
  lineSchema().refine((text) => !text.endsWith("\\"), {
    error: (issue) =>
      `${describeValue(issue.input)} ends with a backslash, which joins the next line of the unit file to it: remove it`,
  });

const unitName = z.string().regex(UNIT_NAME, {
  error: (issue) =>
    `${describeValue(issue.input)} is not a unit name: a name of letters, digits, ":", "_", ".", "@", "\\" and "-", and a unit type (e.g. "network-online.target", "postgresql.service")`,
});

const unitValue = z.union([settingText(), z.number(), z.boolean(), z.array(settingText())]);
const section = (what: string) =>
  z
    .record(
      z.string().regex(UNIT_KEY, { error: (issue) => `${describeValue(issue.input)} is not a unit setting` }),
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
    description: settingText()
      .optional()
      .meta({ description: "The unit's Description.", examples: ["Nightly backup"] }),
    after: z
      .array(unitName)
      .default([])
      .meta({ description: "Units this one starts after.", examples: [["network-online.target"]] }),
    wants: z
      .array(unitName)
      .default([])
      .meta({ description: "Units this one wants.", examples: [["network-online.target"]] }),
    wantedBy: z
      .array(unitName)
      .default(["multi-user.target"])
      .meta({ description: "Targets that start this unit when it is enabled." }),
    script: textSchema()
      .optional()
      .meta({
        description: "Shell commands the service runs (its ExecStart), as in NixOS.",
        examples: ["echo hello\nsleep infinity"],
      }),
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
            `${describeValue(issue.input)} is not a service name: letters, digits, ":", "_", "." and "-", not starting with "-" or ".", without ".service"`,
        }),
        serviceSchema,
      )
      .default({})
      .meta({ description: "systemd services, by name (without .service)." }),
  })
  .prefault({})
  .meta({ description: "systemd." });
