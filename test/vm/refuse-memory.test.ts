import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { systemImageOf } from "../../src/execute/build-outputs.ts";
import { deploy, TargetError } from "../../src/execute/deploy/deploy.ts";
import { prepareTestBench } from "../../src/execute/test-machines.ts";
import { waitForSsh } from "../../src/execute/wait-for-ssh.ts";
import { planDeploy } from "../../src/plan/deploy-plan.ts";

test("refuses a machine with less than 1 GB of RAM before changing anything", {
  skip: process.getuid?.() !== 0 && "needs root for mmdebstrap",
}, async (t) => {
  const { config } = await loadConfig("examples/seed");
  const plan = planDeploy(config, { rootMountpoint: "/mnt" });
  // 960 MiB of RAM leave the kernel's MemTotal below 900 MiB.
  const bench = await prepareTestBench(plan, { memoryMiB: 960, keep: false });
  t.after(() => bench.dispose());
  const machine = await bench.machines.startLive();
  t.after(() => machine.stop());
  const ssh = { identityFile: bench.key.file, knownHostsFile: bench.knownHostsFile, sudo: false };
  const live = await waitForSsh({ user: "root", host: "127.0.0.1", port: machine.sshPort }, ssh, 300_000);
  t.after(() => live.close());
  let imageAsked = false;
  await assert.rejects(
    deploy({
      plan,
      phases: ["disk", "install", "reboot"],
      transport: live,
      systemImage: () => {
        imageAsked = true;
        return systemImageOf(plan);
      },
      buildOn: "local",
      tools: async () => bench.installer.tools,
      confirm: async () => true,
      events: () => {},
      source: "examples/seed",
      rebooter: { reboot: () => Promise.reject(new Error("must not reboot")) },
    }),
    (error: unknown) => {
      assert.ok(error instanceof TargetError, String(error));
      assert.match(error.message, /has \d+ MiB of RAM; installing needs at least 1 GB/);
      return true;
    },
  );
  assert.equal(imageAsked, false);
  const table = await live.run("blkid -p /dev/sda || true");
  assert.equal(table.stdout.trim(), "", "the disk is untouched");
});
