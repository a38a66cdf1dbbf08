// The keys a LUKS layout needs: which must come along, how they travel, and what is typed at the boot prompt.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { planDeploy } from "../../src/plan/deploy-plan.ts";
import { bootPassphrases, missingKeyProblems, neededKeys } from "../../src/plan/disk-keys.ts";
import { renderPlaceKeys } from "../../src/render/keys-script.ts";

const EXAMPLE = "examples/encrypted-server";
const bytes = (text: string) => new TextEncoder().encode(text);

test("the disk and install phases need every key file of the layout; the reboot alone needs none", async () => {
  const plan = planDeploy((await loadConfig(EXAMPLE)).config, { rootMountpoint: "/mnt" });
  assert.deepEqual(neededKeys(plan.disk.steps), [{ file: "/tmp/secret.key", device: "crypted" }]);
  assert.deepEqual(missingKeyProblems(plan, ["disk", "install", "reboot"], []), [
    "LUKS device crypted is opened with the key file /tmp/secret.key, which is not given: add --disk-encryption-keys /tmp/secret.key LOCAL_FILE",
  ]);
  assert.deepEqual(missingKeyProblems(plan, ["install"], [{ remote: "/tmp/secret.key", local: "k" }]), []);
  assert.deepEqual(missingKeyProblems(plan, ["reboot"], []), []);
  assert.equal(plan.packages.includes("cryptsetup-initramfs"), true);
});

test("the boot prompt gets the passphrase without its trailing newline; a key that cannot be typed is refused", async () => {
  const plan = planDeploy((await loadConfig(EXAMPLE)).config, { rootMountpoint: "/mnt" });
  assert.deepEqual(
    [...bootPassphrases(plan, [{ remote: "/tmp/secret.key", bytes: bytes("my pass phrase\n\n") }])],
    [["crypted", "my pass phrase"]],
  );
  assert.throws(
    () => bootPassphrases(plan, [{ remote: "/tmp/secret.key", bytes: bytes("two\nlines") }]),
    /the key \/tmp\/secret\.key of LUKS device crypted cannot be typed at its boot prompt/,
  );
});

test("keys travel base64-encoded inside the script, written for root alone", () => {
  const script = renderPlaceKeys([
    { remote: "/tmp/keys/secret.key", bytes: bytes("s3cret'; rm -rf /\n") },
    { remote: "/run/k", bytes: new Uint8Array([0, 255, 10]) },
  ]);
  execFileSync("/bin/sh", ["-n"], { input: script });
  assert.ok(!script.includes("s3cret"));
  assert.ok(script.includes("umask 077"));
  assert.ok(script.includes("mkdir -p /tmp/keys"));
  assert.ok(
    script.includes(
      `printf '%s' ${Buffer.from("s3cret'; rm -rf /\n").toString("base64")} | base64 -d > /tmp/keys/secret.key`,
    ),
  );
});
