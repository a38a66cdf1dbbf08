import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { getOption } from "../../src/config/get-option.ts";
import { ConfigError } from "../../src/errors/index.ts";
import { loadModuleText } from "./temp-module.ts";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyReplaceWithYourOwnPublicKey0000";

interface Row {
  readonly name: string;
  /** A TypeScript module's text, or an object written as a JSON module. */
  readonly module: string | object;
  /** On the `file: path: message` line of the error; the file is the module written. */
  readonly message: RegExp;
}

const json = (path: string) => new RegExp(`configuration\\.json: ${path}`);
const ts = (path: string) => new RegExp(`configuration\\.ts: ${path}`);

/** `{ "__proto__": … }` as JSON text: JSON.parse keeps it as a key, an object literal would not. */
const protoJson = (inner: string) => `{ "networking": ${inner} }`;

const rows: readonly Row[] = [
  // Keys with a meaning of their own in JavaScript.
  {
    name: "a __proto__ key at the top of a JSON configuration",
    module: '{ "__proto__": { "networking": { "hostName": "x" } } }',
    message: /configuration\.json: __proto__: "__proto__" cannot be an option name.*remove it/,
  },
  {
    name: "a __proto__ key inside an option",
    module: protoJson('{ "hostName": "a", "__proto__": { "hostName": "b" } }'),
    message: /configuration\.json: networking\.__proto__: "__proto__" cannot be an option name/,
  },
  {
    name: "a __proto__ key written as a computed key in a TypeScript module",
    module: 'export default { users: { users: { ["__proto__"]: { isNormalUser: true } } } };',
    message: ts('users\\.users\\.__proto__: "__proto__" cannot be an option name'),
  },
  {
    name: "an object literal with a prototype",
    module: 'export default { networking: { __proto__: { hostName: "x" } } };',
    message: ts("networking: \\[object Object\\] is not configuration data"),
  },
  {
    name: "a class instance as a value",
    module: "export default { system: { stateVersion: new Date(0) } };",
    message: ts("system\\.stateVersion: \\[object Date\\] is not configuration data"),
  },
  // Sizes, depths and modules that never finish.
  {
    name: "a JSON configuration nested 10,000 levels deep",
    module: `{ "networking": ${"[".repeat(10_000)}${"]".repeat(10_000)} }`,
    message: /configuration\.json: attribute sets and lists are nested more than 100 levels deep/,
  },
  {
    name: "a module whose value contains itself",
    module: "const m = { networking: {} }; m.networking.self = m; export default m;",
    message: /configuration\.ts: .*nested more than 100 levels deep \(or a value contains itself\)/,
  },
  {
    name: "a 5 MB JSON configuration",
    module: `{ "environment": { "etc": { "motd": { "text": "${"x".repeat(5 * 1024 * 1024)}" } } } }`,
    message:
      /configuration\.json: cannot load .*configuration\.json: the file is 5\.0 MB, more than a module may be \(4 MB\)/,
  },
  {
    name: "a default export that never settles",
    module: "export default new Promise(() => {});",
    message:
      /configuration\.ts: the module did not finish within 0\.2 s: a Promise it awaits or returns never settles/,
  },
  {
    name: "a module function whose Promise never settles",
    module: "export default () => new Promise(() => {});",
    message: /configuration\.ts: the module function did not finish within 0\.2 s/,
  },
  {
    name: "a module whose getter throws",
    module: 'export default { get networking() { throw new Error("boom"); } };',
    message: /configuration\.ts: reading the module's value threw: boom; a module is plain data/,
  },
  {
    name: "an import path with a NUL byte",
    module: { imports: ["./a\u0000b"] },
    message: json('imports: "\\./a\\\\u0000b" contains a NUL byte'),
  },
  // lib functions called wrongly.
  {
    name: "mkIf with a string condition",
    module: 'export default ({ lib }) => ({ networking: { hostName: lib.mkIf("false", "x") } });',
    message: ts('networking\\.hostName: lib\\.mkIf: the condition is "false", not true or false'),
  },
  {
    name: "mkIf without a value",
    module: "export default ({ lib }) => ({ networking: { hostName: lib.mkIf(true) } });",
    message: ts("networking\\.hostName: lib\\.mkIf was called without a value"),
  },
  {
    name: "mkForce without a value",
    module: "export default ({ lib }) => ({ networking: { useDHCP: lib.mkForce() } });",
    message: ts(
      "networking\\.useDHCP: lib\\.mkForce was called without a value: write lib\\.mkForce\\(value\\)",
    ),
  },
  {
    name: "mkDefault without a value",
    module: "export default ({ lib }) => ({ networking: { useDHCP: lib.mkDefault() } });",
    message: ts("networking\\.useDHCP: lib\\.mkDefault was called without a value"),
  },
  {
    name: "mkMerge on an attribute set",
    module: 'export default ({ lib }) => ({ environment: lib.mkMerge({ systemPackages: ["htop"] }) });',
    message: ts("environment: lib\\.mkMerge takes a list of definitions, not an attribute set"),
  },
  {
    name: "mkOverride with a string priority",
    module: 'export default ({ lib }) => ({ time: { timeZone: lib.mkOverride("x", "UTC") } });',
    message: ts('time\\.timeZone: lib\\.mkOverride: the priority is "x", not a number'),
  },
  {
    name: "mkOrder with a string order",
    module: 'export default ({ lib }) => ({ environment: { systemPackages: lib.mkOrder("1", ["htop"]) } });',
    message: ts('environment\\.systemPackages: lib\\.mkOrder: the order is "1", not a number'),
  },
  {
    name: "mkBefore on a string",
    module: 'export default ({ lib }) => ({ networking: { nameservers: lib.mkBefore("192.0.2.53") } });',
    message: ts('networking\\.nameservers: lib\\.mkBefore places a list .* but this is "192\\.0\\.2\\.53"'),
  },
  {
    name: "mkAfter on an attribute set",
    module:
      "export default ({ lib }) => ({ users: { users: { a: { extraGroups: lib.mkAfter({ x: 1 }) } } } });",
    message: ts(
      "users\\.users\\.a\\.extraGroups: lib\\.mkAfter places a list .* but this is an attribute set",
    ),
  },
  {
    name: "a lib function from outside groundwork",
    module: 'export default { networking: { hostName: { [Symbol.for("groundwork.definition")]: "when" } } };',
    message: ts('networking\\.hostName: an unknown lib wrapper \\("when"\\)'),
  },
  // Authorized keys: one line of `type base64 [comment]`.
  {
    name: "an authorized key with a second line",
    module: {
      users: { users: { root: { openssh: { authorizedKeys: { keys: [`${KEY} a\nssh-rsa AAAA evil`] } } } } },
    },
    message: json(
      "users\\.users\\.root\\.openssh\\.authorizedKeys\\.keys\\[0\\]: .* contains a line break \\(U\\+000A\\)",
    ),
  },
  {
    name: "an authorized key read from a file with its final line break",
    module: { users: { users: { root: { openssh: { authorizedKeys: { keys: [`${KEY} a\n`] } } } } } },
    message: json(
      "users\\.users\\.root\\.openssh\\.authorizedKeys\\.keys\\[0\\]: .* ends with a line break: remove it",
    ),
  },
  {
    name: "an authorized key with options",
    module: {
      users: { users: { root: { openssh: { authorizedKeys: { keys: [`command="sh" ${KEY}`] } } } } },
    },
    message: json(
      "users\\.users\\.root\\.openssh\\.authorizedKeys\\.keys\\[0\\]: .* not start with a known key type \\(authorized_keys options",
    ),
  },
  {
    name: "an authorized key whose data is another type's",
    module: {
      users: {
        users: { root: { openssh: { authorizedKeys: { keys: [KEY.replace("ed25519 ", "rsa ")] } } } },
      },
    },
    message: json(
      'users\\.users\\.root\\.openssh\\.authorizedKeys\\.keys\\[0\\]: .* its key data is not a ssh-rsa key \\(it says "ssh-ed25519"\\)',
    ),
  },
  {
    name: "an authorized key without key data",
    module: { users: { users: { root: { openssh: { authorizedKeys: { keys: ["ssh-ed25519"] } } } } } },
    message: json("users\\.users\\.root\\.openssh\\.authorizedKeys\\.keys\\[0\\]: .* has no base64 key data"),
  },
  // systemd units: what would become extra lines of the unit file.
  {
    name: "a line break in a service description",
    module: { systemd: { services: { web: { description: "web\nExecStartPre=/bin/evil" } } } },
    message: json("systemd\\.services\\.web\\.description: .* contains a line break"),
  },
  {
    name: "a final backslash in a service description",
    module: { systemd: { services: { web: { description: "web\\" } } } },
    message: json("systemd\\.services\\.web\\.description: .* ends with a backslash"),
  },
  {
    name: "a line break in after",
    module: { systemd: { services: { web: { after: ["network.target\nExecStartPre=/bin/evil"] } } } },
    message: json("systemd\\.services\\.web\\.after\\[0\\]: .* is not a unit name"),
  },
  {
    name: "a unit name without a type in wants",
    module: { systemd: { services: { web: { wants: ["network-online"] } } } },
    message: json('systemd\\.services\\.web\\.wants\\[0\\]: "network-online" is not a unit name'),
  },
  {
    name: "a line break in a serviceConfig value",
    module: {
      systemd: { services: { web: { serviceConfig: { ExecStart: "/bin/true\nExecStartPre=/bin/evil" } } } },
    },
    message: json("systemd\\.services\\.web\\.serviceConfig\\.ExecStart: .* contains a line break"),
  },
  {
    name: "a line break in a serviceConfig list",
    module: {
      systemd: { services: { web: { serviceConfig: { Environment: ["A=1", "B=2\nExecStartPre=/x"] } } } },
    },
    message: json("systemd\\.services\\.web\\.serviceConfig\\.Environment\\[1\\]: .* contains a line break"),
  },
  {
    name: "a NUL byte in a script",
    module: { systemd: { services: { web: { script: "echo a\u0000b" } } } },
    message: json("systemd\\.services\\.web\\.script: .* contains a NUL byte"),
  },
  {
    name: "a service name that systemctl would read as an option",
    module: { systemd: { services: { "-evil": { enable: true } } } },
    message: json('systemd\\.services\\."-evil": "-evil" is not a service name'),
  },
  // Names.
  {
    name: "a line break in a user name",
    module: { users: { users: { "alice\nroot": {} } } },
    message: json('users\\.users\\."alice\\\\nroot": "alice\\\\nroot" is not a user name'),
  },
  {
    name: "a group name with a space",
    module: { users: { users: { alice: { extraGroups: ["wheel sudo"] } } } },
    message: json('users\\.users\\.alice\\.extraGroups\\[0\\]: "wheel sudo" is not a group name'),
  },
  {
    name: "a password hash with a line break",
    module: { users: { users: { alice: { hashedPassword: "$y$x\nroot::0:0" } } } },
    message: json("users\\.users\\.alice\\.hashedPassword: a password hash is printable ASCII"),
  },
  {
    name: "a host name with a dot",
    module: { networking: { hostName: "web.example.org" } },
    message: json('networking\\.hostName: "web\\.example\\.org" is not a host name'),
  },
  {
    name: "a time zone that climbs out of /usr/share/zoneinfo",
    module: { time: { timeZone: "../../../etc/passwd" } },
    message: json('time\\.timeZone: "\\.\\./\\.\\./\\.\\./etc/passwd" is not a time zone name'),
  },
  {
    name: "a package name that apt would read as an option",
    module: { environment: { systemPackages: ["-oAPT::Get::AllowUnauthenticated=true"] } },
    message: json("environment\\.systemPackages\\[0\\]: .* is not a Debian package name"),
  },
  // Files below /etc.
  {
    name: "a NUL byte in a file's text",
    module: { environment: { etc: { motd: { text: "hi\u0000" } } } },
    message: json("environment\\.etc\\.motd\\.text: .* contains a NUL byte \\(U\\+0000\\) at position 3"),
  },
  {
    name: "a file owner with a line break",
    module: { environment: { etc: { motd: { text: "hi", user: "root\n" } } } },
    message: json('environment\\.etc\\.motd\\.user: "root\\\\n" is not a user name'),
  },
  {
    name: "an etc path that climbs out of /etc",
    module: { environment: { etc: { "../shadow": { text: "x" } } } },
    message: json('environment\\.etc\\."\\.\\./shadow": .* is not a path below /etc'),
  },
  // Networking.
  {
    name: "an IPv4 address out of range",
    module: {
      networking: {
        interfaces: { ens3: { ipv4: { addresses: [{ address: "999.1.1.1", prefixLength: 24 }] } } },
      },
    },
    message: json(
      'networking\\.interfaces\\.ens3\\.ipv4\\.addresses\\[0\\]\\.address: "999\\.1\\.1\\.1" is not an IPv4 address',
    ),
  },
  {
    name: "an IPv4 address with a /64 prefix",
    module: {
      networking: {
        interfaces: { ens3: { ipv4: { addresses: [{ address: "192.0.2.10", prefixLength: 64 }] } } },
      },
    },
    message: json(
      "networking\\.interfaces\\.ens3\\.ipv4\\.addresses\\[0\\]\\.prefixLength: 64 is not an IPv4 prefix length: at most 32",
    ),
  },
  {
    name: "an IPv6 address among the IPv4 ones",
    module: {
      networking: {
        interfaces: { ens3: { ipv4: { addresses: [{ address: "2001:db8::1", prefixLength: 64 }] } } },
      },
    },
    message: json(
      'networking\\.interfaces\\.ens3\\.ipv4\\.addresses\\[0\\]\\.address: "2001:db8::1" is not an IPv4 address',
    ),
  },
  {
    name: "an address written with its prefix",
    module: {
      networking: {
        interfaces: { ens3: { ipv6: { addresses: [{ address: "2001:db8::1/64", prefixLength: 64 }] } } },
      },
    },
    message: json(
      "networking\\.interfaces\\.ens3\\.ipv6\\.addresses\\[0\\]\\.address: .* give the prefix length in prefixLength",
    ),
  },
  {
    name: "a gateway that is not an address",
    module: { networking: { defaultGateway: "router" } },
    message: json('networking\\.defaultGateway: "router" is not an IP address'),
  },
  {
    name: "a line break in a name server",
    module: { networking: { nameservers: ["192.0.2.53\nDNS=203.0.113.1"] } },
    message: json("networking\\.nameservers\\[0\\]: .* is not an IP address"),
  },
  {
    name: "a MAC address that is not one",
    module: { networking: { interfaces: { ens3: { macAddress: "52:54:00:12:34" } } } },
    message: json('networking\\.interfaces\\.ens3\\.macAddress: "52:54:00:12:34" is not a MAC address'),
  },
  {
    name: "an interface name with a slash",
    module: { networking: { interfaces: { "../eth0": {} } } },
    message: json('networking\\.interfaces\\."\\.\\./eth0": .* is not an interface name'),
  },
  // The rest of the string options.
  {
    name: "a GRUB device that grub-install would read as an option",
    module: { boot: { loader: { grub: { devices: ["--force"] } } } },
    message: json('boot\\.loader\\.grub\\.devices\\[0\\]: "--force" is not a device path'),
  },
  {
    name: "a mirror URL with a second sources.list field",
    module: { system: { distribution: { mirror: "http://deb.debian.org/debian contrib" } } },
    message: json(
      'system\\.distribution\\.mirror: "http://deb\\.debian\\.org/debian contrib" is not a mirror URL',
    ),
  },
  {
    name: "a mirror URL with a line break",
    module: { system: { distribution: { mirror: "http://deb.debian.org/deb\nian" } } },
    message: json("system\\.distribution\\.mirror: .* is not a mirror URL"),
  },
  {
    name: "a state version that is not a release",
    module: { system: { stateVersion: "24.11\n" } },
    message: json('system\\.stateVersion: "24\\.11\\\\n" is not a release number'),
  },
];

