import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { diagnoseSsh } from "../../src/transport/ssh-error.ts";

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");
const result = (stderr: string, exitCode = 255) => ({
  command: "ssh",
  exitCode,
  stdout: "",
  stderr,
  durationMs: 1,
});

test("explains ssh's own failures from its recorded stderr, keeping what it said", () => {
  const rows: [string, string, RegExp][] = [
    ["ssh-connection-refused.stderr", "GW_SSH_REFUSED", /--ssh-port/],
    ["ssh-resolve.stderr", "GW_SSH_RESOLVE", /does not resolve/],
    [
      "ssh-host-key-unknown.stderr",
      "GW_SSH_HOST_KEY_UNKNOWN",
      /no host key recorded for it in \/known_hosts/,
    ],
  ];
  for (const [file, code, advice] of rows) {
    const stderr = fixture(file);
    const error = diagnoseSsh("root@host", result(stderr), "/known_hosts");
    assert.equal(error?.code, code, file);
    assert.match(error?.message ?? "", advice);
    assert.ok(error?.message.includes(stderr.trim().split("\n").at(-1) ?? ""), "keeps ssh's words");
    assert.equal(error?.result?.stderr, stderr);
  }
});

test("leaves a command's own non-zero exit to the caller", () => {
  assert.equal(diagnoseSsh("root@host", result("mkfs failed", 1), "/known_hosts"), undefined);
});
