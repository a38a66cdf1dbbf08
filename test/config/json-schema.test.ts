import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { configJsonSchema } from "../../src/config/json-schema.ts";

test("schema.json is current: regenerate with node --import tsx scripts/write-schema.ts", () => {
  const checkedIn = JSON.parse(
    readFileSync(join(import.meta.dirname, "../../schema.json"), "utf8"),
  ) as unknown;
  assert.deepEqual(checkedIn, configJsonSchema());
});

test("the JSON Schema allows $schema and imports, and rejects unknown options", () => {
  const schema = configJsonSchema() as { properties: Record<string, unknown>; additionalProperties: unknown };
  assert.ok("$schema" in schema.properties);
  assert.ok("imports" in schema.properties);
  assert.equal(schema.additionalProperties, false);
});
