import { z } from "zod";
import { accountNameSchema, accountReferenceSchema } from "../names.ts";
import { publicKeySchema } from "../ssh-public-key.ts";

const userSchema = z
  .strictObject({
    isNormalUser: z
      .boolean()
      .default(false)
      .meta({ description: "A login user with a home in /home and a shell (root is never one)." }),
    extraGroups: z
      .array(accountReferenceSchema("group"))
      .default([])
      .meta({
        description: 'Supplementary groups; "wheel" may use sudo, as in NixOS.',
        examples: [["wheel"]],
      }),
    hashedPassword: z
      .string()
      // crypt(3) output is printable ASCII; ":" separates /etc/shadow's fields; no hash starts with "-".
      .regex(/^(?!-)[!-9;-~]*$/, {
        error: () =>
          'a password hash is printable ASCII without spaces or ":", not starting with "-" (the output of mkpasswd -m yescrypt)',
      })
      .optional()
      .meta({
        description: "Password hash for /etc/shadow (mkpasswd -m yescrypt); unset locks the password.",
        examples: ["$y$j9T$Gq1Yb3lH0Z9k8Ww4ZQzQp/$2rYbq7s2n8Q3v5m1t0b9aXJ0yqgD5QbQ1vH7c2mYpD3"],
      }),
    openssh: z
      .strictObject({
        authorizedKeys: z
          .strictObject({
            keys: z
              .array(publicKeySchema)
              .default([])
              .meta({
                description: "Public keys allowed to log in as this user (lines of authorized_keys).",
                examples: [["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… alice@laptop"]],
              }),
          })
          .prefault({})
          .meta({ description: "Keys for public-key login." }),
      })
      .prefault({})
      .meta({ description: "SSH settings of this user." }),
  })
  .meta({ description: "A user account." });

export const usersSchema = z
  .strictObject({
    users: z
      .record(accountNameSchema("user"), userSchema)
      .default({})
      .meta({ description: "User accounts by name." }),
  })
  .prefault({})
  .meta({ description: "Users and their access." });
