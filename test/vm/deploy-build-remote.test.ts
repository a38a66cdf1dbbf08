import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { deploy } from "../../src/execute/deploy/deploy.ts";
import { reconnect, requestReboot } from "../../src/execute/deploy/reconnect.ts";
import { prepareTestBench } from "../../src/execute/test-machines.ts";
import { waitForSsh } from "../../src/execute/wait-for-ssh.ts";
import { planDeploy, withAuthorizedKey } from "../../src/plan/deploy-plan.ts";

test("--build-on remote builds the system on the target with debootstrap, and it boots", {
  skip: process.getuid?.() !== 0 && "needs root for mmdebstrap",
}, async (t) => {
  const { config } = await loadConfig("examples/seed");
  const base = planDeploy(config, { rootMountpoint: "/mnt" });
  const bench = await prepareTestBench(base, { memoryMiB: 1024, keep: false });
  t.after(() => bench.dispose());
  const plan = withAuthorizedKey(base, "root", bench.key.publicKey);
  let machine = await bench.machines.startLive();
  t.after(() => machine.stop());
  const ssh = { identityFile: bench.key.file, knownHostsFile: bench.knownHostsFile, sudo: false };
  const live = await waitForSsh({ user: "root", host: "127.0.0.1", port: machine.sshPort }, ssh, 300_000);
  t.after(() => live.close());
  const result = await deploy({
    plan,
    phases: ["disk", "install", "reboot"],
    transport: live,
    systemImage: () => Promise.reject(new Error("a remote build uploads no image")),
    buildOn: "remote",
    tools: async () => bench.installer.tools,
    confirm: async () => true,
    events: () => {},
    source: "examples/seed",
    rebooter: {
      reboot: async (transport, hostPublicKey) => {
        await requestReboot(transport);
        await machine.waitForExit(120_000);
        machine = await bench.machines.startFromDisk("bios");
        return reconnect({
          destination: { user: "root", host: "127.0.0.1", port: machine.sshPort },
          ssh,
          hostPublicKey,
          timeoutMs: 300_000,
        });
      },
    },
  });
  const installed = await result.transport?.run(
    "dpkg -s linux-image-amd64 openssh-server | grep -c '^Status: install ok installed'",
  );
  assert.equal(installed?.stdout.trim(), "2");
  await result.transport?.close();
});
