import assert from "node:assert/strict";
import { RecordError } from "../../src/errors/index.ts";

/** Assert that `read` throws a RecordError with `code` whose message is `message` (or matches it). */
export function assertRecordError(read: () => unknown, code: string, message: string | RegExp): RecordError {
  let thrown: unknown;
  try {
    read();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof RecordError, `expected a RecordError, got ${String(thrown)}`);
  assert.equal(thrown.code, code);
  if (typeof message === "string") assert.equal(thrown.message, message);
  else assert.match(thrown.message, message);
  return thrown;
}
