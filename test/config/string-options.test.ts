import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { configJsonSchema } from "../../src/config/json-schema.ts";
import { formatOptionPath } from "../../src/config/option-path.ts";
import { ConfigError } from "../../src/errors/index.ts";
import { loadModuleText } from "./temp-module.ts";

/**
 * What a file format gives meaning to, by the kind of string an option is:
 * - text: a file's content, written whole (NUL cannot pass a shell);
 * - line: one line of a file (a line break starts another, control characters drive terminals);
 * - unit: a unit file value (a final backslash joins the next line too);
 * - word: a field or a command-line argument (white space splits it, a leading "-" makes it an option).
 */
type Kind = "text" | "line" | "unit" | "word";

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const MEANINGFUL: Record<Kind, (value: string) => boolean> = {
  text: (value) => value.includes("\u0000"),
  line: (value) => CONTROL.test(value),
  unit: (value) => CONTROL.test(value) || value.endsWith("\\"),
  word: (value) => CONTROL.test(value) || /\s/.test(value) || value.startsWith("-"),
};

/**
 * Every string option but the disk layout's (validated in src/disk), as a path template: `<name>` is a name in
 * an attribute set of names, `<key>` such a name itself, `[0]` a list's first element.
 */
const OPTIONS: Readonly<Record<string, { kind: Kind; valid: string }>> = {
  "boot.blacklistedKernelModules[0]": { kind: "word", valid: "pcspkr" },
  "boot.kernel.sysctl.<key>": { kind: "word", valid: "net.ipv4.ip_forward" },
  "boot.kernel.sysctl.<name>": { kind: "line", valid: "1" },
  "boot.kernelModules[0]": { kind: "word", valid: "br_netfilter" },
  "boot.kernelParams[0]": { kind: "word", valid: "console=ttyS0,115200" },
  "boot.initrd.network.ssh.authorizedKeys[0]": {
    kind: "line",
    valid: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyReplaceWithYourOwnPublicKey0000 you@example",
  },
  "boot.initrd.network.ssh.hostKeys[0]": { kind: "word", valid: "/etc/secrets/initrd/ssh_host_ed25519_key" },
  "boot.loader.grub.devices[0]": { kind: "word", valid: "/dev/sda" },
  "environment.etc.<key>": { kind: "word", valid: "motd" },
  "environment.etc.<name>.group": { kind: "word", valid: "adm" },
  "environment.etc.<name>.mode": { kind: "word", valid: "0644" },
  "environment.etc.<name>.source": { kind: "line", valid: "/dev/null" },
  "environment.etc.<name>.text": { kind: "text", valid: "Welcome\n" },
  "environment.etc.<name>.user": { kind: "word", valid: "root" },
  "environment.systemPackages[0]": { kind: "word", valid: "htop" },
  "networking.defaultGateway": { kind: "word", valid: "192.0.2.1" },
  "networking.hostName": { kind: "word", valid: "web1" },
  "networking.interfaces.<key>": { kind: "word", valid: "ens3" },
  "networking.interfaces.<name>.ipv4.addresses[0].address": { kind: "word", valid: "192.0.2.10" },
  "networking.interfaces.<name>.ipv6.addresses[0].address": { kind: "word", valid: "2001:db8::10" },
  "networking.interfaces.<name>.macAddress": { kind: "word", valid: "52:54:00:12:34:56" },
  "networking.nameservers[0]": { kind: "word", valid: "192.0.2.53" },
  "services.openssh.settings.PermitRootLogin": { kind: "word", valid: "no" },
  "system.distribution.mirror": { kind: "word", valid: "http://deb.debian.org/debian" },
  "system.distribution.suite": { kind: "word", valid: "bookworm" },
  "system.stateVersion": { kind: "word", valid: "24.11" },
  "systemd.services.<key>": { kind: "word", valid: "web" },
  "systemd.services.<name>.after[0]": { kind: "word", valid: "network.target" },
  "systemd.services.<name>.description": { kind: "unit", valid: "Web server" },
  "systemd.services.<name>.script": { kind: "text", valid: "echo hello\n" },
  "systemd.services.<name>.serviceConfig.<key>": { kind: "word", valid: "ExecStart" },
  "systemd.services.<name>.serviceConfig.<name>": { kind: "unit", valid: "/bin/true" },
  "systemd.services.<name>.serviceConfig.<name>[0]": { kind: "unit", valid: "A=1" },
  "systemd.services.<name>.unitConfig.<key>": { kind: "word", valid: "Documentation" },
  "systemd.services.<name>.unitConfig.<name>": { kind: "unit", valid: "man:web(8)" },
  "systemd.services.<name>.unitConfig.<name>[0]": { kind: "unit", valid: "man:web(8)" },
  "systemd.services.<name>.wantedBy[0]": { kind: "word", valid: "multi-user.target" },
  "systemd.services.<name>.wants[0]": { kind: "word", valid: "network-online.target" },
  "time.timeZone": { kind: "word", valid: "Europe/Berlin" },
  "users.users.<key>": { kind: "word", valid: "alice" },
  "users.users.<name>.extraGroups[0]": { kind: "word", valid: "wheel" },
  "users.users.<name>.hashedPassword": { kind: "word", valid: "$y$j9T$salt$hash" },
  "users.users.<name>.openssh.authorizedKeys.keys[0]": {
    kind: "line",
    valid: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyReplaceWithYourOwnPublicKey0000 you@example",
  },
};

