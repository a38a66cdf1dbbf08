import assert from "node:assert/strict";
import { test } from "node:test";
import { lib } from "../../src/config/lib.ts";
import { mergeDefinitions } from "../../src/config/merge.ts";

const { mkAfter, mkBefore, mkDefault, mkForce, mkIf, mkMerge, mkOverride } = lib;

interface Case {
  readonly name: string;
  /** Definitions in module order, each from the file /m/<index>.ts. */
  readonly modules: readonly unknown[];
  readonly expected: unknown;
}

const cases: readonly Case[] = [
  {
    name: "merges attribute sets deeply",
    modules: [{ a: { b: 1 } }, { a: { c: 2 } }, { d: true }],
    expected: { a: { b: 1, c: 2 }, d: true },
  },
  {
    name: "null is not set, as nix eval --json prints unset options: it neither sets nor conflicts",
    modules: [{ a: { b: null, c: 1 } }, { a: { b: 2, c: null } }, { d: null }],
    expected: { a: { b: 2, c: 1 } },
  },
  {
    name: "concatenates lists in module order",
    modules: [{ l: [1] }, { l: [2, 3] }],
    expected: { l: [1, 2, 3] },
  },
  {
    name: "accepts a scalar set twice to the same value",
    modules: [{ s: "x" }, { s: "x" }],
    expected: { s: "x" },
  },
  {
    name: "a plain definition beats mkDefault",
    modules: [{ s: mkDefault("d") }, { s: "p" }],
    expected: { s: "p" },
  },
  {
    name: "mkForce beats a plain definition",
    modules: [{ s: mkForce("f") }, { s: "p" }],
    expected: { s: "f" },
  },
  {
    name: "mkOverride: the lower number wins",
    modules: [{ s: mkOverride(60, "sixty") }, { s: mkOverride(40, "forty") }, { s: mkForce("force") }],
    expected: { s: "forty" },
  },
  {
    name: "mkDefault around an attribute set applies to each leaf",
    modules: [{ a: mkDefault({ x: 1, y: 2 }) }, { a: { x: 3 } }],
    expected: { a: { x: 3, y: 2 } },
  },
  {
    name: "an inner priority wins over the one around it",
    modules: [{ a: mkDefault({ x: mkForce(1) }) }, { a: { x: 3 } }],
    expected: { a: { x: 1 } },
  },
  {
    name: "lists: only the definitions of the winning priority are concatenated",
    modules: [{ l: mkDefault([0]) }, { l: [1] }, { l: [2] }],
    expected: { l: [1, 2] },
  },
  {
    name: "mkBefore and mkAfter place list definitions around the plain ones",
    modules: [{ l: mkAfter(["last"]) }, { l: ["middle"] }, { l: mkBefore(["first"]) }],
    expected: { l: ["first", "middle", "last"] },
  },
  {
    name: "mkIf with a false condition defines nothing",
    modules: [{ a: mkIf(false, { x: 1 }), b: mkIf(true, 2) }],
    expected: { b: 2 },
  },
  {
    name: "mkMerge counts as several definitions",
    modules: [{ a: mkMerge([{ x: 1 }, mkIf(false, { y: 2 }), { l: ["p"] }]) }, { a: { l: ["q"] } }],
    expected: { a: { x: 1, l: ["p", "q"] } },
  },
  {
    name: "wrappers inside list elements are resolved",
    modules: [{ l: [{ k: mkDefault("v") }] }],
    expected: { l: [{ k: "v" }] },
  },
  {
    name: "undefined defines nothing",
    modules: [{ s: undefined }, { s: "set" }],
    expected: { s: "set" },
  },
  {
    name: "an object shaped like a wrapper is plain data, not a priority",
    modules: [{ s: { priority: 50, content: "x" } }, { s: { content: "x" } }],
    expected: { s: { priority: 50, content: "x" } },
  },
];

for (const { name, modules, expected } of cases) {
  test(name, () => {
    const merged = mergeDefinitions(modules.map((value, index) => ({ file: `/m/${index}.ts`, value })));
    assert.deepEqual(merged.problems, []);
    assert.deepEqual(merged.value, expected);
  });
}

test("rejects a scalar set twice, naming both files and the option path", () => {
  const merged = mergeDefinitions([
    { file: "/m/a.ts", value: { networking: { hostName: "alpha" } } },
    { file: "/m/b.ts", value: { networking: { hostName: "beta" } } },
  ]);
  assert.equal(merged.problems.length, 1);
  const [problem] = merged.problems;
  assert.equal(problem?.path, "networking.hostName");
  assert.match(problem?.message ?? "", /"alpha" and "beta", in \/m\/a\.ts and in \/m\/b\.ts/);
  assert.match(problem?.message ?? "", /lib\.mkForce/);
});

test("rejects two mkDefault values that differ: priorities tie", () => {
  const merged = mergeDefinitions([
    { file: "/m/a.ts", value: { s: mkDefault(1) } },
    { file: "/m/b.ts", value: { s: mkDefault(2) } },
  ]);
  assert.equal(merged.problems[0]?.path, "s");
});

test("rejects a scalar and an attribute set at one path", () => {
  const merged = mergeDefinitions([
    { file: "/m/a.ts", value: { s: { x: 1 } } },
    { file: "/m/b.ts", value: { s: "text" } },
  ]);
  assert.match(merged.problems[0]?.message ?? "", /an attribute set and "text"/);
});

test("records which files set each path, list elements included", () => {
  const merged = mergeDefinitions([
    { file: "/m/a.ts", value: { a: { l: ["x"] } } },
    { file: "/m/b.ts", value: { a: { l: ["y"], s: 1 } } },
  ]);
  assert.deepEqual(merged.provenance.get("a"), ["/m/a.ts", "/m/b.ts"]);
  assert.deepEqual(merged.provenance.get("a.s"), ["/m/b.ts"]);
  assert.deepEqual(merged.provenance.get("a.l[0]"), ["/m/a.ts"]);
  assert.deepEqual(merged.provenance.get("a.l[1]"), ["/m/b.ts"]);
});
