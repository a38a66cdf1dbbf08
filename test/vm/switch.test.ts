import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { main } from "../../src/cli/main.ts";
import { loadConfig } from "../../src/config/load.ts";
import { StopError, TargetError } from "../../src/errors/index.ts";
import { deploy } from "../../src/execute/deploy/deploy.ts";
import {
  RolledBackError,
  readMachineState,
  rollbackTargetOf,
  type SwitchContext,
  switchSystem,
} from "../../src/execute/switch.ts";
import { type DeployPlan, planDeploy, withAuthorizedKey } from "../../src/plan/deploy-plan.ts";
import { PinError } from "../../src/plan/pins.ts";
import { switchTargetOf } from "../../src/plan/switch-run.ts";
import type { SshTransport } from "../../src/transport/ssh.ts";
import type { RunEvent } from "../../src/ui/events.ts";
import { prepareTestBench, type TestBench } from "../harness/test-bench.ts";

// One machine installed with examples/seed, then switched back and forth; every check asks the machine.
let bench: TestBench;
const skip = process.getuid?.() !== 0 && "needs root for mmdebstrap";

async function planOf(path: string): Promise<DeployPlan> {
  const plan = planDeploy((await loadConfig(path)).config, { rootMountpoint: "/mnt" });
  return withAuthorizedKey(plan, "root", bench.key.publicKey);
}

function login(timeoutMs = 120_000): Promise<SshTransport> {
  return bench.login({ timeoutMs });
}

async function on(command: string): Promise<string> {
  const transport = await login();
  try {
    return (await transport.run(command)).stdout.trim();
  } finally {
    await transport.close();
  }
}

async function switchTo(
  plan: DeployPlan,
  change: Partial<SwitchContext> = {},
): Promise<{ generation: number | undefined; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  const transport = change.transport ?? (await login());
  const result = await switchSystem({
    ...switchTargetOf(plan),
    transport,
    reconnect: (timeoutMs) => login(timeoutMs),
    confirmTimeoutMs: 60_000,
    dryRun: false,
    confirm: async () => true,
    events: (event) => events.push(event),
    ...change,
  }).finally(() => transport.close());
  return { generation: result.generation, events };
}

const planText = (events: RunEvent[]) =>
  events.flatMap((event) => (event.type === "plan" ? [event.text] : [])).join("\n");

before(async () => {
  if (skip !== false) return;
  const seed = planDeploy((await loadConfig("examples/seed")).config, { rootMountpoint: "/mnt" });
  bench = await prepareTestBench(seed, { memoryMiB: 1024, keep: false });
  const plan = withAuthorizedKey(seed, "root", bench.key.publicKey);
  await bench.machines.startLive();
  const live = await login(300_000);
  const result = await deploy({
    ...bench.deployContext(plan, "examples/seed"),
    phases: ["disk", "install", "reboot"],
    transport: live,
  });
  await result.transport?.close();
  await live.close();
});

after(async () => {
  await bench?.dispose();
});

const STATE = [
  "dpkg -s htop 2>/dev/null | grep -q '^Status: install ok installed' && echo ii || echo none",
  "id -u bob >/dev/null 2>&1 && echo bob || echo no-bob",
  "cat /etc/groundwork-test.conf 2>/dev/null && stat -c %a /etc/groundwork-test.conf || echo no-file",
  "systemctl is-active tick.service || :",
].join("; ");

/** The kernel setting, whether the module is loaded, and the parameter in GRUB's menu of the next boot. */
const KERNEL =
  "sysctl -n vm.swappiness; grep -c '^dummy ' /proc/modules; grep -o 'groundwork.test=1' /boot/grub/grub.cfg | head -1";

