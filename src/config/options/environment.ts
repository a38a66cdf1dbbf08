import { z } from "zod";

// Debian policy: package names are lowercase letters, digits, +, - and ., at least two characters.
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;

// A path below /etc: no leading slash, no "." or ".." parts, characters that are safe in unit and file names.
const ETC_PATH = /^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9_.+@-]+(\/[A-Za-z0-9_.+@-]+)*$/;
const OWNER = /^[a-z_][a-z0-9_-]*$/;

const etcFileSchema = z
  .strictObject({
    enable: z.boolean().default(true).meta({ description: "Whether to write this file." }),
    text: z.string().optional().meta({ description: "The file's content." }),
    source: z
      .string()
      .regex(/^\//, {
        error: () => 'give an absolute path, e.g. new URL("./motd", import.meta.url).pathname',
      })
      .optional()
      .meta({ description: "A local file whose content is copied (an absolute path)." }),
    mode: z
      .string()
      .regex(/^0?[0-7]{3,4}$/, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a file mode (e.g. "0644")`,
      })
      .default("0644")
      .meta({ description: "The file's mode, in octal." }),
    user: z.string().regex(OWNER).default("root").meta({ description: "Owner of the file." }),
    group: z.string().regex(OWNER).default("root").meta({ description: "Group of the file." }),
  })
  .refine((file) => !file.enable || (file.text === undefined) !== (file.source === undefined), {
    error: "give either text or source",
  })
  .meta({ description: "A file below /etc." });

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
    etc: z
      .record(
        z.string().regex(ETC_PATH, {
          error: (issue) =>
            `${JSON.stringify(issue.input)} is not a path below /etc: write it without /etc/ and without "." or ".." parts (e.g. "motd", "nginx/conf.d/site.conf")`,
        }),
        etcFileSchema,
      )
      .default({})
      .meta({
        description: "Files below /etc, by path: groundwork writes them and removes those taken out.",
        examples: [{ motd: { text: "Welcome\n" } }],
      }),
  })
  .prefault({})
  .meta({ description: "The software environment." });
