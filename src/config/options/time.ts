import { z } from "zod";

export const timeSchema = z
  .strictObject({
    timeZone: z
      .string()
      .regex(/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/, {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not a time zone name (e.g. "Europe/Berlin", "UTC")`,
      })
      .optional()
      .meta({ description: "Time zone; UTC when unset.", examples: ["Europe/Berlin"] }),
  })
  .prefault({})
  .meta({ description: "Time settings." });
