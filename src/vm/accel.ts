import { spawn } from "node:child_process";
import { access } from "node:fs/promises";

let probed: Promise<"kvm" | "tcg"> | undefined;

/**
 * KVM when it works, else TCG. /dev/kvm may exist and still hang (nested virtualisation), so a real boot
 * decides: `kernel` without a root filesystem panics and, with -no-reboot, QEMU exits within a second or two
 * under KVM; a KVM that hangs runs into the timeout. Probed once per process; GROUNDWORK_ACCEL overrides.
 */
export function accelerator(kernel: string, timeoutMs = 8000): Promise<"kvm" | "tcg"> {
  const forced = process.env.GROUNDWORK_ACCEL;
  if (forced === "tcg" || forced === "kvm") return Promise.resolve(forced);
  probed ??= access("/dev/kvm").then(
    () =>
      new Promise<"kvm" | "tcg">((resolve) => {
        const child = spawn(
          "qemu-system-x86_64",
          [
            "-accel",
            "kvm",
            "-m",
            "256",
            "-display",
            "none",
            "-serial",
            "null",
            "-no-reboot",
            "-kernel",
            kernel,
            "-append",
            "panic=-1",
          ],
          { stdio: "ignore" },
        );
        const timer = setTimeout(() => {
          child.kill("SIGKILL");
          resolve("tcg");
        }, timeoutMs);
        child.on("error", () => {
          clearTimeout(timer);
          resolve("tcg");
        });
        child.on("exit", (code) => {
          clearTimeout(timer);
          resolve(code === 0 ? "kvm" : "tcg");
        });
      }),
    () => "tcg" as const,
  );
  return probed;
}
