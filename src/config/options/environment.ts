import { z } from "zod";
import { describeValue } from "../issues.ts";
import { accountReferenceSchema, packageNameSchema } from "../names.ts";
import { lineSchema, textSchema } from "../text.ts";

// A path below /etc: no leading slash, no "." or ".." parts, no part that starts with "-" (a command would
// read it as an option), characters that are safe in unit and file names.
const ETC_PATH = /^(?!\/)(?!.*(^|\/)\.\.?(\/|$))(?!(.*\/)?-)[A-Za-z0-9_.+@-]+(\/[A-Za-z0-9_.+@-]+)*$/;

const etcFileSchema = z
  .strictObject({
    enable: z.boolean().default(true).meta({ description: "Whether to write this file." }),
    text: textSchema()
      .optional()
      .meta({ description: "The file's content (any text but a NUL byte).", examples: ["Welcome\n"] }),
    source: lineSchema()
      .regex(/^\//, {
        error: () => 'give an absolute path, e.g. new URL("./motd", import.meta.url).pathname',
      })
      .optional()
      .meta({
        description: "A local file whose content is copied (an absolute path).",
        examples: ["/home/alice/machines/web1/motd"],
      }),
    mode: z
      .string()
      .regex(/^0?[0-7]{3,4}$/, {
        error: (issue) => `${describeValue(issue.input)} is not a file mode (e.g. "0644")`,
      })
      .default("0644")
      .meta({ description: "The file's mode, in octal.", examples: ["0600"] }),
    user: accountReferenceSchema("user")
      .default("root")
      .meta({ description: "Owner of the file.", examples: ["www-data"] }),
    group: accountReferenceSchema("group")
      .default("root")
      .meta({ description: "Group of the file.", examples: ["www-data"] }),
  })
  .refine((file) => !file.enable || (file.text === undefined) !== (file.source === undefined), {
    error: "give either text or source",
  })
  .meta({ description: "A file below /etc." });

export const environmentSchema = z
  .strictObject({
    systemPackages: z
      .array(packageNameSchema())
      .default([])
      .meta({ description: "Debian packages to install.", examples: [["htop", "curl"]] }),
    etc: z
      .record(
        z.string().regex(ETC_PATH, {
          error: (issue) =>
            `${describeValue(issue.input)} is not a path below /etc: write it without /etc/, without "." or ".." parts and without parts that start with "-" (e.g. "motd", "nginx/conf.d/site.conf")`,
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
