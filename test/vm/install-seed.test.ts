import assert from "node:assert/strict";
import { test } from "node:test";
import { main } from "../../src/cli/main.ts";

function capture() {
  const lines: string[] = [];
  return {
    lines,
    output: { stdout: (text: string) => lines.push(text), stderr: (text: string) => lines.push(text) },
  };
}

test("groundwork test examples/seed installs the seed into a QEMU machine that boots under BIOS and UEFI", {
  skip: process.getuid?.() !== 0 && "needs root for mmdebstrap",
}, async () => {
  const { lines, output } = capture();
  const code = await main(["test", "examples/seed"], output);
  const text = lines.join("\n");
  assert.equal(code, 0, text);
  assert.match(text, /boots under BIOS: disks, mounts, host name and root's SSH login as declared/);
  assert.match(text, /boots under UEFI: disks, mounts, host name and root's SSH login as declared/);
  assert.match(text, /install\s+\d+\.\d s/);
});
