import { z } from "zod";
import { describeValue } from "../issues.ts";

// A tz database name: parts of letters, digits, "_", "+" and "-", separated by "/", a letter first.
const TIME_ZONE = /^(?=.{1,64}$)[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

export const timeSchema = z
  .strictObject({
    timeZone: z
      .string()
      .regex(TIME_ZONE, {
        error: (issue) =>
          `${describeValue(issue.input)} is not a time zone name (e.g. "Europe/Berlin", "UTC"); see timedatectl list-timezones`,
      })
      .optional()
      .meta({ description: "Time zone; UTC when unset.", examples: ["Europe/Berlin"] }),
  })
  .prefault({})
  .meta({ description: "Time settings." });
