import type { z } from "zod";

type Schema = z.core.$ZodType;
type Segment = PropertyKey;

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "nonoptional", "catch"]);

/** The schema under its wrappers (optional, default, pipe…). */
function bare(schema: Schema, value: unknown): Schema {
  const def = schema._zod.def as unknown as {
    type: string;
    innerType?: Schema;
    in?: Schema;
    getter?: () => Schema;
  };
  if (WRAPPERS.has(def.type) && def.innerType !== undefined) return bare(def.innerType, value);
  if (def.type === "pipe" && def.in !== undefined) return bare(def.in, value);
  if (def.type === "lazy" && def.getter !== undefined) return bare(def.getter(), value);
  if (def.type === "union") {
    // A discriminated union's member is chosen by the tag the value holds.
    const { options, discriminator } = def as unknown as { options: Schema[]; discriminator?: string };
    if (discriminator === undefined) return schema;
    const tag = valueAt(value, [discriminator]);
    const match = options.find((option) => {
      const field = shapeOf(bare(option, value))?.[discriminator];
      return field !== undefined && isValid(field, tag);
    });
    return match === undefined ? schema : bare(match, value);
  }
  return schema;
}

function isValid(schema: Schema, value: unknown): boolean {
  const result = schema["~standard"].validate(value);
  return !(result instanceof Promise) && result.issues === undefined;
}

function shapeOf(schema: Schema): Record<string, Schema> | undefined {
  const def = schema._zod.def as unknown as { type: string; shape?: Record<string, Schema> };
  return def.type === "object" ? def.shape : undefined;
}

/** The option names an object schema allows, or undefined when it is not an object. */
export function objectKeys(schema: Schema): string[] | undefined {
  const shape = shapeOf(schema);
  return shape === undefined ? undefined : Object.keys(shape);
}

/** The schema of the option at `path`, choosing union members by what `input` holds there. */
export function schemaAt(root: Schema, path: readonly Segment[], input: unknown): Schema | undefined {
  let schema: Schema | undefined = bare(root, input);
  let value = input;
  for (const segment of path) {
    if (schema === undefined) return undefined;
    const def = schema._zod.def as unknown as {
      type: string;
      shape?: Record<string, Schema>;
      valueType?: Schema;
      element?: Schema;
    };
    value = ownValue(value, segment);
    const next =
      def.type === "object"
        ? def.shape !== undefined && Object.hasOwn(def.shape, segment)
          ? def.shape[String(segment)]
          : undefined
        : def.type === "record"
          ? def.valueType
          : def.type === "array"
            ? def.element
            : undefined;
    schema = next === undefined ? undefined : bare(next, value);
  }
  return schema;
}

/** The value `parent` holds itself under `segment`: never one it inherits (`constructor`, `__proto__`). */
export function ownValue(parent: unknown, segment: Segment): unknown {
  if (typeof parent !== "object" || parent === null || !Object.hasOwn(parent, segment)) return undefined;
  return (parent as Record<PropertyKey, unknown>)[segment];
}

/** The value of `input` at `path`, if any. */
export function valueAt(input: unknown, path: readonly Segment[]): unknown {
  let value = input;
  for (const segment of path) value = ownValue(value, segment);
  return value;
}
