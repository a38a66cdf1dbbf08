import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { renderSudoCommand, SUDO_REFUSED } from "../../src/render/sudo-command.ts";
import { diagnoseSsh } from "../../src/transport/ssh-error.ts";

// A stub sudo: `-v` accepts the password "right" on stdin; `-n sh -c CMD` runs CMD.
const bin = mkdtempSync(join(tmpdir(), "groundwork-sudo-test-"));
after(() => rmSync(bin, { recursive: true, force: true }));
writeFileSync(
  join(bin, "sudo"),
  `#!/bin/sh
case "$*" in
  *-v*) IFS= read -r line; [ "$line" = right ] ;;
  "-n sh -c "*) shift 3; exec sh -c "$1" ;;
  *) exit 2 ;;
esac
`,
);
chmodSync(join(bin, "sudo"), 0o755);

function run(command: string, input: string) {
  const result = spawnSync("/bin/sh", ["-c", command], {
    input,
    encoding: "utf8",
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  return { command, exitCode: result.status, stdout: result.stdout, stderr: result.stderr, durationMs: 1 };
}

test("the sudo wrapper reads the password from stdin and runs the command, redirections included, through sudo", () => {
  const out = join(bin, "written");
  const result = run(
    renderSudoCommand(`echo "it's root" > '${out}'; cat '${out}'`, { withPassword: true }),
    "right\n",
  );
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(result.stdout, "it's root\n");
});

test("a password sudo refuses ends the wrapper with its own code, which ssh's diagnosis explains", () => {
  const result = run(renderSudoCommand("echo never", { withPassword: true }), "wrong\n");
  assert.equal(result.exitCode, SUDO_REFUSED);
  assert.equal(result.stdout, "");
  const error = diagnoseSsh("deployer@host", result, "/known_hosts");
  assert.equal(error?.code, "GW_SUDO_PASSWORD");
  assert.match(error?.message ?? "", /SSH_PASS/);
});

test("a command's own exit 97 is not mistaken for a refused password", () => {
  const result = run(renderSudoCommand("exit 97", { withPassword: false }), "");
  assert.equal(result.exitCode, 97);
  assert.equal(diagnoseSsh("deployer@host", result, "/known_hosts"), undefined);
});
