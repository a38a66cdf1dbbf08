import { z } from "zod";

const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

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
  })
  .prefault({})
  .meta({ description: "Networking." });