test("a switch adds a package, a user with a key, a file, a service, a kernel setting, module and parameter; the same switch again (as a sudo user with a password) changes nothing", {
  skip,
}, async () => {
  const installed = await readMachineState(await login());
  assert.deepEqual(
    installed.generations.map((entry) => [entry.number, entry.kind, entry.current]),
    [[1, "install", true]],
    "the install recorded generation 1",
  );
  const extras = await planOf("test/vm/fixtures/switch/extras.ts");
  // A dry run shows the difference and the scripts, and changes nothing.
  const dry = await switchTo(extras, { dryRun: true });
  assert.equal(dry.generation, undefined);
  assert.match(planText(dry.events), /\+ package htop\n/);
  assert.match(
    dry.events.map((event) => (event.type === "note" ? event.text : "")).join("\n"),
    /Dry run: generation 2 would run these scripts[\s\S]*install --no-install-recommends htop[\s\S]*useradd/,
  );
  assert.equal(
    await on(`${STATE}; ls /var/lib/groundwork/generations`),
    "none\nno-bob\nno-file\ninactive\n1",
    "the dry run changed nothing",
  );
  const first = await switchTo(extras);
  assert.equal(first.generation, 2);
  assert.match(
    planText(first.events),
    /\+ package htop\n\+ user bob\n\+ file \/etc\/groundwork-test\.conf\n\+ service tick/,
  );
  assert.equal(await on(STATE), "ii\nbob\nswitched = yes\n640\nactive");
  assert.match(await on("cat ~bob/.ssh/authorized_keys"), /Bob00 bob$/);
  // The kernel setting and module take effect at once; the parameter is in GRUB's menu for the next boot.
  assert.match(planText(first.events), /~ sysctl vm\.swappiness=13 \(was none\)\n/);
  assert.equal(await on(KERNEL), "13\n1\ngroundwork.test=1");

  const before = await on(
    "ls /var/lib/groundwork/generations; stat -c %Y /etc/passwd /etc/groundwork-test.conf /etc/systemd/system/tick.service",
  );
  // Again, as bob: a sudo user who logs in with his password (SSH_PASS), which never reaches an argument.
  const bob = await bench.login({
    user: "bob",
    ssh: {
      password: "secret",
      knownHostsFile: bench.knownHostsFile,
      sshOptions: ["PubkeyAuthentication=no"],
    },
  });
  const again = await switchTo(extras, { transport: bob });
  assert.equal(again.generation, undefined);
  assert.match(planText(again.events), /^Nothing to do/);
  assert.equal(
    await on(
      "ls /var/lib/groundwork/generations; stat -c %Y /etc/passwd /etc/groundwork-test.conf /etc/systemd/system/tick.service",
    ),
    before,
    "no generation, no file touched",
  );
});

test("taking them out of the configuration takes them off the machine; a rollback brings them back", {
  skip,
}, async () => {
  const seed = await planOf("examples/seed");
  const removed = await switchTo(seed);
  assert.equal(removed.generation, 3);
  assert.match(
    planText(removed.events),
    /- package htop\n- user bob\n- file \/etc\/groundwork-test\.conf\n- service tick/,
  );
  assert.equal(await on(STATE), "none\nno-bob\nno-file\ninactive");
  // Their files are gone (the running kernel keeps what it was set to until the next boot, as on NixOS).
  assert.equal(
    await on(
      "ls /etc/sysctl.d/90-groundwork.conf /etc/modules-load.d/groundwork.conf 2>/dev/null | wc -l; grep -c groundwork.test=1 /boot/grub/grub.cfg || :",
    ),
    "0\n0",
  );

  const transport = await login();
  const target = await rollbackTargetOf(transport, 2);
  await transport.close();
  const back = await switchTo(seed, target);
  assert.equal(back.generation, 4);
  assert.equal(await on(STATE), "ii\nbob\nswitched = yes\n640\nactive");

  // The command line lists them, the current one marked.
  const lines: string[] = [];
  const previousState = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = bench.dir;
  try {
    const code = await main(
      [
        "generations",
        "--target-host",
        "root@127.0.0.1",
        "--ssh-port",
        String(bench.machine.sshPort),
        "-i",
        bench.key.file,
      ],
      { stdout: (line) => lines.push(line), stderr: (line) => lines.push(line) },
    );
    assert.equal(code, 0, lines.join("\n"));
  } finally {
    if (previousState === undefined) delete process.env.XDG_STATE_HOME;
    else process.env.XDG_STATE_HOME = previousState;
  }
  assert.deepEqual(
    lines.map((line) =>
      line
        .replace(/\s+\d{4}-\d\d-\d\d \S+\s+/, " ")
        .replace(/\s+/g, " ")
        .trim(),
    ),
    [
      "1 install installed Debian bookworm with 16 packages",
      "2 switch 4 to add, 3 to change, 0 to remove.",
      "3 switch 0 to add, 3 to change, 4 to remove.",
      "* 4 rollback to 2 4 to add, 3 to change, 0 to remove.",
    ],
  );
});

test("a switch that turns sshd off is rolled back by the machine itself, and switch fails saying so", {
  skip,
}, async () => {
  const noSsh = await planOf("test/vm/fixtures/switch/no-ssh.ts");
  const started = Date.now();
  await assert.rejects(switchTo(noSsh, { confirmTimeoutMs: 30_000 }), (error: unknown) => {
    assert.ok(error instanceof RolledBackError, String(error));
    assert.match(
      error.message,
      /could not be reached again after generation 5 was activated \(the generation cut SSH off, or the network failed\); the machine went back to generation 4 by itself and answers again/,
    );
    return true;
  });
  assert.ok(Date.now() - started < 300_000);
  assert.equal(
    await on(
      "cat /var/lib/groundwork/current; systemctl is-active ssh.service; test -e /var/lib/groundwork/generations/5/rolled-back && echo rolled-back",
    ),
    "4\nactive\nrolled-back",
  );
});

