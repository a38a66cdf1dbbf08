// Unit tests of the deploy's decisions and sequencing, on a recorded transport: no machine is installed here
// (test/vm/ proves the installs on QEMU machines).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { RunError, TargetError } from "../../src/errors/index.ts";
import { type DeployContext, deploy } from "../../src/execute/deploy/deploy.ts";
import type { InstallerImage } from "../../src/image/installer/build-installer.ts";
import type { DeployPhase } from "../../src/plan/deploy-phases.ts";
import { type DeployPlan, planDeploy } from "../../src/plan/deploy-plan.ts";
import { planDeployRun } from "../../src/plan/deploy-run.ts";
import { SshError } from "../../src/transport/ssh-error.ts";
import type { RunEvent } from "../../src/ui/events.ts";
import { RecordedTransport, type Reply } from "../helpers/recorded-transport.ts";

// Facts recorded from a Debian 12 machine running from /dev/vda (test/facts/fixtures).
const HOST_FACTS = readFileSync(
  new URL("../facts/fixtures/facts-debian12-host.txt", import.meta.url),
  "utf8",
);
// Facts recorded from groundwork's installer in a QEMU machine with a blank /dev/sda.
const LIVE_FACTS = readFileSync(new URL("fixtures/facts-installer-live.txt", import.meta.url), "utf8");
const FACTS_SCRIPT = /\nsection\(\) \{/;

async function seedPlan(device: string): Promise<DeployPlan> {
  const { config } = await loadConfig("examples/seed", { diskDevices: { main: device } });
  return planDeploy(config, { rootMountpoint: "/mnt" });
}

function contextFor(
  plan: DeployPlan,
  transport: RecordedTransport,
  phases: DeployPhase[],
  change: Partial<DeployContext> = {},
): DeployContext & { readonly seen: RunEvent[] } {
  const seen: RunEvent[] = [];
  return {
    plan,
    phases,
    transport,
    systemImage: () => Promise.reject(new Error("the system image is not needed here")),
    tools: () => Promise.reject(new Error("the tools are not needed here")),
    buildOn: "local",
    rebooter: { reboot: () => Promise.reject(new Error("no reboot here")) },
    confirm: async () => true,
    events: (event) => seen.push(event),
    source: "examples/seed",
    seen,
    ...change,
  };
}

const factsReply = (stdout: string): Reply => ({ match: FACTS_SCRIPT, stdout });

test("refuses a target whose declared disk is missing after one round trip, running nothing else", async () => {
  const transport = new RecordedTransport("root@host", [factsReply(HOST_FACTS)]);
  const context = contextFor(await seedPlan("/dev/sdz"), transport, ["disk", "install", "reboot"]);
  await assert.rejects(deploy(context), (error) => {
    assert.ok(error instanceof TargetError);
    assert.equal(error.code, "GW_TARGET_DISK_MISSING");
    assert.match(
      error.message,
      /root@host cannot be installed, nothing was changed:\n- disko.devices.disk.main.device: \/dev\/sdz is not a disk on the target/,
    );
    return true;
  });
  assert.equal(transport.calls.length, 1);
  assert.equal(context.seen.filter((event) => event.type === "plan").length, 0);
});

test("refuses the running system's own disk without the kexec phase", async () => {
  const transport = new RecordedTransport("root@host", [factsReply(HOST_FACTS)]);
  const context = contextFor(await seedPlan("/dev/vda"), transport, ["disk", "install", "reboot"]);
  await assert.rejects(deploy(context), /GW_TARGET_DISK_IN_USE|is mounted|in use/);
  assert.equal(transport.calls.length, 1);
});

test("a machine running from the declared disk is planned with kexec: the plan says what stops, and a no changes nothing", async () => {
  const transport = new RecordedTransport("root@host", [factsReply(HOST_FACTS)]);
  const installer = () =>
    Promise.resolve({ manifest: { unpackedBytes: 150 * 2 ** 20, hash: "h" } } as unknown as InstallerImage);
  const facts = HOST_FACTS.replace("missing\nunsupported", "0\nsupported");
  const supported = new RecordedTransport("root@host", [factsReply(facts)]);
  const plan = await seedPlan("/dev/vda");
  for (const [target, expected] of [
    [transport, /GW_KEXEC_UNSUPPORTED|without kexec/],
    [supported, undefined],
  ] as const) {
    const context = contextFor(plan, target, ["kexec", "disk", "install", "reboot"], {
      confirm: async () => false,
      kexec: {
        installer,
        destination: { user: "root", host: "host", port: undefined },
        ssh: {},
        timeoutMs: 1000,
      },
    });
    if (expected !== undefined) {
      await assert.rejects(deploy(context), expected);
    } else {
      const result = await deploy(context);
      assert.equal(result.transport, undefined);
      const text = context.seen.find((event) => event.type === "plan");
      assert.match(text?.type === "plan" ? text.text : "", /kexec: STOPS Debian GNU\/Linux 12/);
      assert.match(text?.type === "plan" ? text.text : "", /Phases: kexec, disk, install, reboot\./);
      assert.ok(context.seen.some((event) => event.type === "note" && event.text === "Nothing was done."));
    }
    assert.equal(target.calls.length, 1, "only the facts were read");
  }
});

test("a live system with free disks needs no kexec: the disk phase runs its script and stops there", async () => {
  const transport = new RecordedTransport("root@live", [
    factsReply(LIVE_FACTS),
    { match: /# groundwork disk script, mode/, stdout: "" },
  ]);
  const context = contextFor(await seedPlan("/dev/sda"), transport, ["kexec", "disk"]);
  const result = await deploy(context);
  assert.deepEqual(
    result.phases.map((entry) => entry.phase),
    ["facts", "disk"],
  );
  assert.ok(
    context.seen.some(
      (event) =>
        event.type === "note" &&
        event.text === "No kexec for root@live: it runs the groundwork installer already.",
    ),
  );
  assert.equal(transport.ran(/groundwork disk script/).length, 1);
  assert.equal(transport.calls.at(-1)?.extraPath, undefined, "the installer lacks no tool");
});

test("a failed disk script says what state it left, and the install phase never starts", async () => {
  const transport = new RecordedTransport("root@live", [
    factsReply(LIVE_FACTS),
    {
      match: /groundwork disk script/,
      exitCode: 1,
      stdout: "[groundwork] step check-disk:/dev/sda\n",
      stderr: "groundwork: /dev/sda is busy\n",
    },
  ]);
  const context = contextFor(await seedPlan("/dev/sda"), transport, ["disk", "install", "reboot"]);
  await assert.rejects(
    deploy(context),
    /The disko script failed on root@live \(exit 1\): \/dev\/sda is busy/,
  );
  assert.equal(
    context.seen.filter((event) => event.type === "phase-start" && event.phase === "install").length,
    0,
  );
});

test("a resumed reboot reads the host key the install wrote, unmounts, reboots, and checks the host name", async () => {
  const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ root@seed";
  const transport = new RecordedTransport("root@live", [
    factsReply(LIVE_FACTS),
    { match: /groundwork disk script/ },
    { match: /^cat \/mnt\/etc\/ssh\/ssh_host_ed25519_key\.pub$/, stdout: `${key}\n` },
  ]);
  const system = new RecordedTransport("root@new", [{ match: /hostname/, stdout: "wrong\n" }]);
  let rebootedWith = "";
  const context = contextFor(await seedPlan("/dev/sda"), transport, ["reboot"], {
    rebooter: {
      reboot: async (_from, publicKey) => {
        rebootedWith = publicKey;
        return system;
      },
    },
  });
  await assert.rejects(deploy(context), /its host name is "wrong", not "/);
  assert.equal(rebootedWith, key);
  assert.deepEqual(
    transport.calls.map((call) => (call.kind === "script" ? call.text.split("\n")[1] : call.text)),
    [
      "set -- /dev/sda",
      "# groundwork disk script, mode mount, for examples/seed.",
      "cat /mnt/etc/ssh/ssh_host_ed25519_key.pub",
      "# groundwork disk script, mode unmount, for examples/seed.",
    ],
  );
});

test("a target without tar that lacks a tool is refused before the plan, naming the tools", async () => {
  const facts = LIVE_FACTS.replace(/^tar\n/m, "").replace(/^sgdisk\n/m, "");
  const transport = new RecordedTransport("root@live", [factsReply(facts)]);
  const context = contextFor(await seedPlan("/dev/sda"), transport, ["disk", "install", "reboot"]);
  await assert.rejects(deploy(context), /no tar, so groundwork cannot bring the tools it lacks \(sgdisk/);
  assert.equal(context.seen.filter((event) => event.type === "plan").length, 0);
});

test("planDeployRun: tools a live system lacks come along, on the PATH of every phase", async () => {
  const plan = await seedPlan("/dev/sda");
  const { parseFacts } = await import("../../src/facts/parse-facts.ts");
  const facts = parseFacts(LIVE_FACTS.replace(/^sgdisk\n/m, ""));
  const run = planDeployRun({ plan, phases: ["kexec", "disk", "install"], facts, target: "root@live" });
  assert.deepEqual(run.refusals, []);
  assert.equal(run.kexec, false);
  assert.deepEqual(run.phases, ["disk", "install"]);
  assert.ok(run.tools.includes("sgdisk"));
});

test("a connection lost in the middle of the install phase says what is left and the command that finishes it", async () => {
  const cut = new SshError("GW_SSH_UNREACHABLE", "root@live: the host does not answer", undefined);
  const transport = new RecordedTransport("root@live", [
    factsReply(LIVE_FACTS),
    { match: /groundwork disk script/ },
    { match: /^cat > \/mnt\/\.groundwork-system\.tar\.zst && sha256sum/, fails: cut },
  ]);
  const tarball = join(mkdtempSync(join(tmpdir(), "groundwork-deploy-test-")), "system.tar.zst");
  writeFileSync(tarball, "not really a system");
  const context = contextFor(await seedPlan("/dev/sda"), transport, ["install", "reboot"], {
    systemImage: async () => ({
      dir: dirname(tarball),
      tarball,
      cached: true,
      manifest: {
        version: 1,
        inputs: {
          suite: "bookworm",
          mirror: "http://deb.debian.org/debian",
          architecture: "amd64",
          packages: [],
        },
        hash: "h",
        packages: {},
        tarball: { file: "system.tar.zst", bytes: 19, sha256: "0".repeat(64) },
        builtAt: "2026-12-01T00:00:00Z",
      },
    }),
  });
  await assert.rejects(deploy(context), (error) => {
    assert.ok(error instanceof RunError);
    assert.match(
      error.message,
      /^the install phase on root@live was interrupted: root@live: the host does not answer\nThe disks are partitioned and formatted: run again with --phases install,reboot\.\nIf the machine restarted meanwhile, the installer in RAM is gone and its disks may not boot: start its rescue system and run that command against it\.$/,
    );
    return true;
  });
  rmSync(dirname(tarball), { recursive: true, force: true });
});
