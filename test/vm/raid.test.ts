// A server on an mdadm RAID1 of two disks (examples/raid1-server): installed, booted from the array, and booted
// again from each disk alone, as after a disk failure.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { deploy } from "../../src/execute/deploy/deploy.ts";
import { waitForSsh } from "../../src/execute/wait-for-ssh.ts";
import { planDeploy, withAuthorizedKey } from "../../src/plan/deploy-plan.ts";
import type { Transport } from "../../src/transport/transport.ts";
import { QemuMachine } from "../../src/vm/qemu-machine.ts";
import { prepareTestBench } from "../harness/test-bench.ts";

const EXAMPLE = "examples/raid1-server";

/** The host name, the root filesystem's device and type, and the array's state as the kernel shows it. */
async function arrayState(system: Transport): Promise<string[]> {
  const result = await system.runChecked(
    'md=$(basename "$(readlink -f /dev/md/root)"); cat /proc/sys/kernel/hostname; findmnt -no SOURCE,FSTYPE /; cat /sys/block/$md/md/level /sys/block/$md/md/raid_disks; cat /sys/block/$md/md/degraded',
  );
  assert.equal(result.exitCode, 0, result.stderr);
  return result.stdout.trim().split("\n");
}

test("a RAID1 server installs onto two disks, boots from its array, and boots from either disk alone", {
  skip: process.getuid?.() !== 0 && "needs root for mmdebstrap",
}, async (t) => {
  const planned = planDeploy((await loadConfig(EXAMPLE)).config, { rootMountpoint: "/mnt" });
  const bench = await prepareTestBench(planned, { memoryMiB: 1024, keep: false });
  t.after(() => bench.dispose());
  const plan = withAuthorizedKey(planned, "root", bench.key.publicKey);
  assert.deepEqual(plan.grub.biosDevices, ["/dev/sda", "/dev/sdb"]);
  await bench.machines.startLive();
  const live = await bench.login();
  const result = await deploy({
    ...bench.deployContext(plan, EXAMPLE),
    phases: ["disk", "install", "reboot"],
    transport: live,
  });
  await live.close();
  const system = result.transport;
  assert.ok(system !== undefined);
  try {
    const [hostName, root, level, disks, degraded] = await arrayState(system);
    assert.equal(hostName, "raid1-server");
    assert.match(root ?? "", /^\/dev\/md\S* ext4$/);
    assert.deepEqual([level, disks, degraded], ["raid1", "2", "0"], "both members are in the array");
  } finally {
    await system.close();
  }

  // Each disk on its own, as the machine's only disk: GRUB on it boots, and the array runs degraded.
  await bench.machines.current?.stop();
  for (const disk of ["one", "two"]) {
    const dir = await mkdtemp(join(tmpdir(), "groundwork-raid-test-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const machine = await QemuMachine.start({
      dir,
      memoryMiB: 1024,
      firmware: "bios",
      boot: "disk",
      noReboot: true,
      disks: [{ device: "/dev/sda", image: join(bench.dir, `disk-${disk}.img`), boot: true }],
    });
    try {
      await machine.waitForSsh(300_000).catch((error: unknown) => {
        t.diagnostic(machine.consoleTail(80));
        throw error;
      });
      const alone = await waitForSsh(
        { user: "root", host: "127.0.0.1", port: machine.sshPort },
        bench.rootSsh,
        120_000,
      );
      try {
        const [hostName, , level, , degraded] = await arrayState(alone);
        assert.equal(hostName, "raid1-server", `disk ${disk} alone`);
        assert.deepEqual([level, degraded], ["raid1", "1"], `disk ${disk} alone: the array runs degraded`);
      } finally {
        await alone.close();
      }
    } finally {
      await machine.stop();
    }
  }
});
