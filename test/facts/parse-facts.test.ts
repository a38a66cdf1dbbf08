import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parseFacts, unescapeOctal } from "../../src/facts/parse-facts.ts";

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");

test("reads the facts a Debian 12 machine gives", () => {
  const facts = parseFacts(fixture("facts-debian12-host.txt"));
  assert.equal(facts.architecture, "x86_64");
  assert.equal(facts.os.id, "debian");
  assert.equal(facts.os.versionId, "12");
  assert.equal(facts.uid, 0);
  assert.equal(facts.firmware, "bios");
  assert.ok(facts.memoryBytes > 2 ** 30);
  assert.ok(facts.blockDevices.some((device) => device.type === "disk" && device.size > 0));
  assert.ok(facts.mounts.some((mount) => mount.target === "/"));
  assert.ok(facts.tools.includes("sgdisk"));
  assert.ok(
    facts.addresses.some((iface) => iface.addresses.some((address) => address.address === "127.0.0.1")),
  );
  assert.equal(facts.devices["/dev/loop0"], "/dev/loop0");
  assert.equal(facts.devices["/dev/nope"], "");
});

test("refuses output that ends early", () => {
  assert.throws(
    () => parseFacts(fixture("facts-debian12-host.txt").split("==> tools")[0] ?? ""),
    /did not finish/,
  );
});

test("unescapes /proc/mounts octal escapes", () => {
  assert.equal(unescapeOctal("/mnt/my\\040data\\134x"), "/mnt/my data\\x");
});
