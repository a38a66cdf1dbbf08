import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import type { SystemSpec } from "../../src/facts/system-spec.ts";
import { describeSwitch, planSwitch } from "../../src/plan/switch-plan.ts";
import { waitingKernel } from "../../src/plan/switch-run.ts";
import {
  renderApplyScript,
  renderAptPreferences,
  renderPackagesScript,
  renderRollbackScript,
  renderSwitchActivation,
} from "../../src/render/switch-script.ts";

const base: SystemSpec = {
  hostName: "web1",
  timeZone: undefined,
  users: [
    {
      name: "root",
      isNormalUser: false,
      groups: [],
      hashedPassword: undefined,
      authorizedKeys: ["ssh-ed25519 A"],
    },
  ],
  openssh: { enable: true, permitRootLogin: "prohibit-password", passwordAuthentication: false },
  network: { dhcp: true, interfaces: [], defaultGateway: undefined, nameservers: [] },
  kernelParams: [],
  enableUnits: [],
  packages: [],
  etc: [],
  services: [],
};

const changed: SystemSpec = {
  ...base,
  packages: ["htop"],
  users: [
    ...base.users,
    {
      name: "bob",
      isNormalUser: true,
      groups: [],
      hashedPassword: undefined,
      authorizedKeys: ["ssh-ed25519 B"],
    },
  ],
  etc: [{ path: "motd", text: "hello\n", mode: "0644", user: "root", group: "root" }],
  services: [
    {
      name: "tick",
      enable: true,
      unit: "[Unit]\nDescription=tick\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n",
      wantedBy: ["multi-user.target"],
    },
  ],
};

const installed = new Map([
  ["openssh-server", "1:9.2p1-2+deb12u7"],
  ["sudo", "1.9.13p3-1+deb12u2"],
]);
const kept = new Set(["openssh-server", "sudo"]);

test("the same system is nothing to do", () => {
  const plan = planSwitch(base, base, installed, kept);
  assert.deepEqual(plan, { changes: [], install: [], remove: [], versions: [] });
  assert.deepEqual(describeSwitch(plan), ["Nothing to do: the machine is as configured."]);
});

test("shows what a switch adds, and what taking it out again removes", () => {
  const adding = planSwitch(base, changed, installed, kept);
  assert.deepEqual(describeSwitch(adding), [
    "+ package htop",
    "+ user bob",
    "+ file /etc/motd",
    "+ service tick (enabled, unit by groundwork)",
    "4 to add, 0 to change, 0 to remove.",
  ]);
  const removing = planSwitch(changed, base, new Map([...installed, ["htop", "3.2.2-2"]]), kept);
  assert.deepEqual(describeSwitch(removing), [
    "- package htop",
    "- user bob",
    "- file /etc/motd",
    "- service tick",
    "0 to add, 0 to change, 4 to remove.",
  ]);
  assert.deepEqual(removing.remove, ["htop"]);
});

test("never removes a package the system needs, and installs a declared one that went missing", () => {
  const from = { ...base, packages: ["sudo", "htop"] };
  const plan = planSwitch(from, { ...base, packages: ["htop"] }, installed, kept);
  assert.deepEqual(plan.remove, [], "sudo is part of the base system");
  assert.deepEqual(plan.install, ["htop"], "htop was declared but is not installed");
});

test("groundwork.lock moves installed packages to their pinned versions, dependencies included", () => {
  const pins = { htop: "3.2.2-2", sudo: "1.9.13p3-1+deb12u3", "openssh-server": "1:9.2p1-2+deb12u7" };
  const plan = planSwitch(base, changed, installed, kept, pins);
  assert.deepEqual(plan.versions, [{ name: "sudo", from: "1.9.13p3-1+deb12u2", to: "1.9.13p3-1+deb12u3" }]);
  assert.deepEqual(
    describeSwitch(plan).filter((line) => line.includes("package")),
    ["+ package htop (3.2.2-2)", "~ package sudo (1.9.13p3-1+deb12u2 → 1.9.13p3-1+deb12u3, pinned)"],
  );
  const script = renderPackagesScript(plan, {
    pins,
    preferences: "/var/lib/groundwork/generations/2/pins.pref",
  });
  execFileSync("/bin/sh", ["-n"], { input: script });
  assert.match(
    script,
    /-o Dir::Etc::Preferences=\/var\/lib\/groundwork\/generations\/2\/pins\.pref --allow-downgrades install --no-install-recommends htop=3\.2\.2-2 sudo=1\.9\.13p3-1\+deb12u3$/m,
  );
  // sudo keeps its mark: automatically installed stays so.
  assert.match(
    script,
    /^auto=\$\(apt-mark showauto sudo\)\n.*\n\[ -z "\$auto" \] \|\| apt-mark auto \$auto/m,
  );
  assert.equal(
    renderAptPreferences({ htop: "3.2.2-2" }),
    "Package: htop\nPin: version 3.2.2-2\nPin-Priority: 1001\n",
  );
  // Without a lock, versions stay as they are.
  assert.deepEqual(planSwitch(base, base, installed, kept).versions, []);
});

