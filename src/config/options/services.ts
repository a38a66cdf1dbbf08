import { z } from "zod";

const opensshSchema = z
  .strictObject({
    enable: z.boolean().default(false).meta({ description: "Whether to run the OpenSSH server." }),
  })
  .prefault({})
  .meta({ description: "The OpenSSH server." });

export const servicesSchema = z
  .strictObject({ openssh: opensshSchema })
  .prefault({})
  .meta({ description: "System services." });