test("a target whose kernel refuses kexec gets the clear refusal before anything changes, and keeps running", {
  skip,
}, async () => {
  const transport = await login();
  await transport.runChecked("sysctl -q -w kernel.kexec_load_disabled=1");
  const seed = await planOf("examples/seed");
  await assert.rejects(
    deploy({
      ...bench.deployContext(seed, "examples/seed"),
      phases: ["kexec", "disk", "install", "reboot"],
      transport,
      kexec: {
        installer: async () => bench.installer,
        destination: { user: "root", host: "127.0.0.1", port: bench.machine.sshPort },
        ssh: bench.rootSsh,
        timeoutMs: 300_000,
      },
    }),
    (error: unknown) => {
      assert.ok(error instanceof TargetError, String(error));
      assert.equal(error.code, "GW_KEXEC_DISABLED");
      assert.match(error.message, /kexec_load_disabled.*Nothing was changed.*--phases disk,install,reboot/s);
      return true;
    },
  );
  await transport.close();
  assert.equal(
    await on("findmnt -no SOURCE /; cat /var/lib/groundwork/current"),
    "/dev/sda3\n4",
    "untouched",
  );
});

test("groundwork.lock moves an installed package to its pinned version; a pin the mirror lost fails clearly, changing nothing", {
  skip,
}, async () => {
  // htop as the mirror has it, then replaced by a package of another version that no mirror has.
  const real = await on("dpkg-query -W htop | cut -f2");
  await on(
    "set -e; mkdir -p /tmp/fake/DEBIAN; printf 'Package: htop\\nVersion: 1.0-fake\\nArchitecture: amd64\\nMaintainer: test <test@example.org>\\nDescription: not htop\\n' > /tmp/fake/DEBIAN/control; dpkg-deb -b /tmp/fake /tmp/fake.deb >/dev/null; dpkg -i /tmp/fake.deb >/dev/null 2>&1",
  );
  assert.equal(await on("dpkg-query -W htop | cut -f2"), "1.0-fake");
  // A kernel newer than the running one, as a package change would bring: the switch says to reboot.
  await on("touch /boot/vmlinuz-99.0.0-test-amd64");
  const extras = await planOf("test/vm/fixtures/switch/extras.ts");
  const pinned = await switchTo(extras, { versions: { htop: real } });
  assert.equal(pinned.generation, 6);
  assert.ok(
    pinned.events.some(
      (event) =>
        event.type === "note" &&
        /^Kernel 99\.0\.0-test-amd64 is installed; \S+ runs until the machine reboots: reboot to run it\.$/.test(
          event.text,
        ),
    ),
    "the switch says that the newer kernel runs after a reboot",
  );
  await on("rm /boot/vmlinuz-99.0.0-test-amd64");
  assert.match(
    planText(pinned.events),
    new RegExp(`^~ package htop \\(1\\.0-fake → ${real.replace(/[.+]/g, "\\$&")}, pinned\\)$`, "m"),
  );
  assert.equal(await on("dpkg-query -W htop | cut -f2; test -x /usr/bin/htop && echo runs"), `${real}\nruns`);

  await assert.rejects(switchTo(extras, { versions: { htop: "9.9-gone" } }), (error: unknown) => {
    assert.ok(error instanceof PinError, String(error));
    assert.match(error.message, /no longer has htop 9\.9-gone.*run groundwork pins update htop/);
    return true;
  });
  assert.equal(
    await on(
      "cat /var/lib/groundwork/current; dpkg-query -W htop | cut -f2; test -e /var/lib/groundwork/generations/7/failed && echo failed",
    ),
    `6\n${real}\nfailed`,
  );
  const transport = await login();
  const state = await readMachineState(transport);
  await transport.close();
  assert.deepEqual(
    state.generations.slice(-2).map((entry) => [entry.number, entry.current, entry.failed !== undefined]),
    [
      [6, true, false],
      [7, false, true],
    ],
  );
});

