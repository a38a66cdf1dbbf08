// A machine on LVM: root, swap and /home as logical volumes of one volume group, installed and booted.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { deploy } from "../../src/execute/deploy/deploy.ts";
import { planDeploy, withAuthorizedKey } from "../../src/plan/deploy-plan.ts";
import { prepareTestBench } from "../harness/test-bench.ts";

const FIXTURE = "test/vm/fixtures/lvm";

test("a machine on LVM installs, boots with its root, swap and /home on logical volumes", {
  skip: process.getuid?.() !== 0 && "needs root for mmdebstrap",
}, async (t) => {
  const planned = planDeploy((await loadConfig(FIXTURE)).config, { rootMountpoint: "/mnt" });
  const bench = await prepareTestBench(planned, { memoryMiB: 1024, keep: false });
  t.after(() => bench.dispose());
  const plan = withAuthorizedKey(planned, "root", bench.key.publicKey);
  await bench.machines.startLive();
  const live = await bench.login();
  const result = await deploy({
    ...bench.deployContext(plan, FIXTURE),
    phases: ["disk", "install", "reboot"],
    transport: live,
  });
  await live.close();
  const system = result.transport;
  assert.ok(system !== undefined);
  try {
    const state = await system.runChecked(
      "cat /proc/sys/kernel/hostname; findmnt -no SOURCE /; findmnt -no SOURCE /home; swapon --show=NAME --noheadings | xargs -r readlink -f; lvs --noheadings -o lv_name,lv_size --units m --nosuffix pool | awk '{ print $1, int($2) }'",
    );
    assert.equal(state.exitCode, 0, state.stderr);
    const [hostName, root, home, swap, ...volumes] = state.stdout
      .trim()
      .split("\n")
      .map((line) => line.trim());
    assert.equal(hostName, "lvm-machine");
    assert.deepEqual([root, home], ["/dev/mapper/pool-root", "/dev/mapper/pool-home"]);
    assert.match(swap ?? "", /^\/dev\/dm-\d+$/);
    const sizes = Object.fromEntries(volumes.map((line) => line.split(" ")));
    assert.equal(sizes.root, "2048");
    assert.equal(sizes.swap, "128");
    assert.ok(Number(sizes.home) > 1500, `home takes the rest: ${volumes.join(", ")}`);
  } finally {
    await system.close();
  }
});
