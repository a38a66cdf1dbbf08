import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { test } from "node:test";
import { main } from "../../src/cli/main.ts";
import type { Output } from "../../src/cli/output.ts";

const SRC = resolve(import.meta.dirname, "../../src");

/** The modules that loading `file` loads: static imports only (`import type` is erased, `import()` waits). */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(/^(?:import|export)\s+(?!type\s)(?:[^;]*?\sfrom\s+)?"(\.[^"]+)"/gm))
    staticImports(resolve(dirname(file), match[1] ?? ""), seen);
  return seen;
}

function capture(): Output & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
}

test("declaring the commands (groundwork --help) loads none of their implementations", () => {
  const loaded = [...staticImports(resolve(SRC, "cli/main.ts"))].map((file) => relative(SRC, file));
  const outsideDeclarations = loaded.filter(
    (file) => file.startsWith("cli/actions/") || !(file.startsWith("cli/") || file === "errors/index.ts"),
  );
  // The deploy phases are a list of four names, for --phases' help and parser; the destination parser reads
  // <destination> and --target-host when the command line is read; quote() writes the command to report a bug.
  assert.deepEqual(outsideDeclarations.sort(), [
    "plan/deploy-phases.ts",
    "render/quote.ts",
    "transport/destination.ts",
  ]);
});

test("--help lists every command", async () => {
  const output = capture();
  assert.equal(await main(["--help"], output), 0);
  const help = output.out.join("");
  for (const name of ["eval", "schema", "disk", "build", "installer", "deploy", "test", "switch", "pins"])
    assert.match(help, new RegExp(`^  ${name} `, "m"));
});

test("a disk subcommand's help lists the disk modes as --mode's choices", async () => {
  const output = capture();
  assert.equal(await main(["disk", "help", "script"], output), 0);
  assert.match(output.out.join(""), /choices: "destroy", "format",\s+"mount", "unmount", "disko"/);
});

test("a command's implementation runs when the command does", async () => {
  const output = capture();
  assert.equal(await main(["eval", "examples/seed", "disko.devices.disk.main.device"], output), 0);
  assert.match(output.out.join(""), /^\/dev\//);
});

test("the shared --disk option rejects a value that is not NAME=DEVICE, with exit code 2", async () => {
  const output = capture();
  assert.equal(await main(["eval", "examples/seed", "--disk", "main"], output), 2);
  assert.match(output.err.join(""), /--disk "main": expected NAME=DEVICE/);
});

test("unlock takes its passphrase from a file, SSH_PASS or the terminal, never from an argument", async () => {
  const run = async (...args: string[]) => {
    const output = capture();
    const code = await main(["unlock", "root@192.0.2.10", ...args], output);
    return { code, err: output.err.join("") };
  };
  const missing = await run("--passphrase-file", "/nonexistent/passphrase");
  assert.equal(missing.code, 2);
  assert.match(missing.err, /--passphrase-file "?\/nonexistent\/passphrase"?: cannot read it \(ENOENT\)/);
  const both = await run("--passphrase-file", "/etc/hostname", "--env-password");
  assert.match(both.err, /pass one of them/);
  // The test runner's standard input is no terminal: nobody could type it.
  const typed = await run();
  assert.match(typed.err, /nobody can type the passphrase: pass --passphrase-file FILE/);
  const unknown = await run("--passphrase", "secret");
  assert.match(unknown.err, /unknown option '--passphrase'/);
});
