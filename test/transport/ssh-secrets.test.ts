import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { checkPassword, SshTransport } from "../../src/transport/ssh.ts";

// Unit tests: nothing here connects to a machine.

test("refuses a password that is more than one line, without showing it", () => {
  for (const password of ["pw\nreboot", "pw\r", "pw\0x", "\n"]) {
    assert.throws(
      () => checkPassword(password, "SSH_PASS"),
      (error: Error) =>
        /^SSH_PASS holds a line break, a carriage return or a NUL byte: .+ root command on the target\./.test(
          error.message,
        ) && !error.message.includes("pw"),
      JSON.stringify(password),
    );
  }
  checkPassword("p w\t'\"$x");
});

test("a transport refuses such a password before it writes anything", async () => {
  await assert.rejects(
    SshTransport.create({ user: "alice", host: "192.0.2.1", port: undefined }, { password: "pw\nid" }),
    /^UsageError: the SSH password holds a line break/,
  );
});

test("makes groundwork's known_hosts folder private (0700)", async (t) => {
  const scratch = mkdtempSync(join(tmpdir(), "groundwork-known-hosts-"));
  t.after(() => rmSync(scratch, { recursive: true, force: true }));
  const knownHosts = join(scratch, "state", "groundwork", "known_hosts");
  const transport = await SshTransport.create(
    { user: "root", host: "192.0.2.1", port: undefined },
    { knownHostsFile: knownHosts },
  );
  try {
    assert.equal(statSync(join(knownHosts, "..")).mode & 0o777, 0o700);
  } finally {
    await transport.close();
  }
});
