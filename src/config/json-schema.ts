import { z } from "zod";
import { configSchema } from "./schema.ts";

/** Identifies the schema; JSON modules point at the file with `"$schema"`. */
export const CONFIG_SCHEMA_ID = "urn:groundwork:configuration";

/** The JSON Schema of every option, for editors checking JSON modules (`"$schema": ".../schema.json"`). */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, { io: "input", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
  const properties = (generated.properties ?? {}) as Record<string, unknown>;
  return {
    $schema: generated.$schema,
    $id: CONFIG_SCHEMA_ID,
    title: "groundwork configuration module",
    ...generated,
    properties: {
      $schema: { type: "string", description: "The JSON Schema of this file; ignored by groundwork." },
      imports: {
        type: "array",
        items: { type: "string" },
        description:
          "Modules this one builds on: paths relative to this file (a folder means its configuration.ts).",
      },
      ...properties,
    },
  };
}
