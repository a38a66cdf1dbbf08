// disko's hooks: where their steps go in each mode, and what the plan and the script make of their commands.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { planDiskMode } from "../../src/disk/modes.ts";
import { renderDiskScript } from "../../src/render/disk-script.ts";
import { quote } from "../../src/render/quote.ts";
import { layout, layoutProblems } from "./layout.ts";

/** An array of two partitions holding an ext4 root, a volume group on a third; hooks on the array and its content. */
function devices(hooks: Record<string, string>) {
  const partitions = {
    md: { size: "1G", content: { type: "mdraid", name: "root" } },
    pv: { size: "100%", content: { type: "lvm_pv", vg: "pool" } },
  };
  return {
    disk: {
      a: { device: "/dev/vda", content: { type: "gpt", partitions } },
      b: { device: "/dev/vdb", content: { type: "gpt", partitions } },
    },
    mdadm: {
      root: {
        type: "mdadm",
        level: 1,
        ...hooks,
        content: {
          type: "filesystem",
          format: "ext4",
          mountpoint: "/",
          postMountHook: "date > /mnt/installed",
        },
      },
    },
    lvm_vg: {
      pool: {
        type: "lvm_vg",
        preCreateHook: "echo vg",
        lvs: { home: { size: "100M", content: { type: "filesystem", format: "ext4", mountpoint: "/home" } } },
      },
    },
  };
}

const ids = (mode: "format" | "mount" | "unmount", hooks: Record<string, string>) =>
  planDiskMode(layout(devices(hooks)), mode, { rootMountpoint: "/mnt" })
    .map((step) => step.id)
    .filter((id) => !id.startsWith("check") && !id.startsWith("gpt") && !id.startsWith("part"));

test("create hooks wrap a device and what it holds; mount and unmount hooks wrap each mount, outer first", () => {
  const hooks = {
    preCreateHook: "echo a",
    postCreateHook: "echo b",
    preMountHook: "echo c",
    preUnmountHook: "echo d",
  };
  const format = ids("format", hooks);
  const at = (id: string) => format.indexOf(id);
  assert.ok(at("hook:disko.devices.mdadm.root.preCreateHook") < at("mdadm:root"), format.join("\n"));
  assert.ok(
    at("format:disko.devices.mdadm.root.content") < at("hook:disko.devices.mdadm.root.postCreateHook"),
  );
  assert.ok(at("hook:disko.devices.lvm_vg.pool.preCreateHook") < at("lvm_vg:pool"));
  const mount = ids("mount", hooks);
  assert.deepEqual(
    mount.slice(
      mount.indexOf("hook:disko.devices.mdadm.root.preMountHook:mount:/"),
      mount.indexOf("mount:/home"),
    ),
    [
      "hook:disko.devices.mdadm.root.preMountHook:mount:/",
      "mount:/",
      "hook:disko.devices.mdadm.root.content.postMountHook:mount:/",
    ],
  );
  const unmount = ids("unmount", hooks);
  assert.ok(
    unmount.indexOf("hook:disko.devices.mdadm.root.preUnmountHook:unmount:/") ===
      unmount.indexOf("unmount:/") - 1,
  );
  // Without hooks, no hook steps.
  assert.equal(ids("format", {}).filter((id) => id.startsWith("hook:disko.devices.mdadm")).length, 0);
});

test("a hook's commands are one quoted argument of a shell of their own, shown escaped in the plan", () => {
  const devious = "echo '$(id)' ; printf '\\033[2J'\nexit 0";
  const steps = planDiskMode(layout(devices({ postCreateHook: devious })), "format", {
    rootMountpoint: "/mnt",
  });
  const hook = steps.find((step) => step.kind === "hook" && step.run.hook === "postCreateHook");
  assert.equal(
    hook?.description,
    `run disko.devices.mdadm.root.postCreateHook: "echo '$(id)' ; printf '\\\\033[2J'" (and 1 more line)`,
  );
  const script = renderDiskScript(steps, { mode: "format", source: "test" });
  execFileSync("sh", ["-n"], { input: script });
  assert.ok(
    script.includes(`-ec ${quote(devious)} postCreateHook ||`),
    "the commands are one quoted argument",
  );
  assert.equal(execFileSync("sh", ["-c", `printf %s ${quote(devious)}`], { encoding: "utf8" }), devious);
  assert.match(script, /env device=("\$device"|\S+) type=mdadm level=1 /);
  // A NUL byte cannot be in a shell script: refused at its option path.
  assert.deepEqual(
    layoutProblems(devices({ preMountHook: "echo\u0000" })).map((problem) => problem.path),
    ["disko.devices.mdadm.root.preMountHook"],
  );
});
