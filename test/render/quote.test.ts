import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import fc from "fast-check";
import { quote } from "../../src/render/quote.ts";

test("quotes what a shell would interpret, and leaves plain words alone", () => {
  const rows: [string, string][] = [
    ["/dev/sda", "/dev/sda"],
    ["disk-main-ESP", "disk-main-ESP"],
    ["", "''"],
    ["a b", "'a b'"],
    ["it's", "'it'\\''s'"],
    ["$(rm -rf /)", "'$(rm -rf /)'"],
  ];
  for (const [value, quoted] of rows) assert.equal(quote(value), quoted, value);
});

test("sh reads every quoted string back exactly", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: "binary" }).filter((text) => !text.includes("\0")),
      (text) => {
        const printed = execFileSync("/bin/sh", ["-c", `printf '%s' ${quote(text)}`]);
        assert.equal(printed.toString("utf8"), Buffer.from(text, "utf8").toString("utf8"));
      },
    ),
    { numRuns: 200 },
  );
});

test("refuses a NUL byte, which no shell argument can hold", () => {
  assert.throws(() => quote("a\0b"), /NUL/);
});
