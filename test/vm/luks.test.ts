// An encrypted machine: LUKS holding LVM, installed with its key brought along, booted by typing the passphrase
// on the console as a person would.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { deploy } from "../../src/execute/deploy/deploy.ts";
import { planDeploy, withAuthorizedKey } from "../../src/plan/deploy-plan.ts";
import { prepareTestBench } from "../harness/test-bench.ts";

const EXAMPLE = "examples/encrypted-server";
const PASSPHRASE = "correct horse battery staple";

test("a machine on LUKS and LVM installs with its key from --disk-encryption-keys and boots once its passphrase is typed", {
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
  const context = { ...bench.deployContext(plan, EXAMPLE), transport: live };
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
    // The boot waited at the prompt, and went on once the passphrase was typed.
    assert.match(await readFile(join(bench.dir, "console.log"), "utf8"), /Please unlock disk crypted/);
  } finally {
    await system.close();
  }
});
