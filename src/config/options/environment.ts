import { z } from "zod";

// Debian policy: package names are lowercase letters, digits, +, - and ., at least two characters.
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;

export const environmentSchema = z
  .strictObject({
    systemPackages: z
      .array(
        z.string().regex(PACKAGE_NAME, {
          error: (issue) =>
            `${JSON.stringify(issue.input)} is not a Debian package name (e.g. "htop", "postgresql-15")`,
        }),
      )
      .default([])
      .meta({ description: "Debian packages to install.", examples: [["htop", "curl"]] }),
  })
  .prefault({})
  .meta({ description: "The software environment." });
