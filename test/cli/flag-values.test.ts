import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { collectDiskDevice } from "../../src/cli/disk-devices.ts";
import {
  absolutePathProblem,
  parseLocalPath,
  parseMirror,
  parseMountpoint,
  parsePackageName,
  parsePlainText,
  parseSuite,
  parseWholeNumber,
} from "../../src/cli/flag-values.ts";
import { collectSshOption } from "../../src/cli/ssh-flags.ts";
import { UsageError } from "../../src/errors/index.ts";

const SECONDS = { min: 10, max: 86_400, what: "whole seconds", example: 600 };

test("reads a whole number in decimal within its range, and refuses every other spelling", () => {
  const accepted: [string, number][] = [
    ["10", 10],
    ["600", 600],
    ["86400", 86_400],
  ];
  for (const [text, value] of accepted)
    assert.equal(parseWholeNumber("--reboot-timeout", text, SECONDS), value);
  for (const text of [
    "abc",
    "-5",
    "1.5e9",
    "1e3",
    "0x258",
    "600.0",
    " 600",
    "600 ",
    "0600",
    "9",
    "86401",
    "",
    "+600",
  ])
    assert.throws(
      () => parseWholeNumber("--reboot-timeout", text, SECONDS),
      /^UsageError: --reboot-timeout ".*": give whole seconds from 10 to 86400, in decimal, e\.g\. --reboot-timeout 600$/,
      JSON.stringify(text),
    );
});

test("any text is a whole number that prints back as itself, or a UsageError", () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.double().map(String), fc.bigInt().map(String)), (text) => {
      let value: number;
      try {
        value = parseWholeNumber("--reboot-timeout", text, SECONDS);
      } catch (error) {
        assert.ok(error instanceof UsageError, String(error));
        return;
      }
      assert.equal(String(value), text);
    }),
    { numRuns: 1000 },
  );
});

test("a mountpoint is a normalized absolute path other than /", () => {
  for (const path of ["/mnt", "/mnt/target", "/srv/install-1", "/mnt/..."])
    assert.equal(parseMountpoint("--root-mountpoint", path), path);
  const rows: [string, RegExp][] = [
    ["/", /it names \/ itself, the running system's root/],
    ["/mnt/..", /it names \/ itself/],
    ["/..", /it names \/ itself/],
    ["///", /it names \/ itself/],
    ["/mnt/./x", /write it as \/mnt\/x/],
    ["/mnt/x/../y", /write it as \/mnt\/y/],
    ["//mnt", /write it as \/mnt/],
    ["/mnt/", /write it as \/mnt/],
    ["mnt", /it is not an absolute path/],
    ["./mnt", /it is not an absolute path/],
    ["/mnt\t", /it holds a space, a backslash or a control character/],
    ["/mnt\u0085", /it holds a space, a backslash or a control character/],
  ];
  for (const [path, reason] of rows) {
    assert.throws(() => parseMountpoint("--root-mountpoint", path), reason, JSON.stringify(path));
    assert.throws(
      () => parseMountpoint("--root-mountpoint", path),
      /: .+; give an empty folder, e\.g\. --root-mountpoint \/mnt$/,
    );
  }
});

test("an absolute path that is accepted is its own normal form, below /, with no control character", () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom("/", ".", "..", "a", "mnt", " ", "\n", "\\", "é", "-"), { maxLength: 8 }),
      (parts) => {
        const path = parts.join("");
        if (absolutePathProblem(path) !== undefined) return;
        assert.ok(path.startsWith("/") && path !== "/" && !path.endsWith("/"), path);
        assert.doesNotMatch(path, /\/\/|(^|\/)\.\.?(\/|$)|\s|\\/u, path);
      },
    ),
    { numRuns: 1000 },
  );
});

test("--disk takes NAME=DEVICE with an absolute device path, and a name only once", () => {
  assert.deepEqual(collectDiskDevice("main=/dev/vdb", {}), { main: "/dev/vdb" });
  assert.deepEqual(collectDiskDevice("main=/dev/disk/by-id/virtio-x", { data: "/dev/vdc" }), {
    data: "/dev/vdc",
    main: "/dev/disk/by-id/virtio-x",
  });
  assert.deepEqual(collectDiskDevice("__proto__=/dev/vdb", {}), JSON.parse('{"__proto__":"/dev/vdb"}'));
  assert.throws(() => collectDiskDevice("main=/dev/vdc", { main: "/dev/vdb" }), /--disk main is given twice/);
  assert.throws(() => collectDiskDevice("main=/dev/../vdb"), /the device it is not normalized/);
});

test("refuses control characters in any value, and an empty path", () => {
  assert.equal(parsePlainText("--phases", "disk,install"), "disk,install");
  assert.throws(
    () => parsePlainText("--phases", "disk\u001b[2J"),
    /^UsageError: --phases "disk\\u001b\[2J": a control/,
  );
  assert.throws(
    () => parsePlainText("--phases", "disk\u009b"),
    /^UsageError: --phases "disk\\u009b": a control/,
  );
  assert.equal(parseLocalPath("-o", "my result"), "my result");
  assert.throws(() => parseLocalPath("-o", ""), /^UsageError: -o "": give a path that is not empty$/);
});

test("the installer's suite, mirror and package names are Debian's spellings", () => {
  assert.equal(parseSuite("--suite", "bookworm"), "bookworm");
  assert.throws(() => parseSuite("--suite", "Bookworm"), /give a Debian suite name, e\.g\. --suite bookworm/);
  assert.equal(parseMirror("--mirror", "https://deb.debian.org/debian"), "https://deb.debian.org/debian");
  for (const mirror of ["ftp://x/debian", "deb.debian.org", "http://", "http://a b/"])
    assert.throws(
      () => parseMirror("--mirror", mirror),
      /give the http or https URL of a Debian mirror/,
      mirror,
    );
  assert.equal(parsePackageName("[packages...]", "libc6-dev"), "libc6-dev");
  assert.equal(parsePackageName("[packages...]", "g++"), "g++");
  for (const name of ["-x", "A", "a", "bad name", "x;y"])
    assert.throws(() => parsePackageName("[packages...]", name), /not a Debian package name/, name);
});

test("--ssh-option takes NAME=VALUE, the way ssh's -o does", () => {
  assert.deepEqual(collectSshOption("ProxyJump=bastion"), ["ProxyJump=bastion"]);
  assert.deepEqual(collectSshOption("ProxyCommand=ssh -W %h:%p b", ["A=b"]), [
    "A=b",
    "ProxyCommand=ssh -W %h:%p b",
  ]);
  for (const option of ["ProxyJump", "=x", "-oX=y", "Proxy Jump=x", "A=", "A=b\nc"])
    assert.throws(
      () => collectSshOption(option),
      /^UsageError: --ssh-option ".*": write an ssh option as NAME=VALUE/,
      option,
    );
});