/** The path templates of every string option a JSON Schema node declares. */
function stringOptions(node: unknown, path: string): string[] {
  if (!isRecord(node)) return [];
  const child = (name: string) => (path === "" ? name : `${path}.${name}`);
  const found: string[] = [];
  const values = Array.isArray(node.enum) ? node.enum : [];
  if (node.type === "string" || (values.length > 0 && values.every((value) => typeof value === "string")))
    found.push(path);
  for (const option of Array.isArray(node.anyOf) ? node.anyOf : [])
    found.push(...stringOptions(option, path));
  // The disk layout is validated in src/disk; `imports` and `$schema` are module paths, not options.
  for (const [name, option] of Object.entries(isRecord(node.properties) ? node.properties : {}))
    if (!["disko", "imports", "$schema"].includes(child(name)))
      found.push(...stringOptions(option, child(name)));
  if (isRecord(node.additionalProperties)) {
    if (node.propertyNames !== undefined) found.push(child("<key>"));
    found.push(...stringOptions(node.additionalProperties, child("<name>")));
  }
  if (node.items !== undefined) found.push(...stringOptions(node.items, `${path}[0]`));
  return [...new Set(found)];
}

test("the property below covers every string option of the schema", () => {
  assert.deepEqual(stringOptions(configJsonSchema(), "").sort(), Object.keys(OPTIONS).sort());
});

type Segment = string | number;

/** A valid name in an attribute set of names: unit settings start with a capital letter. */
function nameIn(parent: string | undefined): string {
  return parent === "serviceConfig" || parent === "unitConfig" ? "Environment" : "x";
}

/** The template's segments with `<name>` as a valid name and `<key>` as `key`; `[0]` as the index 0. */
function segmentsOf(template: string, key: string): Segment[] {
  const parts = template.replaceAll("[0]", ".[0]").split(".");
  return parts.map((part, index) => {
    if (part === "[0]") return 0;
    if (part === "<name>") return nameIn(parts[index - 1]);
    return part === "<key>" ? key : part;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value` placed at `segments` in new attribute sets and lists. */
function placed(segments: readonly Segment[], value: unknown): unknown {
  const [first, ...rest] = segments;
  if (first === undefined) return value;
  const inner = placed(rest, value);
  if (typeof first === "number") return [inner];
  // defineProperty: a generated name may be "__proto__", which an assignment would not add as a key.
  return Object.defineProperty({}, first, { value: inner, enumerable: true, writable: true });
}

/** A configuration with `value` at `segments`, and what the options around it require. */
function configWith(segments: readonly Segment[], value: unknown): Record<string, unknown> {
  const root = placed(segments, value);
  if (!isRecord(root)) return {};
  const address = segments.includes("addresses") ? valueAt(root, segments.slice(0, -1)) : undefined;
  if (isRecord(address)) address.prefixLength = 24;
  const etc = segments[1] === "etc" ? root.environment : undefined;
  if (isRecord(etc) && isRecord(etc.etc)) {
    const entry = Object.values(etc.etc)[0];
    if (isRecord(entry) && entry.text === undefined && entry.source === undefined) entry.text = "x";
  }
  return root;
}

const ENTRY: Readonly<Record<string, unknown>> = {
  "environment.etc.<key>": { text: "x" },
  "systemd.services.<name>.serviceConfig.<key>": "/bin/true",
  "systemd.services.<name>.unitConfig.<key>": "x",
};

function valueAt(config: unknown, segments: readonly Segment[]): unknown {
  return segments.reduce<unknown>(
    (node, segment) =>
      Array.isArray(node)
        ? node[Number(segment)]
        : isRecord(node)
          ? new Map(Object.entries(node)).get(String(segment))
          : undefined,
    config,
  );
}

const special = fc.constantFrom(
  "\u0000",
  "\n",
  "\r",
  "\t",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u009b",
  "\u2028",
  "\ud800",
  "é",
  "日",
  "🙂",
  "'",
  '"',
  "`",
  "$",
  "\\",
  "-",
  " ",
  ";",
  "/",
  "..",
  ":",
  "=",
  "%",
  "#",
  "[",
  "]",
);
const anyCharacter = fc.oneof(special, fc.string({ unit: "binary", minLength: 1, maxLength: 1 }));

for (const [template, { kind, valid }] of Object.entries(OPTIONS)) {
  test(`${template}: refused with its option path, or accepted without what a ${kind} gives meaning to`, async () => {
    const isKey = template.endsWith("<key>");
    const pieces = fc.tuple(
      fc.constantFrom("", valid),
      fc.string({ unit: anyCharacter, maxLength: 6 }),
      fc.constantFrom("", valid),
    );
    await fc.assert(
      fc.asyncProperty(pieces, async ([before, middle, after]) => {
        const text = `${before}${middle}${after}`;
        const segments = segmentsOf(template, text);
        const valueSegments = isKey ? segments : segmentsOf(template, "x");
        const config = configWith(valueSegments, isKey ? (ENTRY[template] ?? {}) : text);
        const path = formatOptionPath(valueSegments);
        try {
          const loaded = await loadModuleText("configuration.json", JSON.stringify(config));
          const parent = valueAt(loaded.config, valueSegments.slice(0, -1));
          const accepted = isKey
            ? isRecord(parent) && Object.hasOwn(parent, text)
              ? text
              : undefined
            : valueAt(loaded.config, valueSegments);
          assert.equal(typeof accepted, "string", `${path}: accepted, but not found in the configuration`);
          assert.ok(!MEANINGFUL[kind](String(accepted)), `${path}: accepted ${JSON.stringify(accepted)}`);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          const named = error.problems.some(
            (problem) =>
              problem.file?.endsWith("configuration.json") === true &&
              (problem.path === path || problem.path.startsWith(`${path}[`)),
          );
          assert.ok(named, `${JSON.stringify(text)}: ${error.message} does not name ${path}`);
        }
      }),
      { numRuns: 30 },
    );
  });
}
