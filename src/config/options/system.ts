import { z } from "zod";
import { describeValue } from "../issues.ts";

export const systemSchema = z
  .strictObject({
    stateVersion: z
      .string()
      .regex(/^[0-9]+(\.[0-9]+)*$/, {
        error: (issue) => `${describeValue(issue.input)} is not a release number (e.g. "24.11")`,
      })
      .optional()
      .meta({
        description:
          "The release whose defaults the stored state (data formats, paths) follows; set once at install, as in NixOS.",
        examples: ["24.11"],
      }),
    distribution: z
      .strictObject({
        suite: z.enum(["bookworm"]).default("bookworm").meta({ description: "Debian release to install." }),
        mirror: z
          .string()
          // The URL reaches sources.list, where white space separates fields; checked before the URL parser
          // drops line breaks and tabs.
          .regex(/^[!-~]+$/, {
            error: (issue) =>
              `${describeValue(issue.input)} is not a mirror URL: printable ASCII without spaces or control characters (percent-encode the others)`,
          })
          .pipe(z.url({ protocol: /^https?$/ }))
          .default("http://deb.debian.org/debian")
          .meta({
            description: "Debian mirror to build the system from.",
            examples: ["http://deb.debian.org/debian"],
          }),
      })
      .prefault({})
      .meta({ description: "The Debian release and mirror the system is built from." }),
  })
  .prefault({})
  .meta({ description: "The system as a whole." });
