import { z } from "zod";

// Debian's adduser default NAME_REGEX: the name reaches shell commands and file paths, so it is checked here.
const USER_NAME = /^[a-z_][a-z0-9_-]*\$?$/;

const userSchema = z
  .strictObject({
    isNormalUser: z
      .boolean()
      .default(false)
      .meta({ description: "A login user with a home in /home and a shell (root is never one)." }),
    extraGroups: z
      .array(
        z
          .string()
          .regex(USER_NAME, { error: (issue) => `${JSON.stringify(issue.input)} is not a group name` }),
      )
      .default([])
      .meta({
        description: 'Supplementary groups; "wheel" may use sudo, as in NixOS.',
        examples: [["wheel"]],
      }),
    hashedPassword: z
      .string()
      .regex(/^[^:\n]*$/, { error: () => 'a password hash cannot contain ":" or a line break' })
      .optional()
      .meta({
        description: "Password hash for /etc/shadow (mkpasswd -m yescrypt); unset locks the password.",
      }),
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
