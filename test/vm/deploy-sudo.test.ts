import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { systemImageOf } from "../../src/execute/build-outputs.ts";
import { deploy } from "../../src/execute/deploy/deploy.ts";
import { reconnect, requestReboot } from "../../src/execute/deploy/reconnect.ts";
import { prepareTestBench } from "../../src/execute/test-machines.ts";
import { waitForSsh } from "../../src/execute/wait-for-ssh.ts";
import { planDeploy, withAuthorizedKey } from "../../src/plan/deploy-plan.ts";

// `openssl passwd -6 -salt groundwork secret`
const SECRET_HASH =
  "$6$groundwork$vEheWXVIODXOPu3dwdF4XJ1F/9DFonM3wLm8Vaf7QqtPN7658jj3Gd9Zw3jsKd/RDvV48SDjWiCoh6AmUKZSH.";

test("deploys through a live system's sudo user who logs in with a password, which never reaches an argument", {
  skip: process.getuid?.() !== 0 && "needs root for mmdebstrap",
}, async (t) => {
  const { config } = await loadConfig("examples/seed");
  const base = planDeploy(config, { rootMountpoint: "/mnt" });
  const bench = await prepareTestBench(base, {
    memoryMiB: 1024,
    keep: false,
    liveUsers: [{ name: "alice", passwordHash: SECRET_HASH }],
  });
  t.after(() => bench.dispose());
  const plan = withAuthorizedKey(base, "root", bench.key.publicKey);
  let machine = await bench.machines.startLive();
  t.after(() => machine.stop());
  // Wait for the installer with the key; then log in as alice with her password only.
  const probe = await waitForSsh(
    { user: "root", host: "127.0.0.1", port: machine.sshPort },
    { identityFile: bench.key.file, knownHostsFile: bench.knownHostsFile, sudo: false },
    300_000,
  );
  await probe.close();
  const alice = await waitForSsh(
    { user: "alice", host: "127.0.0.1", port: machine.sshPort },
    { password: "secret", knownHostsFile: bench.knownHostsFile, sshOptions: ["PubkeyAuthentication=no"] },
    60_000,
  );
  t.after(() => alice.close());
  const whoami = await alice.run("id -un; echo $SUDO_USER");
  assert.deepEqual(whoami.stdout.trim().split("\n"), ["root", "alice"], "commands run as root through sudo");
  // While a command runs, no process here or there has the password in its arguments.
  const running = alice.run("sleep 2; ps -eo args");
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const local = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8");
      } catch {
        return "";
      }
    });
  assert.equal(local.filter((args) => args.includes("secret")).length, 0);
  assert.doesNotMatch((await running).stdout, /secret/);
  const result = await deploy({
    plan,
    phases: ["disk", "install", "reboot"],
    transport: alice,
    systemImage: () => systemImageOf(plan),
    buildOn: "local",
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
          ssh: { identityFile: bench.key.file, knownHostsFile: bench.knownHostsFile, sudo: false },
          hostPublicKey,
          timeoutMs: 300_000,
        });
      },
    },
  });
  const hostName = await result.transport?.run("cat /proc/sys/kernel/hostname");
  assert.equal(hostName?.stdout.trim(), plan.system.hostName);
  await result.transport?.close();
});
