import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import type { Facts } from "../../src/facts/facts.ts";
import { parseFacts } from "../../src/facts/parse-facts.ts";
import { installerRunCpio } from "../../src/image/installer/run-config.ts";
import { checkKexec, decideKexec, recordNetwork } from "../../src/plan/kexec.ts";
import { seedLayout } from "../disk/layout.ts";

// Facts recorded from a Debian 12 machine (test/facts/fixtures): eth0 with static IPv4 and IPv6.
const recorded = parseFacts(
  readFileSync(new URL("../facts/fixtures/facts-debian12-host.txt", import.meta.url), "utf8"),
);
const loop = recorded.blockDevices.find((device) => device.path === "/dev/loop0");
const disk = loop === undefined ? [] : [{ ...loop, type: "disk", children: [] }];
const facts = (change: Partial<Facts> = {}): Facts => ({
  ...recorded,
  memoryBytes: 1000 * 2 ** 20,
  kexec: { loadDisabled: false, supported: true },
  lockdown: "none",
  hypervisor: undefined,
  mounts: [{ source: "/dev/loop0p2", target: "/", fsType: "ext4" }],
  swaps: [],
  devices: { "/dev/loop0": "/dev/loop0" },
  blockDevices: disk.map((device) => ({
    ...device,
    children: [{ ...device, name: "loop0p2", path: "/dev/loop0p2", type: "part" }],
  })),
  ...change,
});

test("kexec is needed when the system runs from a declared disk, not when it is the installer or the disks are free", () => {
  const layout = seedLayout("/dev/loop0");
  assert.deepEqual(decideKexec(layout, facts(), "/mnt"), { needed: true });
  assert.equal(decideKexec(layout, facts({ installer: "abc" }), "/mnt").needed, false);
  const free = decideKexec(layout, facts({ mounts: [] }), "/mnt");
  assert.deepEqual(free, { needed: false, reason: "its declared disks are free (a live or rescue system)" });
});

test("a target that can kexec passes", () => {
  assert.deepEqual(checkKexec(facts(), { installerBytes: 150 * 2 ** 20 }), []);
});

test("refuses kexec where it cannot work, saying what to do instead", () => {
  const cases: [Partial<Facts>, string, RegExp][] = [
    [{ architecture: "aarch64" }, "GW_KEXEC_ARCH", /aarch64 and groundwork's installer is built for x86-64/],
    [{ kexec: { loadDisabled: undefined, supported: false } }, "GW_KEXEC_UNSUPPORTED", /built without kexec/],
    [{ kexec: { loadDisabled: true, supported: true } }, "GW_KEXEC_DISABLED", /kexec_load_disabled is 1/],
    [{ lockdown: "integrity" }, "GW_KEXEC_LOCKDOWN", /locked down \(integrity/],
    [{ hypervisor: { type: "xen", guestType: "PV" } }, "GW_KEXEC_XEN_PV", /Xen PV/],
    [{ memoryBytes: 512 * 2 ** 20 }, "GW_KEXEC_MEMORY", /512 MiB of RAM; the installer runs from RAM/],
  ];
  for (const [change, code, message] of cases) {
    const refusals = checkKexec(facts(change));
    assert.deepEqual(
      refusals.map((refusal) => refusal.code),
      [code],
    );
    assert.match(refusals[0]?.message ?? "", message);
    assert.match(refusals[0]?.message ?? "", /Nothing was changed\. .*--phases disk,install,reboot/);
  }
  assert.deepEqual(
    checkKexec(facts({ hypervisor: { type: "xen", guestType: "HVM" } })),
    [],
    "Xen HVM guests kexec",
  );
});

test("records every global address by MAC, the gateways, other routes and the DNS servers", () => {
  const network = recordNetwork(
    facts({
      routes: [
        ...recorded.routes,
        { destination: "10.9.0.0/16", gateway: "192.0.2.254", device: "eth0" },
        { destination: "10.8.0.1", gateway: "192.0.2.254", device: "eth0" },
        { destination: "10.7.0.0/16", gateway: "172.17.0.2", device: "docker0" },
      ],
      nameservers: ["127.0.0.53", "10.255.255.53", "10.255.255.53"],
    }),
  );
  assert.deepEqual(network, {
    interfaces: [
      {
        mac: "02:fc:00:00:00:01",
        addresses: ["192.0.2.2/24", "fd00::2/64"],
        gateways: ["192.0.2.1", "fd00::1"],
      },
    ],
    routes: [
      { destination: "10.9.0.0/16", gateway: "192.0.2.254" },
      { destination: "10.8.0.1/32", gateway: "192.0.2.254" },
    ],
    nameservers: ["10.255.255.53"],
  });
  // What the installer's /init reads.
  const cpio = installerRunCpio({ authorizedKeys: ["ssh-ed25519 AAAA test"], network }).toString("latin1");
  assert.match(cpio, /address 02:fc:00:00:00:01 192\.0\.2\.2\/24\naddress 02:fc:00:00:00:01 fd00::2\/64\n/);
  assert.match(cpio, /route default 192\.0\.2\.1 02:fc:00:00:00:01\n/);
  assert.match(cpio, /route 10\.8\.0\.1\/32 192\.0\.2\.254\n/);
});
