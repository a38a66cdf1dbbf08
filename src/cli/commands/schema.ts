import type { Command } from "commander";
import type { Output } from "../output.ts";

/** `groundwork schema`: the JSON Schema of every option. */
export function registerSchema(program: Command, output: Output): void {
  program
    .command("schema")
    .description("print the JSON Schema of every option (for $schema in JSON configurations)")
    .action(async () => {
      const { configJsonSchema } = await import("../../config/json-schema.ts");
      output.stdout(JSON.stringify(configJsonSchema(), null, 2));
    });
}
