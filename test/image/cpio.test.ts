import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeCpio } from "../../src/image/installer/cpio.ts";
import { installerRunCpio, networkFile } from "../../src/image/installer/run-config.ts";

/** A newc reader written from the format's description, for machines without the cpio tool. */
function readCpio(archive: Buffer): { path: string; mode: number; data: Buffer }[] {
  const entries = [];
  let offset = 0;
  const align = (value: number) => (value + 3) & ~3;
  for (;;) {
    const header = archive.subarray(offset, offset + 110).toString("latin1");
    assert.equal(header.slice(0, 6), "070701", `newc magic at ${offset}`);
    const field = (index: number) => Number.parseInt(header.slice(6 + index * 8, 14 + index * 8), 16);
    const nameSize = field(11);
    const fileSize = field(6);
    const path = archive.subarray(offset + 110, offset + 110 + nameSize - 1).toString("utf8");
    const dataStart = align(offset + 110 + nameSize);
    offset = align(dataStart + fileSize);
    if (path === "TRAILER!!!") break;
    entries.push({ path, mode: field(1), data: archive.subarray(dataStart, dataStart + fileSize) });
  }
  assert.equal(offset, archive.length, "nothing follows the trailer");
  return entries;
}

const ENTRIES = [
  { path: "etc", mode: 0o040755 },
  { path: "etc/groundwork", mode: 0o040700 },
  { path: "etc/groundwork/authorized_keys", mode: 0o100600, data: "ssh-ed25519 AAAA test\n" },
  { path: "etc/groundwork/empty", mode: 0o100644, data: "" },
  { path: "etc/groundwork/odd-length", mode: 0o100644, data: Buffer.from([1, 2, 3, 4, 5]) },
  { path: "etc/groundwork/ünïcode name", mode: 0o100644, data: "x" },
];

test("a written cpio reads back with the same paths, modes and contents", () => {
  const archive = writeCpio(ENTRIES);
  assert.equal(archive.length % 4, 0, "4-byte aligned, so that another archive can follow");
  const read = readCpio(archive);
  assert.deepEqual(
    read.map((entry) => [entry.path, entry.mode, entry.data.toString("latin1")]),
    ENTRIES.map((entry) => [entry.path, entry.mode, Buffer.from(entry.data ?? "").toString("latin1")]),
  );
});

test("GNU cpio unpacks a written archive", {
  skip: spawnSync("cpio", ["--version"]).status !== 0 && "no cpio",
}, () => {
  const dir = mkdtempSync(join(tmpdir(), "groundwork-cpio-"));
  try {
    const archive = writeCpio(ENTRIES);
    const list = spawnSync("cpio", ["-t", "--quiet"], { input: archive, encoding: "utf8" });
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(
      list.stdout.trim().split("\n"),
      ENTRIES.map((entry) => entry.path),
    );
    const unpack = spawnSync("cpio", ["-i", "-d", "--quiet", "--no-absolute-filenames"], {
      cwd: dir,
      input: archive,
    });
    assert.equal(unpack.status, 0, unpack.stderr?.toString());
    assert.equal(
      readFileSync(join(dir, "etc/groundwork/authorized_keys"), "utf8"),
      "ssh-ed25519 AAAA test\n",
    );
    assert.deepEqual([...readFileSync(join(dir, "etc/groundwork/odd-length"))], [1, 2, 3, 4, 5]);
    assert.equal(statSync(join(dir, "etc/groundwork/authorized_keys")).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("rejects cpio paths that could escape the root or lack a file type", () => {
  assert.throws(() => writeCpio([{ path: "etc/../../x", mode: 0o100644 }]), /plain relative path/);
  assert.throws(() => writeCpio([{ path: "", mode: 0o040755 }]), /plain relative path/);
  assert.throws(() => writeCpio([{ path: "etc/x", mode: 0o644 }]), /directory or regular file/);
});

test("the run cpio carries keys, host keys, network, port and users under /etc/groundwork", () => {
  const archive = installerRunCpio({
    authorizedKeys: ["ssh-ed25519 AAAA one", "ssh-ed25519 BBBB two"],
    hostKeys: [{ type: "ed25519", privateKey: "PRIVATE", publicKey: "ssh-ed25519 HOST" }],
    network: {
      interfaces: [{ mac: "52:54:00:AB:CD:EF", addresses: ["192.0.2.10/24"], gateways: ["192.0.2.1"] }],
      routes: [{ destination: "10.1.0.0/16", gateway: "192.0.2.254" }],
      nameservers: ["192.0.2.53"],
    },
    sshPort: 2222,
    users: [{ name: "alice", passwordHash: "$6$salt$hash" }],
  });
  const files = Object.fromEntries(readCpio(archive).map((entry) => [entry.path, entry]));
  assert.equal(
    files["etc/groundwork/authorized_keys"]?.data.toString(),
    "ssh-ed25519 AAAA one\nssh-ed25519 BBBB two\n",
  );
  assert.equal(files["etc/groundwork/ssh_host_ed25519_key"]?.data.toString(), "PRIVATE\n");
  assert.equal(files["etc/groundwork/ssh_host_ed25519_key"]?.mode, 0o100600);
  assert.equal(files["etc/groundwork/ssh_host_ed25519_key.pub"]?.data.toString(), "ssh-ed25519 HOST\n");
  assert.equal(
    files["etc/groundwork/network"]?.data.toString(),
    [
      "address 52:54:00:ab:cd:ef 192.0.2.10/24",
      "route default 192.0.2.1 52:54:00:ab:cd:ef",
      "route 10.1.0.0/16 192.0.2.254",
      "nameserver 192.0.2.53",
      "",
    ].join("\n"),
  );
  assert.equal(files["etc/groundwork/ssh_port"]?.data.toString(), "2222\n");
  assert.equal(files["etc/groundwork/users"]?.data.toString(), "alice $6$salt$hash\n");
});

test("rejects network values that the installer's shell would misread", () => {
  const interfaces = (mac: string, address: string) => ({ interfaces: [{ mac, addresses: [address] }] });
  assert.throws(() => networkFile(interfaces("52:54:00:12:34", "10.0.2.15/24")), /MAC address/);
  assert.throws(() => networkFile(interfaces("52:54:00:12:34:56", "10.0.2.15")), /prefix/);
  assert.throws(() => networkFile(interfaces("52:54:00:12:34:56", "10.0.2.15/24; reboot")), /prefix/);
  assert.throws(() => installerRunCpio({ authorizedKeys: [], sshPort: 70000 }), /between 1 and 65535/);
  assert.throws(
    () => installerRunCpio({ authorizedKeys: [], users: [{ name: "a b", passwordHash: "x" }] }),
    /user/,
  );
});
