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
  })
  .prefault({})
  .meta({ description: "The system as a whole." });
