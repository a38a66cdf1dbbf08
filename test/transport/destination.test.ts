import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDestination, parseDestination } from "../../src/transport/destination.ts";

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
