import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { deploy } from "../../src/execute/deploy/deploy.ts";
import { prepareTestBench } from "../../src/execute/test-machines.ts";
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
  await bench.machines.startLive();
  // Wait for the installer with the key; then log in as alice with her password only.
  const probe = await bench.login();
  await probe.close();
  const alice = await bench.login({
    user: "alice",
    ssh: {
      password: "secret",
      knownHostsFile: bench.knownHostsFile,
      sshOptions: ["PubkeyAuthentication=no"],
    },
    timeoutMs: 60_000,
  });
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
    ...bench.deployContext(plan, "examples/seed"),
    phases: ["disk", "install", "reboot"],
    transport: alice,
  });
  const hostName = await result.transport?.run("cat /proc/sys/kernel/hostname");
  assert.equal(hostName?.stdout.trim(), plan.system.hostName);
  await result.transport?.close();
});
