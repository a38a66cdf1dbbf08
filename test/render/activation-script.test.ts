import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import type { SystemSpec } from "../../src/facts/system-spec.ts";
import { renderActivationScript } from "../../src/render/activation-script.ts";

const spec: SystemSpec = {
  hostName: "web1",
  timeZone: "Europe/Berlin",
  users: [
    {
      name: "root",
      isNormalUser: false,
      groups: [],
      hashedPassword: undefined,
      authorizedKeys: ["ssh-ed25519 AAAAC3Nza root@laptop"],
    },
    {
      name: "alice",
      isNormalUser: true,
      groups: ["wheel", "audio"],
      hashedPassword: "$6$salt$hash",
      authorizedKeys: ["ssh-ed25519 AAAAC3Nzb alice's key; $(touch /pwned)"],
    },
  ],
  openssh: { enable: true, permitRootLogin: "prohibit-password", passwordAuthentication: false },
  network: {
    dhcp: true,
    interfaces: [{ name: "ens3", macAddress: undefined, addresses: ["192.0.2.10/24"], dhcp: false }],
    defaultGateway: "192.0.2.1",
    nameservers: ["192.0.2.53"],
  },
  kernelParams: ["console=ttyS0,115200"],
  enableUnits: [],
  packages: [],
  etc: [],
  services: [],
};

test("renders an activation script that sh can parse", () => {
  execFileSync("/bin/sh", ["-n"], { input: renderActivationScript(spec) });
});

test("writes keys, hash and host name as single-quoted data, never as code", () => {
  const script = renderActivationScript(spec);
  assert.ok(script.includes(`'ssh-ed25519 AAAAC3Nzb alice'\\''s key; $(touch /pwned)'`));
  assert.ok(script.includes("usermod --password '$6$salt$hash' alice"));
  assert.ok(script.includes("printf '%s\\n' web1 > /etc/hostname"));
});

test("configures static addresses before DHCP, and lets wheel use sudo as in NixOS", () => {
  const script = renderActivationScript(spec);
  assert.match(script, /10-groundwork-static\.network/);
  assert.match(script, /Address=192\.0\.2\.10\/24/);
  assert.match(script, /Gateway=192\.0\.2\.1/);
  assert.match(script, /90-groundwork-dhcp\.network/);
  assert.match(script, /%wheel ALL=\(ALL:ALL\) ALL/);
  assert.match(script, /PasswordAuthentication no/);
  assert.match(script, /systemctl enable ssh\.service/);
});

test("SSH in the initramfs: its keys and port, appended to the current initramfs as one more archive", () => {
  const script = renderActivationScript({
    ...spec,
    initrdSsh: { port: 2222, authorizedKeys: ["ssh-ed25519 AAAAC3Nza root@laptop"] },
  });
  execFileSync("sh", ["-n"], { input: script });
  assert.match(script, /DROPBEAR_OPTIONS="-r \/etc\/dropbear\/dropbear_ed25519_host_key -p 2222 -s -j -k"/);
  assert.match(script, /'ssh-ed25519 AAAAC3Nza root@laptop' > \/etc\/dropbear\/initramfs\/authorized_keys/);
  assert.match(
    script,
    /dropbearconvert openssh dropbear \/etc\/dropbear\/initramfs\/groundwork_ed25519_host_key /,
  );
  // At install and on a switch alike, one more cpio archive goes after each initramfs: it is never made again.
  assert.match(script, /cpio -o -H newc -R 0:0 --quiet\) >> "\$initrd"/);
  assert.match(script, /printf 'root:\*:0:0::\/root-groundwork:\/bin\/sh\\n' > "\$stage\/etc\/passwd"/);
  assert.doesNotMatch(script, /update-initramfs/);
  // Without it, nothing is appended; a machine that had it lets nobody in any more.
  const without = renderActivationScript(spec);
  assert.doesNotMatch(without, /cpio/);
  assert.match(without, /rm -f \/etc\/dropbear\/initramfs\/authorized_keys/);
  assert.match(without, /grep -q 'ok installed'; then update-initramfs -u -k all/);
});
