// bench/switch: on one QEMU machine installed by groundwork, time a switch that adds a package, a user and a
// file, and a switch with nothing to do, next to Ansible (Debian's package) applying the same change with a
// playbook; count the bytes each sends over SSH through a counting proxy. Prints a table and the ratios.
// Package lists are fetched before each change, outside the measurement.
//
//   node --import tsx bench/switch/run.ts        (as root; installs ansible with apt when it is missing)

import { execFile, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { loadConfig } from "../../src/config/load.ts";
import { deploy } from "../../src/execute/deploy/deploy.ts";
import { switchSystem } from "../../src/execute/switch.ts";
import { waitForSsh } from "../../src/execute/wait-for-ssh.ts";
import { type DeployPlan, planDeploy, withAuthorizedKey } from "../../src/plan/deploy-plan.ts";
import { switchTargetOf } from "../../src/plan/switch-run.ts";
import { prepareTestBench } from "../../test/harness/test-bench.ts";

/** A TCP proxy to `port` that counts the bytes in both directions. */
async function countingProxy(port: number): Promise<{ port: number; bytes: () => number; server: Server }> {
  let bytes = 0;
  const server = createServer((client) => {
    const upstream = connect({ host: "127.0.0.1", port });
    client.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      client.write(chunk);
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no proxy port");
  return { port: address.port, bytes: () => bytes, server };
}

async function measure(label: string, proxy: { bytes: () => number }, work: () => Promise<void>) {
  const bytesBefore = proxy.bytes();
  const started = performance.now();
  await work();
  return { label, seconds: (performance.now() - started) / 1000, bytes: proxy.bytes() - bytesBefore };
}

if (spawnSync("ansible-playbook", ["--version"]).status !== 0) {
  console.error("installing Debian's ansible package…");
  spawnSync("apt-get", ["install", "-y", "-q", "ansible"], { stdio: "inherit" });
}

const planOf = async (path: string): Promise<DeployPlan> =>
  planDeploy((await loadConfig(path)).config, { rootMountpoint: "/mnt" });
const base = await planOf("bench/switch/base.ts");
const bench = await prepareTestBench(base, { memoryMiB: 1024, keep: false });
try {
  const keyed = (plan: DeployPlan) => withAuthorizedKey(plan, "root", bench.key.publicKey);
  console.error("installing the machine…");
  await bench.machines.startLive();
  const installed = await deploy({
    ...bench.deployContext(keyed(base), "bench/switch/base.ts"),
    phases: ["disk", "install", "reboot"],
    transport: await bench.login(),
  });
  await installed.transport?.close();

  const proxy = await countingProxy(bench.machine.sshPort);
  const destination = { user: "root", host: "127.0.0.1", port: proxy.port };
  const login = (timeoutMs = 120_000) => waitForSsh(destination, bench.rootSsh, timeoutMs);
  const groundwork = async (plan: DeployPlan) => {
    await switchSystem({
      ...switchTargetOf(keyed(plan)),
      transport: await login(),
      reconnect: (timeoutMs) => login(timeoutMs),
      confirmTimeoutMs: 60_000,
      dryRun: false,
      confirm: async () => true,
      // The machine's own step timings (apply.log), to see where the time goes.
      events: (event) => {
        if (event.type === "output" && / took \d+ ms$/.test(event.text)) console.error(event.text);
      },
    });
  };
  // Both tools find package lists younger than an hour, so neither fetches them: the bench measures the
  // tools, not the mirror.
  const freshLists = async () => {
    const transport = await login();
    const update = await transport.runChecked("apt-get -q update");
    await transport.close();
    if (update.exitCode !== 0) throw new Error(`apt-get update failed on the machine:\n${update.stderr}`);
  };
  const extras = await planOf("bench/switch/extras.ts");
  await freshLists();
  const results = [
    await measure("groundwork: add package, user, file", proxy, () => groundwork(extras)),
    await measure("groundwork: nothing to do", proxy, () => groundwork(extras)),
  ];
  await groundwork(base);

  const inventory = join(bench.dir, "inventory.ini");
  writeFileSync(
    inventory,
    `target ansible_host=127.0.0.1 ansible_port=${proxy.port} ansible_user=root ansible_ssh_private_key_file=${bench.key.file} ansible_ssh_common_args='-o UserKnownHostsFile=${bench.knownHostsFile} -o StrictHostKeyChecking=accept-new'\n`,
  );
  // Asynchronous: the counting proxy runs in this process.
  const ansible = async () => {
    await promisify(execFile)("ansible-playbook", ["-i", inventory, "bench/switch/playbook.yml"], {
      env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: "False" },
    }).catch((error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`ansible-playbook failed:\n${error.stdout ?? ""}\n${error.stderr ?? error.message}`);
    });
  };
  await freshLists();
  results.push(
    await measure("ansible: add package, user, file", proxy, ansible),
    await measure("ansible: nothing to do", proxy, ansible),
  );
  proxy.server.close();

  console.log(`${"run".padEnd(40)} ${"seconds".padStart(8)} ${"KiB over SSH".padStart(13)}`);
  for (const result of results)
    console.log(
      `${result.label.padEnd(40)} ${result.seconds.toFixed(1).padStart(8)} ${(result.bytes / 1024).toFixed(1).padStart(13)}`,
    );
  const [gwChange, gwNoop, anChange, anNoop] = results;
  if (gwChange && gwNoop && anChange && anNoop) {
    console.log(
      `ansible / groundwork: change ${(anChange.seconds / gwChange.seconds).toFixed(2)}× the time, ${(anChange.bytes / gwChange.bytes).toFixed(2)}× the bytes; nothing to do ${(anNoop.seconds / gwNoop.seconds).toFixed(2)}× the time, ${(anNoop.bytes / gwNoop.bytes).toFixed(2)}× the bytes`,
    );
  }
} finally {
  await bench.dispose();
}