test("changes of settings name the old value", () => {
  const plan = planSwitch(
    base,
    { ...base, hostName: "web2", openssh: { ...base.openssh, enable: false } },
    installed,
    kept,
  );
  assert.deepEqual(describeSwitch(plan).slice(0, 2), [
    "~ host name web2 (was web1)",
    "~ ssh OFF, PermitRootLogin prohibit-password, PasswordAuthentication no (was on, PermitRootLogin prohibit-password, PasswordAuthentication no)",
  ]);
});

test("the scripts of a switch and of its rollback are valid sh", () => {
  const plan = planSwitch(base, changed, installed, kept);
  for (const script of [
    renderPackagesScript(plan, { pins: { htop: "3.2.2-2" } }),
    renderPackagesScript({ install: plan.remove, remove: plan.install, versions: [] }),
    renderSwitchActivation(base, changed),
    renderSwitchActivation(changed, base),
    renderApplyScript(2, 1, 60),
    renderRollbackScript(2, 1),
  ])
    execFileSync("/bin/sh", ["-n"], { input: script });
  assert.match(
    renderPackagesScript(plan, { pins: { htop: "3.2.2-2" } }),
    /install --no-install-recommends htop=3\.2\.2-2/,
  );
  const back = renderSwitchActivation(changed, base);
  assert.match(back, /userdel --remove bob/);
  assert.match(back, /rm -f \/etc\/motd/);
  assert.match(back, /systemctl disable --now tick\.service/);
  const apply = renderApplyScript(2, 1, 60);
  assert.match(apply, /systemd-run --quiet --unit=groundwork-rollback-2 --on-active=60s/);
  assert.ok(
    apply.indexOf("packages.sh") < apply.indexOf("sh /var/lib/groundwork/generations/2/activate.sh") &&
      apply.indexOf("/activate.sh") < apply.indexOf("--unit=groundwork-rollback-2"),
    "packages first, then the activation, then the rollback is armed: the timer counts from where the deployer does",
  );
});

test("a switch runs again only the sections of the activation whose part of the configuration changed", () => {
  const forth = renderSwitchActivation(base, changed);
  for (const section of ["# user bob", "# files below /etc", "# services (systemd.services)"])
    assert.ok(forth.includes(section), `${section} runs`);
  for (const section of ["# host name", "# user root", "# OpenSSH", "# network", "# time zone"])
    assert.ok(!forth.includes(section), `${section} is unchanged and does not run`);
  assert.match(forth, /groundwork: activated \(user bob, files, services\)/);
  // Without a recorded system, everything runs.
  const first = renderSwitchActivation(undefined, base);
  for (const section of ["# host name", "# user root", "# OpenSSH", "# network", "# time zone"])
    assert.ok(first.includes(section), `${section} runs on a machine without a recorded system`);
  // Taking the last service away reloads systemd once, for the unit file that went.
  const back = renderSwitchActivation(changed, base);
  assert.equal(back.match(/systemctl daemon-reload/g)?.length, 1);
  assert.ok(!back.includes("# user root"));
});

test("the activation log's word of a newer kernel becomes a note to reboot", () => {
  const apply = renderApplyScript(2, 1, 60);
  assert.match(apply, /linux-version list .* linux-version sort --reverse/);
  assert.equal(
    waitingKernel(
      "groundwork: generation 2: activation\ngroundwork: kernel 6.1.0-28-amd64 is installed; 6.1.0-27-amd64 runs until the machine reboots\ngroundwork: generation 2 is active\n",
    ),
    "Kernel 6.1.0-28-amd64 is installed; 6.1.0-27-amd64 runs until the machine reboots: reboot to run it.",
  );
  assert.equal(waitingKernel("groundwork: generation 2 is active\n"), undefined);
});
