import { z } from "zod";

export const systemSchema = z
  .strictObject({
    stateVersion: z
      .string()
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
          .url({ protocol: /^https?$/ })
          .default("http://deb.debian.org/debian")
          .meta({ description: "Debian mirror to build the system from." }),
      })
      .prefault({})
      .meta({ description: "The Debian release and mirror the system is built from." }),
  })
  .prefault({})
  .meta({ description: "The system as a whole." });
