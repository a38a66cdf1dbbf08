import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import { test } from "node:test";
import { QemuMachine } from "../../src/vm/qemu-machine.ts";

// A machine with one blank disk: SeaBIOS finds nothing to boot and waits, which is enough to drive its life cycle.
test("a machine powers off, starts again, reboots, and leaves nothing behind when stopped", {
  timeout: 120_000,
}, async (t) => {
  const machine = await QemuMachine.start({
    boot: "disk",
    memoryMiB: 128,
    disks: [{ device: "/dev/vda", size: "64M" }],
  });
  t.after(() => machine.stop());
  assert.ok(machine.isRunning);
  assert.equal(statSync(`${machine.dir}/disk0.img`).blocks, 0, "a new disk image is sparse");
  const port = machine.sshPort;

  // No guest answers ACPI here: powerOff pulls the plug after the timeout.
  await machine.powerOff(1000);
  assert.equal(machine.isRunning, false);
  assert.ok(existsSync(machine.dir), "powered off, the machine keeps its folder and disks");

  await machine.start();
  assert.ok(machine.isRunning);
  assert.equal(machine.sshPort, port, "the SSH port stays across starts");
  await machine.reboot({ firmware: "uefi" });
  assert.ok(machine.isRunning);
  assert.ok(existsSync(`${machine.dir}/OVMF_VARS.fd`), "UEFI variables are the machine's own copy");
  assert.match(machine.consoleTail(), /starting with uefi/);

  await assert.rejects(machine.waitForSsh(1500), /did not answer on 127\.0\.0\.1:\d+ within 2 s/);
  await machine.stop();
  assert.equal(machine.isRunning, false);
  assert.equal(existsSync(machine.dir), false, "stop removes the folder the machine made");
  await machine.stop();
});

test("a machine disposed with `await using` is stopped", { timeout: 60_000 }, async () => {
  let dir = "";
  {
    await using machine = await QemuMachine.start({ boot: "disk", memoryMiB: 128 });
    dir = machine.dir;
    assert.ok(machine.isRunning);
  }
  assert.equal(existsSync(dir), false);
});
