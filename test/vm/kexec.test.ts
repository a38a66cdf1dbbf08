import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.ts";
import { type DeployContext, deploy } from "../../src/execute/deploy/deploy.ts";
import { planDeploy, withAuthorizedKey } from "../../src/plan/deploy-plan.ts";
import type { SshTransport } from "../../src/transport/ssh.ts";
import type { RunEvent } from "../../src/ui/events.ts";
import { prepareTestBench } from "../harness/test-bench.ts";

const ADDRESS = "10.0.2.77";

/** The parent of a process, from /proc/PID/stat (the field after the command name in parentheses). */
function parentOf(pid: string): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
  } catch {
    return undefined;
  }
}

/**
 * How many of this test's own processes have `text` in their arguments: those it started (ssh, sh, QEMU) and
 * the ssh control masters of groundwork's connections, which leave that tree as they go to the background.
 */
function processesWith(text: string): number {
  const own = (pid: string): boolean => {
    for (
      let current: string | undefined = pid;
      current !== undefined && current !== "0";
      current = parentOf(current)
    )
      if (current === String(process.pid)) return true;
    return false;
  };
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        return args.includes(text) && (own(pid) || args.includes("groundwork-ssh-"));
      } catch {
        return false;
      }
    }).length;
}

/** alice logs in with her password (`secret`, the hash in the fixture). */
const alicePassword = (knownHostsFile: string) => ({ password: "secret", knownHostsFile });

test("replaces a Debian system on its only disk through kexec, as a sudo user with a password that never reaches an argument, keeping its static address", {
  skip: process.getuid?.() !== 0 && "needs root for mmdebstrap",
}, async (t) => {
  // The old system: installed by groundwork onto the machine's only disk, then booted from it.
  const old = planDeploy((await loadConfig("test/vm/fixtures/kexec-target")).config, {
    rootMountpoint: "/mnt",
  });
  const bench = await prepareTestBench(old, { memoryMiB: 1024, keep: false });
  t.after(() => bench.dispose());
  await bench.machines.startLive();
  const installed = await deploy({
    ...bench.deployContext(old, "test/vm/fixtures/kexec-target"),
    rebooter: bench.rebooter({ user: "alice", ssh: alicePassword(bench.knownHostsFile), address: ADDRESS }),
    phases: ["disk", "install", "reboot"],
    transport: await bench.login(),
  });
  await installed.transport?.close();

  // Log in as alice with her password, as a deployer of a rented server would; leave some old files.
  const port = bench.machine.sshPort;
  const login = () =>
    bench.login({
      user: "alice",
      ssh: { ...alicePassword(bench.knownHostsFile), sshOptions: ["PubkeyAuthentication=no"] },
    });
  let alice = await login();
  const before = await alice.runChecked(
    "cat /proc/sys/kernel/hostname; touch /etc/old-marker; findmnt -no SOURCE /; swapon --show=NAME --noheadings",
  );
  assert.equal(before.exitCode, 0, before.stderr);
  assert.match(
    before.stdout,
    /^old-system\n\/dev\/sda2\[\/rootfs\]\n\/swap\/swapfile\n$/,
    "the old system runs from the disk to be wiped, from a btrfs subvolume, with its swap file on",
  );

  const seed = planDeploy((await loadConfig("examples/seed")).config, { rootMountpoint: "/mnt" });
  const plan = withAuthorizedKey(seed, "root", bench.key.publicKey);
  const events: RunEvent[] = [];
  const context = (transport: SshTransport, phases: DeployContext["phases"]): DeployContext => ({
    ...bench.deployContext(plan, "examples/seed"),
    phases,
    transport,
    events: (event) => events.push(event),
    kexec: {
      installer: async () => bench.installer,
      destination: { user: "alice", host: "127.0.0.1", port },
      ssh: { knownHostsFile: bench.knownHostsFile },
      timeoutMs: 300_000,
    },
  });

  // The kexec phase on its own: the installer runs from RAM, with the same address and host keys.
  const knownHosts = readFileSync(bench.knownHostsFile, "utf8");
  const kexec = await deploy(context(alice, ["kexec"]));
  await alice.close();
  assert.deepEqual(
    kexec.phases.map((phase) => phase.phase),
    ["facts", "kexec", "facts"],
  );
  const installer = kexec.transport;
  assert.ok(installer !== undefined);
  const inside = await installer.runChecked(
    "cat /etc/groundwork-installer; ip -br -4 addr; findmnt -no FSTYPE /",
  );
  await installer.close();
  assert.match(inside.stdout, new RegExp(`^${bench.installer.manifest.hash}\n`));
  assert.match(inside.stdout, new RegExp(`\\b${ADDRESS.replaceAll(".", "\\.")}/24\\b`), inside.stdout);
  assert.match(inside.stdout, /rootfs|ramfs|tmpfs/, "the installer runs from RAM");
  assert.equal(
    readFileSync(bench.knownHostsFile, "utf8"),
    knownHosts,
    "the installer shows the old host keys",
  );

  // The rest, as the same user with the same password (the installer carries her over): kexec is skipped.
  alice = await login();
  const whoami = await alice.run("id -un; echo $SUDO_USER");
  assert.deepEqual(whoami.stdout.trim().split("\n"), ["root", "alice"], "commands run as root through sudo");
  // While the deploy runs, no process here or on the machine has the password in its arguments.
  const deploying = deploy(context(alice, ["kexec", "disk", "install", "reboot"]));
  const seen = await alice.run("sleep 3; ps -eo args");
  assert.equal(
    processesWith("secret"),
    0,
    "no process groundwork started here has the password in its arguments",
  );
  assert.doesNotMatch(seen.stdout, /secret/);
  const result = await deploying;
  await alice.close();
  assert.deepEqual(
    result.phases.map((phase) => phase.phase),
    ["facts", "disk", "install", "reboot"],
  );
  assert.ok(
    events.some(
      (event) =>
        event.type === "note" && /No kexec for .*: it runs the groundwork installer/.test(event.text),
    ),
  );
  const root = result.transport;
  assert.ok(root !== undefined);
  const after = await root.runChecked(
    "cat /proc/sys/kernel/hostname; test -e /etc/old-marker && echo old-marker; id alice 2>/dev/null || echo no-alice",
  );
  await root.close();
  assert.equal(after.stdout, `${plan.system.hostName}\nno-alice\n`, "the new system, without the old files");

  // The seed declares EFI too: the same disk boots under OVMF.
  await bench.bootDisk("uefi");
  const uefi = await bench.login();
  const efi = await uefi.runChecked("test -d /sys/firmware/efi && cat /proc/sys/kernel/hostname");
  await uefi.close();
  assert.equal(efi.stdout.trim(), plan.system.hostName);
});
