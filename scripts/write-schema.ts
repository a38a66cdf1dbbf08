// Writes schema.json, the JSON Schema of every option (test/config/json-schema.test.ts keeps it current).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { configJsonSchema } from "../src/config/json-schema.ts";
import { packageRoot } from "../src/config/package-root.ts";

const file = join(packageRoot(), "schema.json");
writeFileSync(file, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file}`);
