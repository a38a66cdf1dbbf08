import assert from "node:assert/strict";
import { test } from "node:test";

test("loading the QEMU machine code registers no exit handler: the first machine does", async () => {
  const before = process.listenerCount("exit");
  await import("../../src/vm/qemu-machine.ts");
  assert.equal(process.listenerCount("exit"), before);
});
