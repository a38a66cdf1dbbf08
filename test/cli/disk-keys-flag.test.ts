// --disk-encryption-keys REMOTE LOCAL: two words per use, read back as pairs; bad ones refused before anything runs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { pairDiskKeyArguments } from "../../src/cli/disk-keys-flag.ts";
import { main } from "../../src/cli/main.ts";
import type { Output } from "../../src/cli/output.ts";

function capture(): Output & { err: string[] } {
  const err: string[] = [];
  return { err, stdout: () => {}, stderr: (text) => err.push(text) };
}

test("each --disk-encryption-keys takes the two words after it, as nixos-anywhere's does", () => {
  assert.deepEqual(
    pairDiskKeyArguments([
      "deploy",
      "--disk-encryption-keys",
      "/tmp/a.key",
      "./a.key",
      "cfg",
      "--disk-encryption-keys",
      "/tmp/b.key",
      "b key",
      "root@host",
    ]),
    [
      "deploy",
      "--disk-encryption-keys",
      '["/tmp/a.key","./a.key"]',
      "cfg",
      "--disk-encryption-keys",
      '["/tmp/b.key","b key"]',
      "root@host",
    ],
  );
  // After "--" nothing is an option.
  assert.deepEqual(pairDiskKeyArguments(["x", "--", "--disk-encryption-keys", "a", "b"]), [
    "x",
    "--",
    "--disk-encryption-keys",
    "a",
    "b",
  ]);
});

test("a key without its second path, a relative place on the target, or one place given twice is refused", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["deploy", "examples/seed", "root@host", "--disk-encryption-keys", "/tmp/a.key"],
      /--disk-encryption-keys takes two paths: where the key goes on the target, and the key file here/,
    ],
    [
      ["deploy", "examples/seed", "root@host", "--disk-encryption-keys", "tmp/a.key", "./a.key"],
      /--disk-encryption-keys "tmp\/a\.key": it is not an absolute path; give the absolute path the layout names/,
    ],
    [
      [
        "test",
        "examples/seed",
        "--disk-encryption-keys",
        "/tmp/a.key",
        "./a",
        "--disk-encryption-keys",
        "/tmp/a.key",
        "./b",
      ],
      /--disk-encryption-keys \/tmp\/a\.key is given twice/,
    ],
  ];
  for (const [argv, expected] of cases) {
    const output = capture();
    assert.equal(await main(argv, output), 2, argv.join(" "));
    assert.match(output.err.join("\n"), expected);
  }
});
