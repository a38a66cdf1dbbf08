import assert from "node:assert/strict";
import { test } from "node:test";
import { readUnlockOutcome } from "../../src/render/unlock-command.ts";

test("one run of cryptroot-unlock reads as the device it opened, none locked, or a refusal with its reason", () => {
  assert.deepEqual(
    readUnlockOutcome(0, "Please unlock disk crypted\n", "cryptsetup: crypted set up successfully\n"),
    {
      kind: "unlocked",
      name: "crypted",
    },
  );
  assert.deepEqual(readUnlockOutcome(0, "", ""), { kind: "none-locked" });
  assert.deepEqual(
    readUnlockOutcome(
      1,
      "Please unlock disk crypted\n",
      "cryptsetup: cryptsetup failed, bad password or options?\n",
    ),
    { kind: "refused", name: "crypted", reason: "cryptsetup: cryptsetup failed, bad password or options?" },
  );
  // Booted as far as its SSH server, not yet as far as the prompt: asked again later.
  assert.deepEqual(readUnlockOutcome(1, "", "Error: Timeout reached while waiting for askpass.\n"), {
    kind: "not-asking",
  });
  assert.deepEqual(readUnlockOutcome(127, "", ""), { kind: "refused", name: undefined, reason: "exit 127" });
});
