import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { describeSwitch, planSwitch } from "../../src/plan/switch-plan.ts";
import type { SystemSpec } from "../../src/plan/system-spec.ts";
import {
  renderApplyScript,
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

const installed = new Set(["openssh-server", "sudo"]);
const kept = new Set(["openssh-server", "sudo"]);

test("the same system is nothing to do", () => {
  const plan = planSwitch(base, base, installed, kept);
  assert.deepEqual(plan, { changes: [], install: [], remove: [] });
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
  const removing = planSwitch(changed, base, new Set([...installed, "htop"]), kept);
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
    renderPackagesScript(plan, { htop: "3.2.2-2" }),
    renderPackagesScript({ install: plan.remove, remove: plan.install }),
    renderSwitchActivation(base, changed),
    renderSwitchActivation(changed, base),
    renderApplyScript(2, 1, 60),
    renderRollbackScript(2, 1),
  ])
    execFileSync("/bin/sh", ["-n"], { input: script });
  assert.match(
    renderPackagesScript(plan, { htop: "3.2.2-2" }),
    /install --no-install-recommends htop=3\.2\.2-2/,
  );
  const back = renderSwitchActivation(changed, base);
  assert.match(back, /userdel --remove bob/);
  assert.match(back, /rm -f \/etc\/motd/);
  assert.match(back, /systemctl disable --now tick\.service/);
  const apply = renderApplyScript(2, 1, 60);
  assert.match(apply, /systemd-run --quiet --unit=groundwork-rollback-2 --on-active=60s/);
  assert.ok(
    apply.indexOf("packages.sh") < apply.indexOf("groundwork-rollback-2") &&
      apply.indexOf("groundwork-rollback-2") < apply.indexOf("activate.sh"),
    "packages first, then the rollback is armed, then the activation",
  );
});
