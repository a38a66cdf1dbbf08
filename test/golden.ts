import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Compare `actual` with the golden file at `path`; UPDATE_GOLDEN=1 writes it instead. Review golden diffs like code. */
export function assertGolden(path: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(path)) {
    if (process.env.CI === undefined || process.env.UPDATE_GOLDEN === "1") {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, actual);
      return;
    }
  }
  assert.equal(
    actual,
    readFileSync(path, "utf8"),
    `${path} differs: if the change is intended, run with UPDATE_GOLDEN=1 and review the diff`,
  );
}
