import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { TargetError } from "../../src/errors/index.ts";
import { type DeployContext, deploy } from "../../src/execute/deploy/deploy.ts";
import type { DeployPhase } from "../../src/plan/deploy-phases.ts";
import { type DeployPlan, planDeploy, withAuthorizedKey } from "../../src/plan/deploy-plan.ts";
import type { SshTransport } from "../../src/transport/ssh.ts";
import { prepareTestBench, type TestBench } from "../harness/test-bench.ts";

// One live installer machine for the whole file: refusals first (they change nothing), then a deploy
// interrupted after the disk phase and resumed with the remaining phases.
let bench: TestBench;
let live: SshTransport;
let plan: DeployPlan;
const skip = process.getuid?.() !== 0 && "needs root for mmdebstrap";

before(async () => {
  if (skip !== false) return;
  const { config } = await loadConfig("examples/seed");
  plan = planDeploy(config, { rootMountpoint: "/mnt" });
  bench = await prepareTestBench(plan, { memoryMiB: 1024, keep: false });
  plan = withAuthorizedKey(plan, "root", bench.key.publicKey);
  await bench.machines.startLive();
  live = await bench.login();
});

after(async () => {
  await live?.close();
  await bench?.dispose();
});

function context(phases: DeployPhase[], deployPlan = plan): DeployContext {
  return { ...bench.deployContext(deployPlan, "examples/seed"), phases, transport: live };
}

async function sh(command: string): Promise<string> {
  const result = await live.run(command);
  assert.equal(result.exitCode, 0, result.stderr);
  return result.stdout;
}

test("refuses a declared disk the target does not have, changing nothing", { skip }, async () => {
  const { config } = await loadConfig("examples/seed", { diskDevices: { main: "/dev/vdb" } });
  const missing = withAuthorizedKey(
    planDeploy(config, { rootMountpoint: "/mnt" }),
    "root",
    bench.key.publicKey,
  );
  await assert.rejects(deploy(context(["disk", "install", "reboot"], missing)), (error: unknown) => {
    assert.ok(error instanceof TargetError, String(error));
    assert.match(error.message, /nothing was changed/);
    assert.match(
      error.message,
      /disko\.devices\.disk\.main\.device: \/dev\/vdb is not a disk on the target\. Its disks: \/dev\/sda \(4 GiB\)/,
    );
    return true;
  });
  assert.equal((await sh("blkid -p /dev/sda || true")).trim(), "");
});

test("refuses a disk that is in use, changing nothing", { skip }, async () => {
  await sh("mkfs.ext4 -q /dev/sda && mkdir -p /srv && mount /dev/sda /srv");
  try {
    await assert.rejects(deploy(context(["disk", "install", "reboot"])), (error: unknown) => {
      assert.ok(error instanceof TargetError, String(error));
      assert.match(error.message, /\/dev\/sda is in use \(\/dev\/sda is mounted at \/srv\)/);
      return true;
    });
    assert.match(await sh("findmnt -n -o SOURCE /srv"), /\/dev\/sda/);
  } finally {
    await sh("umount /srv && wipefs -aq /dev/sda");
  }
});

test("a deploy stopped after the disk phase, then cut off the network in the install phase, is finished by running the remaining phases; missing tools come along", {
  skip,
}, async () => {
  // A rescue system without sgdisk and mkfs.vfat: groundwork brings the installer's own.
  await sh(
    "mv /usr/sbin/sgdisk /usr/sbin/sgdisk.hidden && mv /usr/sbin/mkfs.vfat /usr/sbin/mkfs.vfat.hidden",
  );
  const notes: string[] = [];
  const first = await deploy({
    ...context(["disk"]),
    events: (event) => {
      if (event.type === "note") notes.push(event.text);
    },
  });
  assert.ok(
    notes.some((note) => /lacks mkfs\.vfat, sgdisk: bringing them along/.test(note)),
    notes.join("\n"),
  );
  assert.deepEqual(
    first.phases.map((phase) => phase.phase),
    ["facts", "disk"],
  );
  assert.match(await sh("lsblk -n -o PARTLABEL /dev/sda"), /disk-main-root/);
  // The network cable is pulled as the install phase starts: the deploy says what it left and how to finish.
  let cutting: Promise<void> | undefined;
  await assert.rejects(
    deploy({
      ...context(["install", "reboot"]),
      events: (event) => {
        if (event.type === "phase-start" && event.phase === "install") cutting = bench.machine.setLink(false);
      },
    }),
    (error: unknown) => {
      assert.match(
        String(error),
        /the install phase on root@127\.0\.0\.1:\d+ was interrupted: [\s\S]*\nThe disks are partitioned and formatted: run again with --phases install,reboot\.\nIf the machine restarted meanwhile, the installer in RAM is gone and its disks may not boot: start its rescue system and run that command against it\.$/,
      );
      return true;
    },
  );
  await cutting;
  await bench.machine.setLink(true);
  await live.close();
  live = await bench.login();
  const rest = await deploy(context(["install", "reboot"]));
  assert.deepEqual(
    rest.phases.map((phase) => phase.phase),
    ["facts", "install", "reboot"],
  );
  const hostName = await rest.transport?.run("cat /proc/sys/kernel/hostname");
  assert.equal(hostName?.stdout.trim(), plan.system.hostName);
  await rest.transport?.close();
});

test("refuses a machine with too little RAM, changing nothing", { skip }, async (t) => {
  // The installer fits in 800 MiB with room to spare; installing needs 1 GB.
  const small = await prepareTestBench(plan, { memoryMiB: 800, keep: false });
  t.after(() => small.dispose());
  await small.machines.startLive();
  const transport = await small.login();
  t.after(() => transport.close());
  const smallPlan = withAuthorizedKey(plan, "root", small.key.publicKey);
  await assert.rejects(
    deploy({ ...context(["disk", "install", "reboot"], smallPlan), transport }),
    (error: unknown) => {
      assert.ok(error instanceof TargetError, String(error));
      assert.equal(error.code, "GW_TARGET_MEMORY");
      assert.match(error.message, /has \d+ MiB of RAM; installing needs at least 1 GB/);
      return true;
    },
  );
  const blank = await transport.run("blkid -p /dev/sda || true");
  assert.equal(blank.stdout.trim(), "", "the disk is untouched");
});