test("a second switch while another holds the machine is refused, naming it; the lock of a switch that died is taken over", {
  skip,
}, async () => {
  const state = "/var/lib/groundwork";
  assert.equal(
    await on(`test -e ${state}/switch.lock && echo held || echo free`),
    "free",
    "every switch so far released it",
  );
  // Another deployer's switch to generation 99 is running.
  await on(
    `mkdir ${state}/switch.lock && printf '99\\t%s\\talice@laptop\\n' "$(date +%s)" > ${state}/switch.lock/holder && systemd-run --quiet --unit=groundwork-switch-99 sleep 600`,
  );
  const seed = await planOf("examples/seed");
  await assert.rejects(switchTo(seed), (error: unknown) => {
    assert.ok(error instanceof StopError, String(error));
    assert.equal(error.code, "GW_SWITCH_LOCKED");
    assert.match(
      error.message,
      /is busy with the switch to generation 99 by alice@laptop since \S+; nothing was changed/,
    );
    return true;
  });
  assert.equal(
    await on(`cat ${state}/current; test -e ${state}/generations/8 && echo written || echo none`),
    "6\nnone",
  );
  // It dies without releasing the lock (as a power cut would leave it): the next switch takes the lock over.
  await on(
    `systemctl stop groundwork-switch-99; printf '99\\t100\\talice@laptop\\n' > ${state}/switch.lock/holder`,
  );
  const taken = await switchTo(seed);
  assert.equal(taken.generation, 8);
  assert.ok(
    taken.events.some(
      (event) =>
        event.type === "note" && /generation 99 ended without releasing the switch lock/.test(event.text),
    ),
  );
  assert.equal(
    await on(`cat ${state}/current; test -e ${state}/switch.lock && echo held || echo released`),
    "8\nreleased",
  );
});

test("a power cut during a switch's apply: the next boot goes back to the previous generation and marks the cut one; switch says so, and the next switch works", {
  timeout: 1_200_000,
  skip: skip || (process.env.GW_VM_ALL !== "1" && "runs with npm run test:vm-all"),
}, async () => {
  const state = "/var/lib/groundwork";
  const extras = await planOf("test/vm/fixtures/switch/extras.ts");
  // From the seed, so that the switch changes something; numbers as the machine has them.
  const seed = await planOf("examples/seed");
  await switchTo(seed).catch(() => undefined);
  const [before = "", last = ""] = (
    await on(`cat ${state}/current; ls ${state}/generations | sort -n | tail -n 1`)
  ).split("\n");
  const cutOne = Number(last) + 1;
  let cut: Promise<void> | undefined;
  const switching = switchTo(extras, {
    events: (event) => {
      if (cut !== undefined || event.type !== "phase-start" || event.phase !== "activate") return;
      // The apply installs htop from the mirror: seconds in, it is half way.
      cut = new Promise((resolve) => setTimeout(resolve, 4000)).then(() => bench.machine.powerCut());
    },
  });
  let settled = false;
  const outcome = switching.then(
    () => undefined,
    (error: unknown) => error,
  );
  void outcome.then(() => {
    settled = true;
  });
  while (cut === undefined && !settled) await new Promise((resolve) => setTimeout(resolve, 200));
  // The message only when it fails: awaiting the outcome first would wait for the switch to give up.
  if (cut === undefined)
    assert.fail(`the switch ended before its activation began: ${String(await outcome)}`);
  await cut;
  await bench.bootDisk("bios");
  const error = await outcome;
  if (!(error instanceof RolledBackError))
    assert.fail(
      `${String(error)}\n--- on the machine:\n${await on(`cat ${state}/current; ls ${state}/generations/${cutOne}; journalctl -b -u groundwork-recover --no-pager | tail -n 20; tail -n 20 ${state}/generations/${cutOne}/log`).catch(String)}`,
    );
  assert.match(
    error.message,
    new RegExp(
      `restarted before generation ${cutOne} was confirmed; at boot it went back to generation ${before}`,
    ),
  );
  assert.equal(
    await on(
      `cat ${state}/current; for mark in started interrupted decided rolled-back confirmed; do test -e ${state}/generations/${cutOne}/$mark && echo $mark; done; command -v htop || echo no-htop; test -e /etc/groundwork-test.conf || echo no-file; test -e ${state}/switch.lock || echo free`,
    ),
    [before, "started", "interrupted", "decided", "rolled-back", "no-htop", "no-file", "free"].join("\n"),
  );
  const again = await switchTo(extras);
  assert.equal(again.generation, cutOne + 1);
  assert.equal(await on(`cat ${state}/current; command -v htop`), `${cutOne + 1}\n/usr/bin/htop`);
});

