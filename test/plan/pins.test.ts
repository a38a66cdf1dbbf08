import assert from "node:assert/strict";
import { test } from "node:test";
import { formatLock, parseLock } from "../../src/plan/pins.ts";
import { assertRecordError } from "../facts/assert-record-error.ts";

const FILE = "/srv/web/groundwork.lock";
const LOCK = {
  version: 1,
  distribution: "debian",
  suite: "bookworm",
  mirror: "http://deb.debian.org/debian",
  packages: { htop: "3.2.2-2", libc6: "2.36-9+deb12u4" },
} as const;
const text = (lock: object) => JSON.stringify(lock, null, 2);

test("reads the lock it formats", () => {
  assert.deepEqual(parseLock(formatLock(LOCK), FILE), LOCK);
});

test("reads a lock without a version as version 1", () => {
  const { version: _, ...unversioned } = LOCK;
  assert.deepEqual(parseLock(text(unversioned), FILE), LOCK);
});

for (const [name, lockText, code, message] of [
  [
    "a lock of a newer groundwork",
    text({ ...LOCK, version: 2 }),
    "GW_RECORD_NEWER",
    "/srv/web/groundwork.lock was written by a newer groundwork (version 2): upgrade groundwork",
  ],
  [
    "a lock that is not JSON",
    text(LOCK).slice(0, -3),
    "GW_RECORD_DAMAGED",
    /^\/srv\/web\/groundwork\.lock is damaged \(not JSON: .+\): repair it, or remove it and run groundwork pins init$/,
  ],
  [
    "a lock of the wrong shape",
    text({ ...LOCK, packages: { htop: "3.2.2 2" } }),
    "GW_RECORD_DAMAGED",
    /^\/srv\/web\/groundwork\.lock is damaged \(packages\.htop: Invalid string: must match pattern .+\): repair it, or remove it and run groundwork pins init$/,
  ],
  [
    "a lock that is a list",
    "[]",
    "GW_RECORD_DAMAGED",
    "/srv/web/groundwork.lock is damaged (not a JSON object): repair it, or remove it and run groundwork pins init",
  ],
] as const) {
  test(`${name} is refused as bad input, saying what to do`, () => {
    const error = assertRecordError(() => parseLock(lockText, FILE), code, message);
    assert.equal(error.exitCode, 2, "a lock is the user's input");
  });
}