for (const row of rows) {
  test(`refuses ${row.name}, naming the file and the option path`, async () => {
    const [name, text] =
      typeof row.module === "string" && !row.module.startsWith("{")
        ? ["configuration.ts", row.module]
        : ["configuration.json", typeof row.module === "string" ? row.module : JSON.stringify(row.module)];
    const error = await loadModuleText(name, text, { moduleTimeoutMs: 200 }).then(
      () => assert.fail("should not load"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.code, "GW_CONFIG_INVALID");
    assert.equal(error.exitCode, 2);
    assert.match(error.message, row.message);
  });
}

test("constructor and prototype are plain names: a user, a file below /etc and a service may have them", async () => {
  const { config } = await loadModuleText(
    "configuration.json",
    JSON.stringify({
      users: { users: { constructor: { isNormalUser: true }, prototype: {} } },
      environment: { etc: { constructor: { text: "x" } } },
      systemd: { services: { prototype: { script: "true" } } },
    }),
  );
  assert.equal(new Map(Object.entries(config.users.users)).get("constructor")?.isNormalUser, true);
  assert.deepEqual(Object.keys(config.users.users), ["constructor", "prototype"]);
  assert.equal(new Map(Object.entries(config.environment.etc)).get("constructor")?.text, "x");
  assert.equal(config.systemd.services.prototype?.script, "true");
});

test("an option path naming what every object inherits is no option", async () => {
  const { config } = await loadModuleText("configuration.json", "{}");
  for (const path of ["networking.constructor", "networking.__proto__", "users.users.toString"]) {
    assert.throws(() => getOption(config, path), /no such option/, path);
  }
});

test("refuses an environment.etc source file holding a NUL byte, naming the file and the option path", async () => {
  const dir = mkdtempSync(join(tmpdir(), "groundwork-hostile-"));
  try {
    const binary = join(dir, "binary");
    writeFileSync(binary, "a\u0000b");
    const error = await loadModuleText(
      "configuration.json",
      JSON.stringify({ environment: { etc: { motd: { source: binary } } } }),
    ).then(
      () => assert.fail("should not load"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof ConfigError, String(error));
    assert.match(
      error.message,
      /configuration\.json: environment\.etc\.motd\.source: .*binary contains a NUL byte \(U\+0000\) at position 2/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
