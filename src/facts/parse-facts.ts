import { z } from "zod";
import { RunError } from "../errors/index.ts";
import type { Facts, InterfaceFacts, RouteFacts } from "./facts.ts";
import { lsblkDevice, lsblkOutput, parseSwaps } from "./lsblk.ts";
import { splitSections } from "./sections.ts";

/** `/proc/mounts` writes space, tab, newline and backslash in octal (`\040`). */
export function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

const ipAddress = z.array(
  z.object({
    ifname: z.string(),
    address: z.string().optional(),
    addr_info: z
      .array(
        z.object({
          family: z.string(),
          local: z.string(),
          prefixlen: z.number(),
          scope: z.string().default("global"),
          dynamic: z.boolean().optional(),
        }),
      )
      .default([]),
  }),
);
const ipRoute = z.array(
  z.object({ dst: z.string(), gateway: z.string().optional(), dev: z.string().optional() }),
);

function parseJson<T>(schema: z.ZodType<T>, text: string, what: string): T {
  try {
    return schema.parse(JSON.parse(text));
  } catch (error) {
    throw new RunError(`could not read ${what} from the target's facts: ${(error as Error).message}`);
  }
}

/** Turn the facts script's output into Facts. */
export function parseFacts(output: string): Facts {
  const sections = splitSections(output);
  const section = (name: string) => sections.get(name) ?? "";
  if (!sections.has("end")) throw new RunError("the facts script did not finish: its output ends early");
  const [architecture = "", kernelRelease = ""] = section("uname").split("\n");
  const [uid = "", user = ""] = section("id").split("\n");
  const osRelease = new Map(
    section("os-release")
      .split("\n")
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1] as string, (match[2] as string).replace(/^"(.*)"$/, "$1")]),
  );
  const memKb = /^MemTotal:\s+(\d+) kB$/m.exec(section("meminfo"))?.[1];
  const [loadDisabled, kexecSupport] = section("kexec").split("\n");
  const [hypervisorType = "", guestType] = section("hypervisor").split(" ");
  const lsblk = parseJson(lsblkOutput, section("lsblk") || "{}", "lsblk");
  const addresses = parseJson(ipAddress, section("addresses") || "[]", "ip address");
  const routeLines = section("routes")
    .split("\n")
    .filter((line) => line.trim() !== "");
  const routes: RouteFacts[] = routeLines.flatMap((line) =>
    parseJson(ipRoute, line, "ip route").map((route) => ({
      destination: route.dst,
      gateway: route.gateway,
      device: route.dev,
    })),
  );
  const interfaces: InterfaceFacts[] = addresses.map((entry) => ({
    name: entry.ifname,
    macAddress: entry.address,
    addresses: entry.addr_info
      .filter((info) => info.family === "inet" || info.family === "inet6")
      .map((info) => ({
        address: info.local,
        prefixLength: info.prefixlen,
        family: info.family as "inet" | "inet6",
        scope: info.scope,
        dynamic: info.dynamic === true,
      })),
  }));
  return {
    architecture,
    kernelRelease,
    uid: Number(uid),
    user,
    hostName: section("hostname"),
    os: {
      id: osRelease.get("ID") ?? "unknown",
      versionId: osRelease.get("VERSION_ID") ?? "",
      prettyName: osRelease.get("PRETTY_NAME") ?? "unknown",
    },
    memoryBytes: memKb === undefined ? 0 : Number(memKb) * 1024,
    firmware: section("firmware") === "uefi" ? "uefi" : "bios",
    installer: section("installer") === "" ? undefined : section("installer"),
    kexec: {
      loadDisabled: loadDisabled === "missing" ? undefined : loadDisabled === "1",
      supported: kexecSupport === "supported",
    },
    lockdown: /\[(\w+)\]/.exec(section("lockdown"))?.[1],
    hypervisor: hypervisorType === "" ? undefined : { type: hypervisorType, guestType: guestType ?? "" },
    sshdPorts: section("sshd-ports")
      .split("\n")
      .map(Number)
      .filter((port) => Number.isInteger(port) && port > 0),
    blockDevices: lsblk.blockdevices.map(lsblkDevice),
    mounts: section("mounts")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => {
        const [source = "", target = "", fsType = ""] = line.split(" ");
        return { source: unescapeOctal(source), target: unescapeOctal(target), fsType };
      }),
    swaps: parseSwaps(section("swaps")),
    tools: section("tools")
      .split("\n")
      .filter((tool) => tool !== ""),
    addresses: interfaces,
    routes,
    nameservers: section("resolv")
      .split("\n")
      .map((line) => /^nameserver\s+(\S+)/.exec(line)?.[1])
      .filter((server) => server !== undefined),
    devices: Object.fromEntries(
      section("devices")
        .split("\n")
        .filter((line) => line.includes("\t"))
        .map((line) => line.split("\t") as [string, string]),
    ),
  };
}
