// Faults during a deploy: the network cut or the power cut at a step of a phase. For each, the message names the
// phase, what it left and the command that finishes the job; running that command (against the installer again,
// as against a rescue system after a power cut) gives the same installed machine as an uninterrupted deploy.
// The CI runs two faults; `npm run test:vm-all` runs them all.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { deploy } from "../../src/execute/deploy/deploy.ts";
import { type DeployPhase, parsePhases } from "../../src/plan/deploy-phases.ts";
import { type DeployPlan, planDeploy, withAuthorizedKey } from "../../src/plan/deploy-plan.ts";
import { STATE_DIR } from "../../src/plan/generation.ts";
import type { SshTransport } from "../../src/transport/ssh.ts";
import type { Transport } from "../../src/transport/transport.ts";
import type { RunEvent } from "../../src/ui/events.ts";
import { prepareTestBench, type TestBench } from "../harness/test-bench.ts";

interface Fault {
  /** The phase and the step (a `step` event's text) the fault comes in. */
  readonly phase: "disk" | "install";
  readonly step: RegExp;
  /** How long into the step. */
  readonly afterMs: number;
  readonly cut: "link" | "power";
  /** Run in the CI; the others run with GW_VM_ALL=1 (npm run test:vm-all). */
  readonly ci: boolean;
}

const FAULTS: readonly Fault[] = [
  { phase: "disk", step: /^create an ext4 filesystem/, afterMs: 0, cut: "link", ci: true },
  { phase: "install", step: /^unpack the system/, afterMs: 3000, cut: "power", ci: true },
  { phase: "disk", step: /^create partition 2/, afterMs: 0, cut: "power", ci: false },
  { phase: "install", step: /^upload the system/, afterMs: 1500, cut: "power", ci: false },
  { phase: "install", step: /^unpack the system/, afterMs: 2000, cut: "link", ci: false },
  { phase: "install", step: /^install GRUB/, afterMs: 500, cut: "power", ci: false },
  { phase: "install", step: /^activate the system/, afterMs: 1000, cut: "link", ci: false },
];

const all = process.env.GW_VM_ALL === "1";
const skip = process.getuid?.() !== 0 && "needs root for mmdebstrap";
let bench: TestBench;
let plan: DeployPlan;

before(async () => {
  if (skip !== false) return;
  const { config } = await loadConfig("examples/seed");
  const seed = planDeploy(config, { rootMountpoint: "/mnt" });
  bench = await prepareTestBench(seed, { memoryMiB: 1024, keep: false });
  plan = withAuthorizedKey(seed, "root", bench.key.publicKey);
});

after(async () => {
  await bench?.dispose();
});

/** Boot the installer (the machine's rescue system) with the disks as they are, and log in. */
async function rescue(): Promise<SshTransport> {
  await bench.machines.startLive();
  return bench.login();
}

async function deployOn(
  live: SshTransport,
  phases: DeployPhase[],
  events: (event: RunEvent) => void = () => {},
) {
  return deploy({ ...bench.deployContext(plan, "examples/seed"), phases, transport: live, events });
}

