import { formatCrypttabLine } from "../disk/crypttab.ts";
import { formatFstabLine } from "../disk/fstab.ts";
import type { DiskStep } from "../disk/steps.ts";
import type { DiskPlan } from "../plan/disk-plan.ts";

const MARKS: { readonly [K in DiskStep["kind"]]: string | undefined } = {
  "check-disk": "?",
  "check-unused": "?",
  "destroy-disk": "!",
  "gpt-table": "+",
  "gpt-partition": "+",
  "gpt-hybrid-mbr": "+",
  "parted-table": "+",
  "parted-partition": "+",
  "reread-partitions": undefined,
  mkfs: "+",
  mkswap: "+",
  "btrfs-subvolume": "+",
  "btrfs-swapfile": "+",
  mount: ">",
  swapon: ">",
  unmount: "<",
  swapoff: "<",
  "mdadm-create": "+",
  "mdadm-assemble": ">",
  "mdadm-stop": "<",
  "lvm-pv": "+",
  "lvm-vg": "+",
  "lvm-lv": "+",
  "lvm-activate": ">",
  "luks-format": "+",
  "luks-open": ">",
  "luks-close": "<",
  hook: "$",
};

function count(steps: readonly DiskStep[], kinds: readonly DiskStep["kind"][]): number {
  return steps.filter((step) => kinds.includes(step.kind)).length;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The plan as a person reads it: per device, what will be checked, destroyed, created, formatted and mounted. */
export function formatDiskPlan(plan: DiskPlan): string {
  const lines: string[] = [`Disk plan, mode ${plan.mode} (root mountpoint ${plan.rootMountpoint}):`];
  const groups = new Map<string | undefined, DiskStep[]>();
  for (const step of plan.steps) groups.set(step.disk, [...(groups.get(step.disk) ?? []), step]);
  for (const [disk, steps] of groups) {
    const name = disk === undefined ? undefined : plan.disks[disk];
    // Steps on no disk mount filesystems without a device (disko's nodev).
    lines.push("", disk === undefined ? "nodev" : name === undefined ? disk : `${disk} (disk ${name})`);
    for (const step of steps) {
      const mark = MARKS[step.kind];
      if (mark !== undefined) lines.push(`  ${mark} ${step.description}`);
    }
  }
  const { steps } = plan;
  const summary = [
    count(steps, ["destroy-disk"]) > 0
      ? `${plural(count(steps, ["destroy-disk"]), "disk")} wiped`
      : undefined,
    count(steps, ["gpt-partition", "parted-partition"]) > 0
      ? `${plural(count(steps, ["gpt-partition", "parted-partition"]), "partition")} created where missing`
      : undefined,
    count(steps, ["mkfs", "mkswap"]) > 0
      ? `${plural(count(steps, ["mkfs", "mkswap"]), "filesystem")} formatted where missing`
      : undefined,
    count(steps, ["btrfs-subvolume"]) > 0
      ? `${plural(count(steps, ["btrfs-subvolume"]), "subvolume")} created where missing`
      : undefined,
    count(steps, ["btrfs-swapfile"]) > 0
      ? `${plural(count(steps, ["btrfs-swapfile"]), "swap file")} created where missing`
      : undefined,
    count(steps, ["luks-format"]) > 0
      ? `${plural(count(steps, ["luks-format"]), "device")} encrypted where not yet`
      : undefined,
    count(steps, ["mount", "swapon"]) > 0 ? `${count(steps, ["mount", "swapon"])} mounted` : undefined,
    count(steps, ["unmount", "swapoff"]) > 0
      ? `${count(steps, ["unmount", "swapoff"])} unmounted`
      : undefined,
  ].filter((part) => part !== undefined);
  lines.push("", `Summary: ${summary.length === 0 ? "nothing to do" : summary.join(", ")}.`);
  if (plan.steps.some((step) => step.destroys)) {
    lines.push("Destroys: everything now on the disks marked !, including their partition tables.");
  }
  if (plan.fstab.length > 0) {
    lines.push("", "fstab of the installed system:");
    for (const entry of plan.fstab) {
      lines.push(
        `  ${formatFstabLine(entry, (device) => `<uuid of ${device.kind === "path" ? device.path : `partition ${device.number} of ${device.disk}`}>`)}`,
      );
    }
  }
  if (plan.crypttab.length > 0) {
    lines.push(
      "",
      "crypttab of the installed system (at boot each LUKS device asks for its passphrase on the console):",
    );
    for (const entry of plan.crypttab) {
      const device = entry.kind === "luks" ? entry.device : undefined;
      const where =
        device === undefined
          ? ""
          : device.kind === "path"
            ? device.path
            : `partition ${device.number} of ${device.disk}`;
      lines.push(`  ${formatCrypttabLine(entry, `<luks uuid of ${where}>`)}`);
    }
  }
  if (plan.biosBootDevices.length > 0)
    lines.push("", `GRUB for BIOS boot on: ${plan.biosBootDevices.join(", ")}`);
  return lines.join("\n");
}
