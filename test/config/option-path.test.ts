import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { formatOptionPath, parseOptionPath } from "../../src/config/option-path.ts";
import { closest, editDistance } from "../../src/config/suggest.ts";

const paths: readonly [string, (string | number)[]][] = [
  ["networking.hostName", ["networking", "hostName"]],
  ['disko.devices.disk."my disk".device', ["disko", "devices", "disk", "my disk", "device"]],
  ['users.users."a.b"', ["users", "users", "a.b"]],
  ["boot.loader.grub.devices[0]", ["boot", "loader", "grub", "devices", 0]],
];

test("formats option paths as Nix does, quoting names that are not identifiers", () => {
  for (const [text, segments] of paths) assert.equal(formatOptionPath(segments), text);
});

test("parses what it formats", () => {
  for (const [text, segments] of paths) assert.deepEqual(parseOptionPath(text), segments);
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string({ minLength: 1 }), fc.nat()), { minLength: 1 }), (segments) => {
      assert.deepEqual(parseOptionPath(formatOptionPath(segments)), segments);
    }),
  );
});

test("rejects malformed paths", () => {
  for (const text of ['a."b', "a[x]", 'a"b"']) assert.equal(parseOptionPath(text), undefined, text);
});

test("suggests the one close name, counting swapped letters as one edit", () => {
  assert.equal(editDistance("gtp", "gpt"), 1);
  assert.equal(closest("efiSuport", ["efiSupport", "devices"]), "efiSupport");
  assert.equal(closest("hostname", ["hostName"]), "hostName");
  assert.equal(closest("ext5", ["ext2", "ext3", "ext4"]), undefined);
  assert.equal(closest("frobnicate", ["boot", "disko"]), undefined);
});
