// Faults before the disks are touched: the network cut in the facts phase and during the upload of the
// installer, and the power cut just after kexec. Each leaves the old system as it was, and the same command
// run again replaces it. Runs with `npm run test:vm-all` (GW_VM_ALL=1): a kexec deploy is slow under TCG.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { type DeployContext, deploy } from "../../src/execute/deploy/deploy.ts";
import { type DeployPlan, planDeploy, withAuthorizedKey } from "../../src/plan/deploy-plan.ts";
import type { SshTransport } from "../../src/transport/ssh.ts";
import type { RunEvent } from "../../src/ui/events.ts";
import { prepareTestBench, type TestBench } from "../harness/test-bench.ts";

const skip =
  (process.getuid?.() !== 0 && "needs root for mmdebstrap") ||
  (process.env.GW_VM_ALL !== "1" && "runs with npm run test:vm-all");
const OLD = "test/vm/fixtures/kexec-target";
const ADDRESS = "10.0.2.77";
let bench: TestBench;
let plan: DeployPlan;
const alice = () => ({ password: "secret", knownHostsFile: bench.knownHostsFile });

before(async () => {
  if (skip !== false) return;
  // The old system, installed onto the machine's only disk and booted from it.
  const old = planDeploy((await loadConfig(OLD)).config, { rootMountpoint: "/mnt" });
  bench = await prepareTestBench(old, { memoryMiB: 1024, keep: false });
  await bench.machines.startLive();
  const installed = await deploy({
    ...bench.deployContext(old, OLD),
    rebooter: bench.rebooter({ user: "alice", ssh: alice(), address: ADDRESS }),
    phases: ["disk", "install", "reboot"],
    transport: await bench.login(),
  });
  await installed.transport?.close();
  const seed = planDeploy((await loadConfig("examples/seed")).config, { rootMountpoint: "/mnt" });
  plan = withAuthorizedKey(seed, "root", bench.key.publicKey);
});

after(async () => {
  await bench?.dispose();
});

function loginAlice(): Promise<SshTransport> {
  return bench.login({ user: "alice", ssh: { ...alice(), sshOptions: ["PubkeyAuthentication=no"] } });
}

function context(transport: SshTransport, events: (event: RunEvent) => void): DeployContext {
  return {
    ...bench.deployContext(plan, "examples/seed"),
    phases: ["kexec", "disk", "install", "reboot"],
    transport,
    events,
    kexec: {
      installer: async () => bench.installer,
      destination: { user: "alice", host: "127.0.0.1", port: bench.machine.sshPort },
      ssh: { knownHostsFile: bench.knownHostsFile },
      // The installer answers within a minute under TCG; a restarted machine never does.
      timeoutMs: 150_000,
    },
  };
}

/** Run the whole deploy and inject `fault` when `when` says so; returns the error it ended with. */
async function interrupted(when: (event: RunEvent) => boolean, fault: () => Promise<void>): Promise<string> {
  const transport = await loginAlice();
  let injected: Promise<void> | undefined;
  const error = await deploy(
    context(transport, (event) => {
      if (injected === undefined && when(event)) injected = fault();
    }),
  ).then(
    () => "(it ended without an error)",
    (failure: unknown) => String(failure),
  );
  await transport.close();
  assert.ok(injected !== undefined, "the fault was injected");
  await injected;
  return error;
}

async function oldSystemRuns(): Promise<void> {
  const transport = await loginAlice();
  try {
    const facts = await transport.runChecked("cat /proc/sys/kernel/hostname; findmnt -no SOURCE /");
    assert.equal(facts.stdout, "old-system\n/dev/sda2[/rootfs]\n", "the old system runs, from its disk");
  } finally {
    await transport.close();
  }
}

test("the network cut in the facts phase: nothing was changed, and the message says to run the same command again", {
  skip,
}, async () => {
  const message = await interrupted(
    (event) => event.type === "phase-start" && event.phase === "facts",
    () => bench.machine.setLink(false),
  );
  assert.match(
    message,
    /the facts phase on alice@127\.0\.0\.1:\d+ was interrupted: [\s\S]*\nNothing was changed: run the same command again\.$/,
  );
  await bench.machine.setLink(true);
  await oldSystemRuns();
});

test("the network cut during the upload of the installer: the old system runs on, and the message says to run the same command again", {
  skip,
}, async () => {
  const message = await interrupted(
    (event) => event.type === "step" && /^upload the installer/.test(event.text),
    () => new Promise((resolve) => setTimeout(resolve, 500)).then(() => bench.machine.setLink(false)),
  );
  assert.match(
    message,
    /the kexec phase on alice@127\.0\.0\.1:\d+ was interrupted: [\s\S]*run the same command again/,
  );
  await bench.machine.setLink(true);
  await oldSystemRuns();
});

test("the power cut just after kexec: the machine boots its old system again, and the same command replaces it", {
  skip,
}, async () => {
  const message = await interrupted(
    (event) => event.type === "step" && event.text === "wait for the installer's SSH",
    async () => {
      await bench.machine.powerCut();
      await bench.bootDisk("bios", { address: ADDRESS });
    },
  );
  assert.match(
    message,
    /did not answer SSH within 150 s[\s\S]*did not come back as groundwork's installer after kexec\. If it restarted into its old system \(its disks are untouched\), run the same command again/,
  );
  await oldSystemRuns();
  const transport = await loginAlice();
  const result = await deploy(context(transport, () => {}));
  await transport.close();
  assert.deepEqual(
    result.phases.map((phase) => phase.phase),
    ["facts", "kexec", "facts", "disk", "install", "reboot"],
  );
  const root = result.transport;
  assert.ok(root !== undefined);
  const hostName = await root.runChecked("cat /proc/sys/kernel/hostname");
  await root.close();
  assert.equal(hostName.stdout.trim(), plan.system.hostName);
});
