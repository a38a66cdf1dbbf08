// disko's luks-btrfs-raid layout, installed by UEFI: a LUKS device on each of two disks under one btrfs RAID1.
// The deploy sends the passphrase to each device the initramfs asks for in turn, over its SSH server.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { deploy } from "../../src/execute/deploy/deploy.ts";
import { planDeploy, withAuthorizedKey } from "../../src/plan/deploy-plan.ts";
import type { RunEvent } from "../../src/ui/events.ts";
import { prepareTestBench } from "../harness/test-bench.ts";

const FIXTURE = "test/vm/fixtures/luks-btrfs-raid";

test("LUKS on two disks under one btrfs RAID1 installs by UEFI, and its first boot opens both over the initramfs's SSH", {
  skip: process.getuid?.() !== 0 && "needs root for mmdebstrap",
}, async (t) => {
  const folder = await mkdtemp(join(tmpdir(), "groundwork-luks-btrfs-"));
  t.after(() => rm(folder, { recursive: true, force: true }));
  const keyFile = join(folder, "secret.key");
  // A key file is used byte for byte: without a line break, it can be typed at a prompt too.
  await writeFile(keyFile, "two disks, one passphrase", { mode: 0o600 });
  const planned = planDeploy((await loadConfig(FIXTURE)).config, { rootMountpoint: "/mnt" });
  const bench = await prepareTestBench(planned, { memoryMiB: 1024, keep: false });
  t.after(() => bench.dispose());
  assert.equal(bench.machines.firmware, "uefi");
  const plan = withAuthorizedKey(planned, "root", bench.key.publicKey);
  await bench.machines.startLive();
  const live = await bench.login();
  const notes: string[] = [];
  const result = await deploy({
    ...bench.deployContext(plan, FIXTURE),
    transport: live,
    rebooter: bench.rebooter({ answerPassphrases: false }),
    events: (event: RunEvent) => {
      if (event.type === "note") notes.push(event.text);
    },
    phases: ["disk", "install", "reboot"],
    diskEncryptionKeys: [{ remote: "/tmp/secret.key", local: keyFile }],
  });
  await live.close();
  const system = result.transport;
  assert.ok(system !== undefined);
  try {
    const state = await system.runChecked(
      "cat /proc/sys/kernel/hostname; test -d /sys/firmware/efi && echo uefi; findmnt -no FSTYPE,OPTIONS / | grep -o '^btrfs\\|subvol=/root'; btrfs filesystem show / | grep -o '/dev/mapper/p[12]' | sort; btrfs filesystem df / | awk '/^Data|^Metadata/ { sub(/:.*/, \"\"); print }'",
    );
    assert.equal(state.exitCode, 0, state.stderr);
    assert.deepEqual(state.stdout.trim().split("\n"), [
      "luks-btrfs-raid",
      "uefi",
      "btrfs",
      "subvol=/root",
      "/dev/mapper/p1",
      "/dev/mapper/p2",
      "Data, RAID1",
      "Metadata, RAID1",
    ]);
    assert.ok(notes.includes("Unlocked p1, p2 over the initramfs's SSH."), notes.join("\n"));
  } finally {
    await system.close();
  }
});
