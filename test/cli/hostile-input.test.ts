import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { main } from "../../src/cli/main.ts";
import type { Output } from "../../src/cli/output.ts";

// Inputs a hostile (or unlucky) user gives, each refused at the door: before any configuration is built,
// any machine is reached or anything is written. Add a row for every input found to slip through.

const CONFIG = "examples/seed";
const scratch = mkdtempSync(join(tmpdir(), "groundwork-hostile-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const aFile = join(scratch, "a-file");
writeFileSync(aFile, "");

interface Row {
  /** The command line after `groundwork`. */
  readonly argv: readonly string[];
  /** Environment variables for this run (undefined: unset); SSH_PASS is unset unless given. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly exitCode: 1 | 2;
  /** What the message on standard error must say. */
  readonly message: RegExp;
}

const deploy = (...rest: string[]) => ["deploy", CONFIG, "root@203.0.113.7", "--phases", "disk", ...rest];
const script = (mountpoint: string) => [
  "disk",
  "script",
  CONFIG,
  "--mode",
  "destroy",
  "--root-mountpoint",
  mountpoint,
];
const switchTo = (...rest: string[]) => ["switch", CONFIG, "--target-host", "root@203.0.113.7", ...rest];
const generations = (host: string) => ["generations", "--target-host", host];

const ROOT_MOUNTPOINT = /^--root-mountpoint ".*": .+; give an empty folder, e.g. --root-mountpoint \/mnt$/;
const PORT = (flag: string) =>
  new RegExp(`^${flag} ".*": give a port as a decimal number from 1 to 65535, e.g. 22$`);
const SECONDS = (flag: string, min: number, max: number) =>
  new RegExp(`^${flag} ".*": give whole seconds from ${min} to ${max}, in decimal, e.g. ${flag} \\d+$`);
const DESTINATION = (what: string, reason: string) =>
  new RegExp(`^${what} ".*" is not an SSH destination: ${reason}[^;]*; write user@host, e\\.g\\. root@`);
const CONTROL = (what: string) =>
  new RegExp(
    `^${what} ".*\\\\.*": a control character \\(a line break, a tab, an escape…\\) cannot be in it$`,
  );

// A flag's value with a control character is refused as such before its own parser reads it.
const oneOf = (...patterns: RegExp[]) =>
  new RegExp(patterns.map((pattern) => `(?:${pattern.source})`).join("|"));

const rows: Row[] = [
  // --root-mountpoint: a normalized absolute path other than /.
  {
    argv: script("/"),
    exitCode: 2,
    message: /^--root-mountpoint "\/": it names \/ itself, the running system's root/,
  },
  { argv: script("/mnt/.."), exitCode: 2, message: /^--root-mountpoint "\/mnt\/\.\.": it names \/ itself/ },
  { argv: script("//"), exitCode: 2, message: /it names \/ itself/ },
  { argv: script("/mnt/./x"), exitCode: 2, message: /it is not normalized .*: write it as \/mnt\/x;/ },
  { argv: script("/mnt//x"), exitCode: 2, message: /it is not normalized .*: write it as \/mnt\/x;/ },
  { argv: script("/mnt/"), exitCode: 2, message: /it is not normalized .*: write it as \/mnt;/ },
  { argv: script("mnt"), exitCode: 2, message: /^--root-mountpoint "mnt": it is not an absolute path;/ },
  { argv: script(""), exitCode: 2, message: /^--root-mountpoint "": it is not an absolute path;/ },
  { argv: script("/mnt x"), exitCode: 2, message: /it holds a space, a backslash or a control character;/ },
  { argv: script("/mnt\\x"), exitCode: 2, message: /it holds a space, a backslash or a control character;/ },
  { argv: script("/mnt\nx"), exitCode: 2, message: CONTROL("--root-mountpoint") },
  { argv: script("/mnt\u001b[2J"), exitCode: 2, message: CONTROL("--root-mountpoint") },
  ...[["/"], ["/mnt/.."]].map(([mountpoint = ""]) => ({
    argv: ["disk", "apply", CONFIG, "--mode", "destroy", "--root-mountpoint", mountpoint, "--yes"],
    exitCode: 2 as const,
    message: ROOT_MOUNTPOINT,
  })),
  { argv: ["disk", "plan", CONFIG, "--root-mountpoint", "/."], exitCode: 2, message: ROOT_MOUNTPOINT },

  // SSH_PASS: one line, and never shown.
  ...["pw\nreboot", "pw\r", "pw\n", "\nsecret"].map((sshPass) => ({
    argv: [...generations("alice@203.0.113.7"), "--env-password"],
    env: { SSH_PASS: sshPass },
    exitCode: 2 as const,
    message:
      /^SSH_PASS holds a line break, a carriage return or a NUL byte: sudo reads the password as one line, so the rest would run as a root command on the target\. Set SSH_PASS to the password alone, on one line\.$/,
  })),
  {
    argv: [...generations("alice@203.0.113.7"), "--env-password"],
    env: { SSH_PASS: "" },
    exitCode: 2,
    message: /^--env-password: set the password in the SSH_PASS environment variable$/,
  },

  // Environment variables groundwork makes paths of.
  ...[
    ["XDG_STATE_HOME", "state"],
    ["XDG_STATE_HOME", ""],
    ["XDG_STATE_HOME", "/tmp/a b"],
    ["XDG_CACHE_HOME", "cache"],
    ["XDG_CACHE_HOME", "/tmp/\n"],
  ].map(([name = "", value = ""]) => ({
    argv: generations("root@203.0.113.7"),
    env: { [name]: value },
    exitCode: 2 as const,
    message: new RegExp(
      `^${name}=".*": groundwork keeps .+ below it; set it to an absolute path without spaces, or unset it$`,
    ),
  })),

  // Ports: decimal, 1 to 65535, in every flag and in a destination.
  ...["0x1", "1e3", " 22", "22 ", "0", "-1", "65536", "70000", "022", "+22", "2.0", "", "２２"].flatMap(
    (port) => [
      { argv: deploy("--ssh-port", port), exitCode: 2 as const, message: PORT("--ssh-port") },
      {
        argv: deploy("--post-kexec-ssh-port", port),
        exitCode: 2 as const,
        message: PORT("--post-kexec-ssh-port"),
      },
      {
        argv: [...generations("root@203.0.113.7"), "--ssh-port", port],
        exitCode: 2 as const,
        message: PORT("--ssh-port"),
      },
    ],
  ),
  {
    argv: ["deploy", CONFIG, "root@host:70000"],
    exitCode: 2,
    message: DESTINATION("<destination>", 'the port "70000" is not a decimal number from 1 to 65535'),
  },
  {
    argv: ["deploy", CONFIG, "root@host:0x1"],
    exitCode: 2,
    message: DESTINATION("<destination>", 'the port "0x1" is not a decimal number'),
  },
  {
    argv: ["deploy", CONFIG, "root@host:"],
    exitCode: 2,
    message: DESTINATION("<destination>", 'the port "" is not a decimal number'),
  },

  // Durations in seconds.
  ...["abc", "-5", "1.5e9", "1e3", "0", "9", "86401", "99999999999999999999", "60s", " 600"].map(
    (seconds) => ({
      argv: deploy("--reboot-timeout", seconds),
      exitCode: 2 as const,
      message: SECONDS("--reboot-timeout", 10, 86400),
    }),
  ),
  ...["abc", "-5", "14", "3601", "1e2", "0x3c"].map((seconds) => ({
    argv: switchTo("--confirm-timeout", seconds),
    exitCode: 2 as const,
    message: SECONDS("--confirm-timeout", 15, 3600),
  })),

  // Other whole numbers.
  ...["0", "-1", "1.5", "abc", "1e3"].map((to) => ({
    argv: ["rollback", "--target-host", "root@203.0.113.7", "--to", to],
    exitCode: 2 as const,
    message:
      /^--to ".*": give a generation number \(see groundwork generations\) from 1 to 999999999, in decimal, e\.g\. --to 3$/,
  })),
  ...["abc", "0", "255", "1e4", "-1024"].map((memory) => ({
    argv: ["test", CONFIG, "--memory", memory],
    exitCode: 2 as const,
    message: /^--memory ".*": give the memory in MiB from 256 to 262144, in decimal, e\.g\. --memory 2048$/,
  })),

  // Destinations: the positional argument and --target-host.
  ...[
    ["-oProxyCommand=touch /tmp/pwned", 'it begins with "-", which ssh would read as an option'],
    ["-l", 'it begins with "-"'],
    ["root@ho st", "it holds a space or a control character"],
    ["root@host\n", "it holds a space or a control character"],
    ["root@host\u0000", "it holds a space or a control character"],
    ["", "it is empty"],
    ["@host", "the user before @ is empty"],
    ["root@", "the host is empty"],
    ["root@:22", "the host is empty"],
    ["a@b@c", "it holds more than one @"],
    ["-x@host", 'it begins with "-"'],
    ["root@-host", '"-host" is not a host name'],
    ["ro'ot@host", `"ro'ot" is not a user name`],
    ["root@[2001:db8::g]", "\\[2001:db8::g\\] is not an IPv6 address"],
    ["root@[]", "\\[\\] is not an IPv6 address"],
    ["root@[203.0.113.7]", "\\[203\\.0\\.113\\.7\\] is not an IPv6 address"],
    ["root@[::1", "an IPv6 address in brackets ends with \\]"],
    ["root@2001:db8::1", "an IPv6 address goes in brackets"],
    ["root@999.1.1.1", '"999.1.1.1" is not an IPv4 address'],
    ["root@h\u00e9te", '"h\u00e9te" is not a host name'],
  ].flatMap(([destination = "", reason = ""]) => [
    {
      argv: ["deploy", CONFIG, "--", destination],
      exitCode: 2 as const,
      message: DESTINATION("<destination>", reason),
    },
    {
      argv: generations(destination),
      exitCode: 2 as const,
      message: oneOf(DESTINATION("--target-host", reason), CONTROL("--target-host")),
    },
  ]),

  // Paths and other values on the command line.
  {
    argv: ["pins", "show", "/nonexistent/groundwork"],
    exitCode: 2,
    message: /^"\/nonexistent\/groundwork" does not exist: give the configuration file or folder/,
  },
  { argv: ["pins", "show", ""], exitCode: 2, message: /^<config> "": give a path that is not empty$/ },
  { argv: ["eval", "examples/seed\n"], exitCode: 2, message: CONTROL("<config>") },
  { argv: ["eval", CONFIG, "boot\u001b[2J"], exitCode: 2, message: CONTROL("<option>") },
  {
    argv: ["build", CONFIG, "-o", aFile],
    exitCode: 2,
    message:
      /^-o ".*a-file": it, or a folder above it, is a file; give a folder groundwork can write to, e\.g\. -o result$/,
  },
  {
    argv: ["build", CONFIG, "-o", join(aFile, "below")],
    exitCode: 2,
    message: /^-o ".*below": it, or a folder above it, is a file;/,
  },
  { argv: ["build", CONFIG, "-o", ""], exitCode: 2, message: /^--out "": give a path that is not empty$/ },
  {
    argv: [...generations("root@203.0.113.7"), "-i", join(scratch, "missing")],
    exitCode: 2,
    message: /^-i ".*missing": no such file, or it cannot be reached; give the SSH private key/,
  },
  {
    argv: [...generations("root@203.0.113.7"), "-i", scratch],
    exitCode: 2,
    message: /^-i ".*": not a file; give the SSH private key/,
  },
  ...["ProxyJump", "=x", "-oProxyCommand=x", "Proxy Jump=x", "ProxyJump=x\ny", ""].map((option) => ({
    argv: [...generations("root@203.0.113.7"), "--ssh-option", option],
    exitCode: 2 as const,
    message:
      /^--ssh-option ".*": (write an ssh option as NAME=VALUE, e\.g\. --ssh-option ProxyJump=bastion|a control character)/,
  })),
  ...[
    "main",
    "=/dev/vdb",
    "main=dev/vdb",
    "main=/dev/../vdb",
    "main=/",
    "main=/dev/vd b",
    "main=/dev/vdb/",
  ].map((disk) => ({
    argv: ["eval", CONFIG, "--disk", disk],
    exitCode: 2 as const,
    message:
      /^--disk ".*": (expected NAME=DEVICE, e\.g\. --disk main=\/dev\/vdb|the device .+; write NAME=DEVICE with the device's absolute path, e\.g\. --disk \w+=\/dev\/vdb)$/,
  })),
  {
    argv: deploy("--phases", "disk,format"),
    exitCode: 2,
    message: /^--phases "disk,format": the phases are kexec, disk, install, reboot/,
  },
  { argv: deploy("--phases", "disk\u001b"), exitCode: 2, message: CONTROL("--phases") },
  {
    argv: ["installer", "build", "--suite", "bookworm; rm -rf /"],
    exitCode: 2,
    message: /^--suite ".*": give a Debian suite name, e\.g\. --suite bookworm$/,
  },
  ...["ftp://deb.debian.org/debian", "deb.debian.org", "http://", "http://a b/", "file:///srv/mirror"].map(
    (mirror) => ({
      argv: ["installer", "build", "--mirror", mirror],
      exitCode: 2 as const,
      message:
        /^--mirror ".*": give the http or https URL of a Debian mirror, e\.g\. --mirror http:\/\/deb\.debian\.org\/debian$/,
    }),
  ),
  {
    argv: ["pins", "update", CONFIG, "openssh-server", "Bad Name"],
    exitCode: 2,
    message:
      /^<packages\.\.\.> "Bad Name": not a Debian package name|^\[packages\.\.\.\] "Bad Name": not a Debian package name/,
  },
];

function capture(): Output & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
}

async function run(row: Row): Promise<{ code: number; stderr: string }> {
  const env = { SSH_PASS: undefined, ...row.env };
  const before = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  set(env);
  try {
    const output = capture();
    const code = await main(row.argv, output);
    return { code, stderr: output.err.join("\n") };
  } finally {
    set(before);
  }
}

test("refuses every hostile input with exit code 2 and a message that names the flag and what to write", async () => {
  for (const row of rows) {
    const { code, stderr } = await run(row);
    const label = JSON.stringify(row.argv);
    assert.equal(code, row.exitCode, `${label}: ${stderr}`);
    assert.match(stderr, /^groundwork: /, label);
    assert.match(stderr.replace(/^groundwork: /, ""), row.message, label);
    assert.doesNotMatch(stderr, /\n\s+at /, `${label}: no stack trace without --debug`);
    // Whatever was typed comes back escaped: no control character reaches the terminal.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
    assert.doesNotMatch(stderr, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, label);
  }
});

test("never shows the password of SSH_PASS in its message", async () => {
  const { stderr } = await run({
    argv: [...generations("alice@203.0.113.7"), "--env-password"],
    env: { SSH_PASS: "hunter2\nreboot" },
    exitCode: 2,
    message: /./,
  });
  assert.doesNotMatch(stderr, /hunter2|reboot/);
});
