// An encrypted machine: LUKS holding LVM, installed with its key brought along, booted with its passphrase sent
// over the initramfs's SSH server by the deploy itself, then by groundwork unlock, then by typing the passphrase
// on the console as a person would.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { deploy } from "../../src/execute/deploy/deploy.ts";
import { unlock } from "../../src/execute/unlock.ts";
import { waitForSsh } from "../../src/execute/wait-for-ssh.ts";
import { planDeploy, withAuthorizedKey } from "../../src/plan/deploy-plan.ts";
import type { RunEvent } from "../../src/ui/events.ts";
import { prepareTestBench } from "../harness/test-bench.ts";

const EXAMPLE = "examples/encrypted-server";
const PASSPHRASE = "correct horse battery staple";

test("a machine on LUKS and LVM installs with its key from --disk-encryption-keys and boots once its passphrase is sent over the initramfs's SSH (by the deploy, by groundwork unlock) or typed on the console", {
  skip: process.getuid?.() !== 0 && "needs root for mmdebstrap",
}, async (t) => {
  const folder = await mkdtemp(join(tmpdir(), "groundwork-luks-"));
  t.after(() => rm(folder, { recursive: true, force: true }));
  const keyFile = join(folder, "secret.key");
  // As `echo` writes it: the trailing newline is no part of the passphrase.
  await writeFile(keyFile, `${PASSPHRASE}\n`, { mode: 0o600 });
  const planned = planDeploy((await loadConfig(EXAMPLE)).config, { rootMountpoint: "/mnt" });
  const bench = await prepareTestBench(planned, {
    memoryMiB: 1024,
    keep: false,
    passphrases: new Map([["crypted", PASSPHRASE]]),
  });
  t.after(() => bench.dispose());
  const plan = withAuthorizedKey(planned, "root", bench.key.publicKey);
  await bench.machines.startLive();
  const live = await bench.login();
  const notes: string[] = [];
  const context = {
    ...bench.deployContext(plan, EXAMPLE),
    transport: live,
    // Nobody at the console: the deploy unlocks the first boot over the initramfs's SSH by itself.
    rebooter: bench.rebooter({ answerPassphrases: false }),
    events: (event: RunEvent) => {
      if (event.type === "note") notes.push(event.text);
    },
  };
  // Without its key, the deploy is refused before it asks anything of the machine.
  await assert.rejects(
    deploy({ ...context, phases: ["disk", "install", "reboot"] }),
    /LUKS device crypted is opened with the key file \/tmp\/secret\.key, which is not given: add --disk-encryption-keys \/tmp\/secret\.key LOCAL_FILE/,
  );
  const result = await deploy({
    ...context,
    phases: ["disk", "install", "reboot"],
    diskEncryptionKeys: [{ remote: "/tmp/secret.key", local: keyFile }],
  });
  await live.close();
  const system = result.transport;
  assert.ok(system !== undefined);
  try {
    const state = await system.runChecked(
      "cat /proc/sys/kernel/hostname; findmnt -no SOURCE /; findmnt -no SOURCE /home; cryptsetup status crypted | awk '$1 == \"type:\" { print $2 }'; awk '{ print $1, $3, $4 }' /etc/crypttab; test -e /tmp/secret.key && echo key-on-disk || echo no-key; grep -o 'cryptopts=[^ ]*' /proc/cmdline",
    );
    assert.equal(state.exitCode, 0, state.stderr);
    assert.deepEqual(state.stdout.trim().split("\n").slice(0, 6), [
      "encrypted-server",
      "/dev/mapper/pool-root",
      "/dev/mapper/pool-home",
      "LUKS2",
      "crypted none luks,initramfs,discard",
      "no-key",
    ]);
    assert.match(state.stdout, /^cryptopts=target=crypted,source=UUID=[0-9a-f-]{36},luks,discard$/m);
    assert.ok(
      notes.includes("At boot, groundwork sends the passphrase of crypted to the initramfs over SSH."),
      notes.join("\n"),
    );
    assert.ok(notes.includes("Unlocked crypted over the initramfs's SSH."), notes.join("\n"));
  } finally {
    await system.close();
  }

  // Booted again with nobody at the console: the initramfs's SSH server takes the passphrase from
  // groundwork unlock, with the host key the deploy recorded for it.
  await bench.bootDisk("bios", { answerPassphrases: false });
  const initramfs = {
    destination: { user: "root", host: "127.0.0.1", port: bench.machine.sshPort },
    ssh: { identityFile: bench.key.file, knownHostsFile: bench.knownHostsFile },
    timeoutMs: 300_000,
  };
  await assert.rejects(
    unlock({ ...initramfs, passphrase: "not the passphrase" }),
    /crypted did not take the passphrase on 127\.0\.0\.1 port \d+: cryptsetup: cryptsetup failed, bad password or options\?/,
  );
  assert.deepEqual(await unlock({ ...initramfs, passphrase: PASSPHRASE }), ["crypted"]);
  // For a moment the initramfs still answers on the port, with its own key: that is "not yet".
  const unlocked = await waitForSsh(initramfs.destination, bench.rootSsh, 300_000, {
    oldSystemMayAnswer: true,
  });
  try {
    const state = await unlocked.runChecked("findmnt -no SOURCE /");
    assert.equal(state.stdout.trim(), "/dev/mapper/pool-root");
  } finally {
    await unlocked.close();
  }

  // Booted again by a person at the console: the prompt is answered there, as `groundwork test` does.
  await bench.bootDisk("bios");
  const typed = await waitForSsh(initramfs.destination, bench.rootSsh, 300_000, { oldSystemMayAnswer: true });
  try {
    assert.equal((await typed.runChecked("findmnt -no SOURCE /")).stdout.trim(), "/dev/mapper/pool-root");
    assert.match(await readFile(join(bench.dir, "console.log"), "utf8"), /Please unlock disk crypted/);
  } finally {
    await typed.close();
  }
});
