import { z } from "zod";

const opensshSchema = z
  .strictObject({
    enable: z.boolean().default(false).meta({ description: "Whether to run the OpenSSH server." }),
    settings: z
      .strictObject({
        PermitRootLogin: z
          .enum(["yes", "without-password", "prohibit-password", "forced-commands-only", "no"])
          .default("prohibit-password")
          .meta({ description: "sshd's PermitRootLogin." }),
        PasswordAuthentication: z
          .boolean()
          .default(true)
          .meta({ description: "sshd's PasswordAuthentication." }),
      })
      .prefault({})
      .meta({ description: "sshd_config settings." }),
  })
  .prefault({})
  .meta({ description: "The OpenSSH server." });

export const servicesSchema = z
  .strictObject({ openssh: opensshSchema })
  .prefault({})
  .meta({ description: "System services." });