test("a full disk: the switch fails cleanly, saying so, and the machine stays on its generation with the lock free", {
  skip,
}, async () => {
  const state = "/var/lib/groundwork";
  const big = await planOf("test/vm/fixtures/switch/big-package.ts");
  const [current = "", last = "", htop = ""] = (
    await on(
      `cat ${state}/current; ls ${state}/generations | sort -n | tail -n 1; command -v htop || echo no-htop`,
    )
  ).split("\n");
  const next = Number(last) + 1;
  // Not a byte left: not even the generation's files can be written.
  await on(
    "i=0; for size in 1G 100M 10M 1M 64K 4K; do while fallocate -l $size /fill.$i 2>/dev/null; do i=$((i + 1)); done; done; sync",
  );
  await assert.rejects(switchTo(big), (error: unknown) => {
    assert.match(
      String(error),
      new RegExp(
        `could not write generation ${next} on root@127\\.0\\.0\\.1:\\d+: .*No space left on device`,
      ),
    );
    return true;
  });
  assert.equal(
    await on(
      `cat ${state}/current; ls ${state}/generations | sort -n | tail -n 1; test -e ${state}/switch.lock || echo free`,
    ),
    `${current}\n${last}\nfree`,
  );
  // A few MB left for all but root: the generation is written, apt finds no room for git's download.
  await on(
    "rm -f /fill.*; avail=$(df --output=avail -B1 / | tail -n 1); fallocate -l $((avail - 5 * 1024 * 1024)) /fill.0; sync",
  );
  try {
    await assert.rejects(switchTo(big), (error: unknown) => {
      assert.match(
        String(error),
        new RegExp(
          `the package changes of generation ${next} failed on root@127\\.0\\.0\\.1:\\d+ and were undone; nothing else was changed`,
        ),
      );
      return true;
    });
    assert.equal(
      await on(
        `cat ${state}/current; test -e ${state}/generations/${next}/failed && echo failed; command -v git || echo no-git; command -v htop || echo no-htop; test -e ${state}/switch.lock || echo free`,
      ),
      `${current}\nfailed\nno-git\n${htop}\nfree`,
    );
  } finally {
    await on("rm -f /fill.*");
  }
});

test("the network cut during a switch's activation, for longer than the confirmation waits: the machine goes back by itself, and switch says so once it answers", {
  skip: skip || (process.env.GW_VM_ALL !== "1" && "runs with npm run test:vm-all"),
}, async () => {
  const state = "/var/lib/groundwork";
  // Whichever of the two configurations the machine does not run: the switch changes something.
  const runsExtras = (await on("command -v htop || echo none")) !== "none";
  const target = await planOf(runsExtras ? "examples/seed" : "test/vm/fixtures/switch/extras.ts");
  // Fresh package lists and htop's package at hand: the apply and its rollback need no network, so that the
  // cut falls on the activation and the confirmation, not on apt waiting for the mirror.
  await on(
    "apt-get update -qq >/dev/null && apt-get install --download-only -y -qq htop >/dev/null; echo ready",
  );
  const before = await on(`cat ${state}/current`);
  let cut: Promise<void> | undefined;
  const outcome = switchTo(target, {
    events: (event) => {
      if (cut !== undefined || event.type !== "phase-start" || event.phase !== "activate") return;
      // Once the apply began on the machine (a cut before it would only lose the command that starts it), down
      // for longer than the machine waits for the confirmation (60 s after the activation); then back.
      const generation = /generation (\d+)/.exec(event.description)?.[1] ?? "";
      cut = on(
        `for i in $(seq 300); do test -e ${state}/generations/${generation}/started && break; sleep 0.1; done`,
      )
        .then(() => bench.machine.setLink(false))
        .then(() => new Promise((resolve) => setTimeout(resolve, 120_000)))
        .then(() => bench.machine.setLink(true));
    },
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
  const error = await outcome;
  await cut;
  if (!(error instanceof RolledBackError)) {
    const generation = await on(`ls ${state}/generations | sort -n | tail -n 1`);
    assert.fail(
      `${String(error)}\n--- on the machine:\n${await on(`ls ${state}/generations/${generation}; tail -n 40 ${state}/generations/${generation}/log; systemctl list-units --no-pager 'groundwork*'; ps -eo pid,etime,args | grep -v ']$' | tail -n 25`).catch(String)}`,
    );
  }
  assert.match(
    error.message,
    new RegExp(`the machine went back to generation ${before} by itself and answers again`),
  );
  // The rollback records itself before it undoes the package changes; the lock goes once those are done.
  assert.equal(
    await on(
      `for i in $(seq 120); do test -e ${state}/switch.lock || break; sleep 1; done; cat ${state}/current; test -e ${state}/switch.lock || echo free`,
    ),
    `${before}\nfree`,
  );
});
