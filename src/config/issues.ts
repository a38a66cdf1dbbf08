import { z } from "zod";
import type { Problem } from "../errors/index.ts";
import { displayFile } from "./display-file.ts";
import { formatOptionPath } from "./option-path.ts";
import { objectKeys, schemaAt, valueAt } from "./schema-at.ts";
import { closest, suggestion } from "./suggest.ts";
import { quoteText } from "./text.ts";

type Issue = z.core.$ZodIssue;

/** What turning zod's issues into problems needs to know. */
export interface IssueContext {
  readonly schema: z.core.$ZodType;
  /** The merged definitions that were parsed. */
  readonly input: unknown;
  /** The file that set the value at a path, or at the longest prefix of it that some file set. */
  readonly fileOf: (path: readonly PropertyKey[]) => string | undefined;
}

/** A value as an error message shows it. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object" && value !== null) return "an attribute set";
  if (typeof value === "string") return quoteText(value);
  const text = typeof value === "bigint" ? `${value}` : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const TYPE_NAMES: Record<string, string> = { array: "list", object: "attribute set" };

function quoted(values: readonly unknown[]): string {
  return values.map((value) => describeValue(value)).join(", ");
}

/** Whether zod's own wording was replaced by the schema's (`{ error: … }`), which then says it best. */
function hasCustomMessage(issue: Issue, input: unknown): boolean {
  const localeError = z.config().localeError;
  if (localeError === undefined) return true;
  const standard = localeError({ ...issue, input } as never);
  return (typeof standard === "string" ? standard : standard?.message) !== issue.message;
}

function bound(issue: Extract<Issue, { code: "too_big" | "too_small" }>, given: unknown): string {
  const big = issue.code === "too_big";
  const limit = big ? issue.maximum : issue.minimum;
  const word = big
    ? issue.inclusive === false
      ? "less than"
      : "at most"
    : issue.inclusive === false
      ? "more than"
      : "at least";
  switch (issue.origin) {
    case "string":
      return `${describeValue(given)} is too ${big ? "long" : "short"}: ${word} ${limit} characters`;
    case "array":
    case "set":
      return !big && limit === 1
        ? "must not be empty"
        : `has ${big ? "too many" : "too few"} items: ${word} ${limit}`;
    default:
      return `${describeValue(given)} is too ${big ? "large" : "small"}: ${word} ${limit}`;
  }
}

function sentence(issue: Issue, given: unknown, context: IssueContext): string {
  switch (issue.code) {
    case "invalid_type":
      if (given === undefined)
        return `required, but no module sets it (expected ${TYPE_NAMES[issue.expected] ?? issue.expected})`;
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${describeValue(given)}`;
    case "invalid_value": {
      if (issue.values.length === 1)
        return `expected ${describeValue(issue.values[0])}, got ${describeValue(given)}`;
      const near = typeof given === "string" ? closest(given, issue.values.map(String)) : undefined;
      const hint = near === undefined ? "" : `; did you mean ${JSON.stringify(near)}?`;
      return `${describeValue(given)} is not allowed: expected one of ${quoted(issue.values)}${hint}`;
    }
    case "invalid_union": {
      if (issue.discriminator !== undefined) {
        const options = (issue as { options?: unknown[] }).options ?? [];
        if (given === undefined) return `missing: set it to one of ${quoted(options)}`;
        const near = typeof given === "string" ? closest(given, options.map(String)) : undefined;
        const hint = near === undefined ? "" : `; did you mean ${JSON.stringify(near)}?`;
        return `${describeValue(given)} is not a known kind: expected one of ${quoted(options)}${hint}`;
      }
      if (hasCustomMessage(issue, given)) return issue.message;
      const first = issue.errors[0]?.[0];
      const reason = first === undefined ? "" : `: ${sentence(first, valueAt(given, first.path), context)}`;
      return `${describeValue(given)} matches none of the allowed forms${reason}`;
    }
    case "too_big":
    case "too_small":
      return hasCustomMessage(issue, given) ? issue.message : bound(issue, given);
    case "invalid_format":
      if (hasCustomMessage(issue, given)) return issue.message;
      return `${describeValue(given)} is not valid: expected ${issue.format === "regex" ? `text matching ${issue.pattern}` : `a ${issue.format}`}`;
    case "not_multiple_of":
      return `${describeValue(given)} is not a multiple of ${issue.divisor}`;
    case "invalid_key":
    case "invalid_element": {
      const inner = issue.issues[0];
      const subject = issue.code === "invalid_key" ? "name" : "element";
      return inner === undefined
        ? `invalid ${subject}`
        : sentence(inner, issue.code === "invalid_key" ? issue.path.at(-1) : given, context);
    }
    case "unrecognized_keys":
      return `unknown options ${quoted(issue.keys)}`;
    case "custom":
      return issue.message;
  }
}

/** One problem per issue (per key for unknown options), each naming the option path and the file that set it. */
export function issueProblems(issues: readonly Issue[], context: IssueContext): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    if (issue.code === "unrecognized_keys") {
      const allowed = objectKeys(schemaAt(context.schema, issue.path, context.input) ?? z.never()) ?? [];
      return issue.keys.map((key) =>
        problem(
          context,
          [...issue.path, key],
          `unknown option ${JSON.stringify(key)}; ${suggestion(key, allowed)}`,
        ),
      );
    }
    return [problem(context, issue.path, sentence(issue, valueAt(context.input, issue.path), context))];
  });
}

function problem(context: IssueContext, path: readonly PropertyKey[], message: string): Problem {
  const file = context.fileOf(path);
  return {
    ...(file === undefined ? {} : { file: displayFile(file) }),
    path: formatOptionPath(path),
    message,
  };
}