for (const fault of FAULTS) {
  const name = `${fault.cut === "link" ? "the network cut" : "the power cut"} in the ${fault.phase} phase at "${fault.step.source.replace(/^\^/, "")}": the message says how to finish, and that finishes the install`;
  test(name, { skip: skip || (!fault.ci && !all && "runs with npm run test:vm-all") }, async (t) => {
    let live = await rescue();
    const steps: string[] = [];
    let injected: Promise<void> | undefined;
    const failure = await deployOn(live, ["disk", "install", "reboot"], (event) => {
      if (event.type !== "step") return;
      steps.push(`${event.phase}: ${event.text}`);
      if (injected !== undefined || event.phase !== fault.phase || !fault.step.test(event.text)) return;
      injected = new Promise((resolve) => setTimeout(resolve, fault.afterMs)).then(() =>
        fault.cut === "link" ? bench.machine.setLink(false) : bench.machine.powerCut(),
      );
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    await live.close();
    assert.ok(injected !== undefined, `the step came: ${steps.join("; ")}`);
    await injected;
    t.diagnostic(`steps seen: ${steps.join("; ")}`);
    const message = String(failure);
    const phases = fault.phase === "disk" ? "disk,install,reboot" : "install,reboot";
    assert.match(
      message,
      new RegExp(
        `the ${fault.phase} phase on root@127\\.0\\.0\\.1:\\d+ was interrupted: [\\s\\S]*run again with --phases ${phases}\\.\\nIf the machine restarted meanwhile, the installer in RAM is gone`,
      ),
    );

    // The machine still runs the installer (link) or boots it as its rescue system (power).
    if (fault.cut === "link") {
      await bench.machine.setLink(true);
      live = await bench.login();
    } else {
      live = await rescue();
    }
    const advised = parsePhases(phases);
    const events: RunEvent[] = [];
    const result = await deployOn(live, advised, (event) => events.push(event));
    await live.close();
    const installed = result.transport;
    assert.ok(installed !== undefined, "the finishing run reboots into the system");
    try {
      await checkInstalled(installed);
    } finally {
      await installed.close();
    }
  });
}

/** The machine runs the installed system: its host name, its disks, generation 1, and its services up. */
async function checkInstalled(installed: Transport): Promise<void> {
  const facts = await installed.run(
    `cat /proc/sys/kernel/hostname; findmnt -n -o SOURCE,FSTYPE /; findmnt -n -o FSTYPE /boot; cat ${STATE_DIR}/current; timeout 60 systemctl is-system-running --wait || :`,
  );
  const [hostName, root, boot, current, state] = facts.stdout.trim().split("\n");
  assert.equal(hostName, plan.system.hostName);
  assert.match(root ?? "", /^\/dev\/sda3 ext4$/);
  assert.equal(boot, "vfat");
  assert.equal(current, "1", "generation 1 is recorded");
  assert.match(state ?? "", /^(running|degraded)$/);
}

// The reboot phase: the cut comes as the layout is unmounted, before the reboot is asked for (the test bench
// reboots by starting QEMU anew, which is no place for a fault).
for (const cut of ["link", "power"] as const) {
  test(`the ${cut === "link" ? "network" : "power"} cut in the reboot phase, as the layout is unmounted: the system is installed, and the message says how to finish`, {
    skip: skip || (!all && "runs with npm run test:vm-all"),
  }, async () => {
    let live = await rescue();
    let injected: Promise<void> | undefined;
    const failure = await deployOn(live, ["disk", "install", "reboot"], (event) => {
      if (injected !== undefined || event.type !== "step" || event.phase !== "reboot") return;
      if (/^unmount /.test(event.text))
        injected = cut === "link" ? bench.machine.setLink(false) : bench.machine.powerCut();
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    await live.close();
    assert.ok(injected !== undefined, "the unmount step came");
    await injected;
    assert.match(
      String(failure),
      /the reboot phase on root@127\.0\.0\.1:\d+ was interrupted: [\s\S]*The system is installed, and the machine may be rebooting into it: if it still runs the installer, run again with --phases reboot; otherwise log in, it is done\.$/,
    );
    let installed: Transport | undefined;
    if (cut === "power") {
      // Restarted, the machine boots the installed system: log in, it is done. Its host key is the new system's,
      // not the installer's that this port had: a person who logs in accepts the new one.
      await bench.bootDisk("bios");
      spawnSync("ssh-keygen", ["-R", `[127.0.0.1]:${bench.machine.sshPort}`, "-f", bench.knownHostsFile], {
        stdio: "ignore",
      });
      installed = await bench.login();
    } else {
      await bench.machine.setLink(true);
      live = await bench.login();
      installed = (await deployOn(live, ["reboot"])).transport;
      await live.close();
    }
    assert.ok(installed !== undefined);
    try {
      await checkInstalled(installed);
    } finally {
      await installed.close();
    }
  });
}
