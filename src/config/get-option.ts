import { ConfigError } from "../errors/index.ts";
import { formatOptionPath, parseOptionPath } from "./option-path.ts";
import { type Config, configSchema } from "./schema.ts";
import { objectKeys, ownValue, schemaAt } from "./schema-at.ts";
import { suggestion } from "./suggest.ts";

/** The value of a dotted option path (`boot.loader.grub.devices`), for `groundwork eval`. */
export function getOption(config: Config, path: string): unknown {
  const segments = parseOptionPath(path);
  if (segments === undefined || segments.length === 0) {
    throw new ConfigError([
      { path, message: 'not an option path: write names joined by dots, e.g. "boot.loader.grub"' },
    ]);
  }
  let value: unknown = config;
  for (const [index, segment] of segments.entries()) {
    const parent = value;
    value = ownValue(parent, segment);
    if (value !== undefined) continue;
    const here = segments.slice(0, index + 1);
    const parentSchema = schemaAt(configSchema, here.slice(0, -1), config);
    const declared = parentSchema === undefined ? [] : (objectKeys(parentSchema) ?? []);
    // Declared but unset (an optional option) is not an error: its value is undefined.
    if (declared.includes(String(segment))) return undefined;
    const present = typeof parent === "object" && parent !== null ? Object.keys(parent) : [];
    const keys = [...new Set([...declared, ...present])];
    throw new ConfigError([
      { path: formatOptionPath(here), message: `no such option; ${suggestion(String(segment), keys)}` },
    ]);
  }
  return value;
}
