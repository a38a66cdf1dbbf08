import { z } from "zod";

// Debian's adduser default NAME_REGEX: the name reaches shell commands and file paths, so it is checked here.
const USER_NAME = /^[a-z_][a-z0-9_-]*\$?$/;

const userSchema = z
  .strictObject({
    openssh: z
      .strictObject({
        authorizedKeys: z
          .strictObject({
            keys: z
              .array(z.string())
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
      .record(
        z.string().regex(USER_NAME, {
          error: (issue) =>
            `${JSON.stringify(issue.input)} is not a user name: use lowercase letters, digits, "_" and "-", starting with a letter or "_"`,
        }),
        userSchema,
      )
      .default({})
      .meta({ description: "User accounts by name." }),
  })
  .prefault({})
  .meta({ description: "Users and their access." });
