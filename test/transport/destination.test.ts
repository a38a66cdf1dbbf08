import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { UsageError } from "../../src/errors/index.ts";
import {
  type Destination,
  formatDestination,
  parseDestination,
  parsePort,
} from "../../src/transport/destination.ts";

test("parses user@host, a bare host as root, IPv6 in brackets and a port", () => {
  const rows: [string, { user: string; host: string; port: number | undefined }][] = [
    ["root@203.0.113.7", { user: "root", host: "203.0.113.7", port: undefined }],
    ["web1", { user: "root", host: "web1", port: undefined }],
    ["alice@web1:2222", { user: "alice", host: "web1", port: 2222 }],
    ["alice@[2001:db8::1]", { user: "alice", host: "2001:db8::1", port: undefined }],
    ["alice@[2001:db8::1]:22", { user: "alice", host: "2001:db8::1", port: 22 }],
  ];
  for (const [text, expected] of rows) {
    assert.deepEqual(parseDestination(text), expected, text);
    assert.deepEqual(
      parseDestination(formatDestination(parseDestination(text))),
      expected,
      `round trip of ${text}`,
    );
  }
});

test("rejects what is not a destination, saying how to write one", () => {
  for (const text of ["", "a@b@c", "root@", "root@host:port", "root@ho st"]) {
    assert.throws(() => parseDestination(text), /is not an SSH destination: .+; write user@host/, text);
  }
});

test("accepts the spellings ssh reads as a host: names, aliases, IPv4, IPv6 with a zone", () => {
  const rows: [string, { user: string; host: string; port: number | undefined }][] = [
    ["deploy@web-1.example.org", { user: "deploy", host: "web-1.example.org", port: undefined }],
    ["my_alias", { user: "root", host: "my_alias", port: undefined }],
    ["a.b-c_d@10.0.0.1:65535", { user: "a.b-c_d", host: "10.0.0.1", port: 65535 }],
    ["root@[::1]:1", { user: "root", host: "::1", port: 1 }],
    ["root@[fe80::1%eth0]", { user: "root", host: "fe80::1%eth0", port: undefined }],
    ["root@[::ffff:192.0.2.1]", { user: "root", host: "::ffff:192.0.2.1", port: undefined }],
  ];
  for (const [text, expected] of rows) assert.deepEqual(parseDestination(text), expected, text);
});

test("names the flag it reads in its message", () => {
  assert.throws(
    () => parseDestination("-oProxyCommand=x", "--target-host"),
    /^UsageError: --target-host "-oProxyCommand=x" is not an SSH destination: it begins with "-", which ssh would read as an option; write user@host/,
  );
});

test("reads a port as a decimal number from 1 to 65535, and nothing else", () => {
  for (const text of ["1", "22", "2222", "65535"]) assert.equal(parsePort(text, "--ssh-port"), Number(text));
  for (const text of [
    "0",
    "65536",
    "0x1",
    "1e3",
    " 22",
    "22 ",
    "+22",
    "-22",
    "022",
    "2.0",
    "",
    "２２",
    "22\n",
  ])
    assert.throws(
      () => parsePort(text, "--ssh-port"),
      /^UsageError: --ssh-port ".*": give a port as a decimal number from 1 to 65535, e\.g\. 22$/,
      JSON.stringify(text),
    );
});

// Every kind of character a hostile user can type: controls, spaces, quotes, a leading -, unicode, and the
// characters a destination is made of.
const character = fc.oneof(
  fc.constantFrom("@", ":", "[", "]", ".", "-", "_", "%", "0", "1", "9", "a", "Z", "f", ":", "@"),
  fc.constantFrom(
    " ",
    "\t",
    "\n",
    "\r",
    "\0",
    "\u001b",
    "\u007f",
    "\u0085",
    "\u2028",
    "'",
    '"',
    "\\",
    "$",
    "`",
  ),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
);
const anyText = fc.array(character, { maxLength: 24 }).map((characters) => characters.join(""));
const destinationLike = fc
  .tuple(
    fc.option(anyText, { nil: undefined }),
    fc.oneof(
      anyText,
      anyText.map((text) => `[${text}]`),
    ),
    fc.option(fc.oneof(anyText, fc.integer({ min: -10, max: 70_000 }).map(String)), { nil: undefined }),
  )
  .map(
    ([user, host, port]) =>
      `${user === undefined ? "" : `${user}@`}${host}${port === undefined ? "" : `:${port}`}`,
  );
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

/** The message of a UsageError, whose every control character is escaped; fails on any other exception. */
function usageMessage(error: unknown): string {
  assert.ok(error instanceof UsageError, `not a UsageError: ${String(error)}`);
  assert.doesNotMatch(error.message, CONTROL, "the message shows every control character escaped");
  return error.message;
}

test("any text is a destination that reads back the same, or a UsageError: never another exception", () => {
  fc.assert(
    fc.property(fc.oneof(anyText, destinationLike), (text) => {
      let destination: Destination;
      try {
        destination = parseDestination(text);
      } catch (error) {
        assert.match(usageMessage(error), /is not an SSH destination: .+; write user@host/);
        return;
      }
      for (const part of [destination.user, destination.host]) {
        assert.doesNotMatch(part, CONTROL);
        assert.doesNotMatch(part, /\s|^-|^$/u);
      }
      if (destination.port !== undefined) assert.ok(destination.port >= 1 && destination.port <= 65535);
      assert.deepEqual(parseDestination(formatDestination(destination)), destination);
    }),
    { numRuns: 2000 },
  );
});

test("any text is a port that prints back as itself, or a UsageError: never another exception", () => {
  const portLike = fc.oneof(
    anyText,
    fc.integer({ min: -100, max: 100_000 }).map(String),
    fc.double().map(String),
    fc.integer({ min: 0, max: 70_000 }).map((port) => `0x${port.toString(16)}`),
  );
  fc.assert(
    fc.property(portLike, (text) => {
      let port: number;
      try {
        port = parsePort(text, "--ssh-port");
      } catch (error) {
        usageMessage(error);
        return;
      }
      assert.equal(String(port), text);
      assert.ok(Number.isInteger(port) && port >= 1 && port <= 65535);
    }),
    { numRuns: 2000 },
  );
});
