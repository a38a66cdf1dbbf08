// boot.kernelParams, boot.kernelModules, boot.blacklistedKernelModules, boot.kernel.sysctl and
// boot.loader.timeout: planned into the system, rendered into its activation, shown in a switch.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { configSchema } from "../../src/config/schema.ts";
import { describeSwitch, planSwitch } from "../../src/plan/switch-plan.ts";
import { planSystem } from "../../src/plan/system-plan.ts";
import { renderActivationScript } from "../../src/render/activation-script.ts";

const kernel = {
  kernelParams: ["mitigations=auto"],
  kernelModules: ["br_netfilter", "br_netfilter"],
  blacklistedKernelModules: ["pcspkr"],
  kernel: {
    sysctl: { "vm.swappiness": 10, "net.ipv4.ip_forward": true, "kernel.sysrq": false, "fs.unset": null },
  },
};

test("kernel options are planned as sysctl.d and modprobe take them; the boot menu waits 5 s, 1 s on a QEMU guest", () => {
  const spec = planSystem(configSchema.parse({ boot: kernel }));
  assert.deepEqual(spec.kernelParams, ["mitigations=auto"]);
  assert.deepEqual(spec.kernelModules, ["br_netfilter"]);
  assert.deepEqual(spec.blacklistedKernelModules, ["pcspkr"]);
  assert.deepEqual(spec.sysctl, { "kernel.sysrq": "0", "net.ipv4.ip_forward": "1", "vm.swappiness": "10" });
  assert.equal(spec.bootTimeout, 5);
  const guest = planSystem(configSchema.parse({ boot: kernel, profiles: { qemuGuest: { enable: true } } }));
  assert.equal(guest.bootTimeout, 1);
  assert.deepEqual(guest.kernelParams, ["console=tty0", "console=ttyS0,115200", "mitigations=auto"]);
  assert.equal(planSystem(configSchema.parse({ boot: { loader: { timeout: null } } })).bootTimeout, null);

  const script = renderActivationScript(spec);
  execFileSync("sh", ["-n"], { input: script });
  assert.match(
    script,
    /'kernel\.sysrq = 0' 'net\.ipv4\.ip_forward = 1' 'vm\.swappiness = 10' > \/etc\/sysctl\.d\/90-groundwork\.conf/,
  );
  assert.match(script, /then sysctl -q -p \/etc\/sysctl\.d\/90-groundwork\.conf; fi/);
  assert.match(script, /printf '%s\\n' br_netfilter > \/etc\/modules-load\.d\/groundwork\.conf/);
  assert.match(script, /then modprobe -a br_netfilter; fi/);
  assert.match(script, /'blacklist pcspkr' > \/etc\/modprobe\.d\/groundwork-blacklist\.conf/);
  assert.match(script, /GRUB_TIMEOUT=5/);
  // Without them, their files are taken away.
  const plain = renderActivationScript(planSystem(configSchema.parse({})));
  assert.match(plain, /rm -f \/etc\/sysctl\.d\/90-groundwork\.conf/);
  assert.match(plain, /rm -f \/etc\/modules-load\.d\/groundwork\.conf/);
  assert.doesNotMatch(plain, /modprobe -a|sysctl -q/);
});

test("a switch shows the kernel settings, modules and boot menu it changes", () => {
  const before = planSystem(configSchema.parse({}));
  const after = planSystem(configSchema.parse({ boot: { ...kernel, loader: { timeout: null } } }));
  const lines = describeSwitch(planSwitch(before, after, new Map(), new Set()));
  assert.ok(lines.includes("~ boot menu timeout waits for a key (was 5 s)"), lines.join("\n"));
  assert.ok(lines.includes("~ kernel modules br_netfilter (was none)"), lines.join("\n"));
  assert.ok(lines.includes("~ blacklisted kernel modules pcspkr (was none)"), lines.join("\n"));
  assert.ok(
    lines.includes("~ sysctl kernel.sysrq=0 net.ipv4.ip_forward=1 vm.swappiness=10 (was none)"),
    lines.join("\n"),
  );
  assert.ok(lines.includes("~ kernel command line mitigations=auto (was )"), lines.join("\n"));
});
