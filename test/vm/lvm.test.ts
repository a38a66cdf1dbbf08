// A machine on two disks booted by UEFI from an ESP mirrored by mdadm, with root, swap and /home as logical
// volumes of one volume group over both disks (root mirrored, /home striped): installed and booted.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { deploy } from "../../src/execute/deploy/deploy.ts";
import { type DeployPlan, planDeploy, withAuthorizedKey } from "../../src/plan/deploy-plan.ts";
import type { RunEvent } from "../../src/ui/events.ts";
import { prepareTestBench, type TestBench } from "../harness/test-bench.ts";

const FIXTURE = "test/vm/fixtures/lvm";
const skip = process.getuid?.() !== 0 && "needs root for mmdebstrap";

/** The machine of the first test, installed and running, for the second. */
let installed: { bench: TestBench; plan: DeployPlan } | undefined;
after(() => installed?.bench.dispose());

test("a machine on LVM over two disks installs and boots by UEFI from its mirrored ESP, with a mirrored root and a striped /home", {
  skip,
}, async () => {
  const planned = planDeploy((await loadConfig(FIXTURE)).config, { rootMountpoint: "/mnt" });
  const bench = await prepareTestBench(planned, { memoryMiB: 1024, keep: false });
  const plan = withAuthorizedKey(planned, "root", bench.key.publicKey);
  installed = { bench, plan };
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
      'cat /proc/sys/kernel/hostname; findmnt -no SOURCE /; findmnt -no SOURCE /home; swapon --show=NAME --noheadings | xargs -r readlink -f; test -d /sys/firmware/efi && echo uefi; readlink -f "$(findmnt -no SOURCE /boot)"; md=$(basename "$(readlink -f /dev/md/boot)"); cat /sys/block/$md/md/level /sys/block/$md/md/raid_disks /sys/block/$md/md/degraded; test -f /boot/EFI/BOOT/BOOTX64.EFI && echo removable; lvs --noheadings -o lv_name,segtype,lv_size --units m --nosuffix pool | awk \'{ print $1, $2, int($3) }\'',
    );
    assert.equal(state.exitCode, 0, state.stderr);
    const [hostName, root, home, swap, firmware, boot, level, members, degraded, removable, ...volumes] =
      state.stdout
        .trim()
        .split("\n")
        .map((line) => line.trim());
    assert.equal(hostName, "lvm-machine");
    assert.deepEqual([root, home], ["/dev/mapper/pool-root", "/dev/mapper/pool-home"]);
    assert.match(swap ?? "", /^\/dev\/dm-\d+$/);
    // Booted by UEFI from the mirrored ESP, which runs with both members.
    assert.equal(firmware, "uefi");
    assert.match(boot ?? "", /^\/dev\/md\d+$/);
    assert.deepEqual([level, members, degraded], ["raid1", "2", "0"]);
    assert.equal(removable, "removable");
    // Only the volumes themselves: a mirror's and a stripe's hidden parts are not listed by name here.
    const kinds = Object.fromEntries(
      volumes.map((line) => line.split(" ")).map(([name, ...rest]) => [name, rest.join(" ")]),
    );
    assert.deepEqual(
      kinds,
      { home: "raid0 512", root: "mirror 2048", swap: "linear 128" },
      volumes.join(", "),
    );
  } finally {
    await system.close();
  }
});

test("the system on LVM, mdadm and a mirrored ESP is replaced through kexec: the installer frees the stacked disks", {
  skip: skip || (process.env.GW_VM_ALL !== "1" && "runs with npm run test:vm-all"),
}, async () => {
  assert.ok(installed !== undefined, "the first test installed the machine");
  const { bench, plan } = installed;
  const system = await bench.login();
  await system.runChecked("touch /etc/old-marker");
  const notes: string[] = [];
  const result = await deploy({
    ...bench.deployContext(plan, FIXTURE),
    phases: ["kexec", "disk", "install", "reboot"],
    transport: system,
    events: (event: RunEvent) => {
      if (event.type === "note") notes.push(event.text);
    },
    kexec: {
      installer: async () => bench.installer,
      destination: { user: "root", host: "127.0.0.1", port: bench.machine.sshPort },
      ssh: bench.rootSsh,
      timeoutMs: 300_000,
    },
  });
  await system.close();
  assert.deepEqual(
    result.phases.map((phase) => phase.phase),
    ["facts", "kexec", "facts", "disk", "install", "reboot"],
  );
  const again = result.transport;
  assert.ok(again !== undefined);
  try {
    const state = await again.runChecked(
      "cat /proc/sys/kernel/hostname; test -e /etc/old-marker && echo old-marker || echo new; findmnt -no SOURCE /",
    );
    assert.deepEqual(state.stdout.trim().split("\n"), ["lvm-machine", "new", "/dev/mapper/pool-root"]);
  } finally {
    await again.close();
  }
});
