import { type CrypttabEntry, formatCrypttabLine } from "../disk/crypttab.ts";
import type { FstabEntry } from "../disk/fstab.ts";
import { formatFstabLine } from "../disk/fstab.ts";
import type { DeviceRef } from "../disk/steps.ts";
import { GENERATION_FILES, generationDir, STATE_DIR } from "../plan/generation.ts";
import { INITRD_HOST_KEY_PATH, INITRD_SSH_DIR } from "../plan/target-paths.ts";
import { DISK_PRELUDE, RUN_LOCK } from "./prelude.ts";
import { quote } from "./quote.ts";

export interface InstallScriptInputs {
  /** Where the layout is mounted, `/mnt`. */
  readonly root: string;
  /**
   * Where the system comes from: a tarball built here and uploaded (inside the mounted root), or debootstrap
   * run on the target from Debian's mirror (`--build-on remote`).
   */
  readonly system:
    | { readonly kind: "tarball"; readonly path: string }
    | {
        readonly kind: "debootstrap";
        readonly suite: string;
        readonly mirror: string;
        readonly packages: readonly string[];
      };
  readonly fstab: readonly FstabEntry[];
  readonly crypttab: readonly CrypttabEntry[];
  /** The swap space the kernel resumes from after hibernation, found by its UUID at install. */
  readonly resume: DeviceRef | undefined;
  readonly activationScript: string;
  /** The files of generation 1 (see switch-script.ts), recorded so that `switch` knows what was installed. */
  readonly generation: Readonly<Record<string, string>>;
  /** The machine's own SSH host key, made for this install. Secret: the script goes over SSH on stdin only. */
  readonly hostKey: { readonly privateKey: string; readonly publicKey: string };
  /** The initramfs's SSH host key, made for this install when boot.initrd.network.ssh is enabled. Secret too. */
  readonly initrdHostKey?: { readonly privateKey: string } | undefined;
  readonly grub: {
    readonly biosDevices: readonly string[];
    /** The ESP's mountpoint inside the system, when GRUB is installed for EFI. */
    readonly efiDirectory: string | undefined;
    readonly efiRemovable: boolean;
  };
}

/** A device as one shell word: its path, or the partition found by the prelude's `partition_device`. */
function deviceWord(device: DeviceRef): string {
  return device.kind === "path"
    ? quote(device.path)
    : `"$(partition_device ${quote(device.disk)} ${device.number})"`;
}

function fstabLines(inputs: InstallScriptInputs): string[] {
  const lines = ["# fstab: partitions by label where they have one, else by filesystem UUID", step("fstab")];
  lines.push(`: > ${quote(`${inputs.root}/etc/fstab`)}`);
  for (const entry of inputs.fstab) {
    if (entry.source.kind === "uuid") {
      const device = entry.source.device;
      lines.push(`uuid=$(blkid -s UUID -o value ${deviceWord(device)})`);
      const line = formatFstabLine(entry, () => "@UUID@");
      const [before, after] = line.split("@UUID@") as [string, string];
      lines.push(
        `printf '%s%s%s\\n' ${quote(before)} "$uuid" ${quote(after)} >> ${quote(`${inputs.root}/etc/fstab`)}`,
      );
    } else {
      lines.push(
        `printf '%s\\n' ${quote(formatFstabLine(entry, () => ""))} >> ${quote(`${inputs.root}/etc/fstab`)}`,
      );
    }
  }
  return lines;
}

/**
 * crypttab, by each device's LUKS UUID; nothing when the layout encrypts nothing. The devices the initramfs
 * opens go onto the kernel command line too (`cryptopts=`, which cryptsetup's initramfs script reads), gathered
 * in `$params`: the image's initramfs holds cryptsetup already and need not be made again.
 */
function crypttabLines(inputs: InstallScriptInputs): string[] {
  if (inputs.crypttab.length === 0) return [];
  const crypttab = quote(`${inputs.root}/etc/crypttab`);
  const lines = ["# crypttab: LUKS devices by the UUID of their header", step("crypttab"), `: > ${crypttab}`];
  for (const entry of inputs.crypttab) {
    if (entry.kind === "random-swap") {
      lines.push(`printf '%s\\n' ${quote(formatCrypttabLine(entry, ""))} >> ${crypttab}`);
      continue;
    }
    const device = entry.device;
    lines.push(
      `uuid=$(cryptsetup luksUUID ${deviceWord(device)})`,
      `case "$uuid" in '' | *[!0-9A-Fa-f-]*) echo ${quote(`groundwork: cannot read the LUKS UUID of ${entry.name}`)} >&2; exit 1 ;; esac`,
    );
    const [before, after] = formatCrypttabLine(entry, "@UUID@").split("@UUID@") as [string, string];
    lines.push(`printf '%s%s%s\\n' ${quote(before)} "$uuid" ${quote(after)} >> ${crypttab}`);
    if (entry.options.includes("initramfs")) {
      const options = entry.options.filter((option) => option !== "initramfs").join(",");
      lines.push(`params="$params cryptopts=target=${entry.name},source=UUID=$uuid,${options}"`);
    }
  }
  return lines;
}

/**
 * The kernel parameters that name what the initramfs opens (`$params`, from crypttabLines) and the swap it
 * resumes from, in a GRUB snippet of their own (switch rewrites only its own). The resume swap goes into
 * initramfs-tools' configuration too, for the initramfs of a later kernel.
 */
function bootParamLines(inputs: InstallScriptInputs): string[] {
  const resume = inputs.resume;
  const luks = inputs.crypttab.some((entry) => entry.kind === "luks" && entry.options.includes("initramfs"));
  if (!luks && resume === undefined) return [];
  const lines = ["# kernel parameters for the disks", step("boot-params")];
  if (resume !== undefined) {
    lines.push(
      `uuid=$(blkid -s UUID -o value ${deviceWord(resume)})`,
      `case "$uuid" in '' | *[!0-9A-Fa-f-]*) echo 'groundwork: cannot read the UUID of the resume swap' >&2; exit 1 ;; esac`,
      'params="$params resume=UUID=$uuid"',
      `mkdir -p ${quote(`${inputs.root}/etc/initramfs-tools/conf.d`)}`,
      `printf 'RESUME=UUID=%s\\n' "$uuid" > ${quote(`${inputs.root}/etc/initramfs-tools/conf.d/resume`)}`,
    );
  }
  lines.push(
    `mkdir -p ${quote(`${inputs.root}/etc/default/grub.d`)}`,
    // grub-mkconfig sources the file as shell: $GRUB_CMDLINE_LINUX stays a variable; the values are plain words.
    `printf 'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX%s"\\n' "$params" > ${quote(`${inputs.root}/etc/default/grub.d/60-groundwork-disks.cfg`)}`,
  );
  return lines;
}

/** The steps the install script marks as it goes (`[groundwork] step ID`), with what each does. */
export const INSTALL_STEPS = {
  unpack: "unpack the system",
  bootstrap: "build the system from Debian's mirror (debootstrap)",
  fstab: "write fstab",
  crypttab: "write crypttab",
  "host-key": "write the SSH host keys",
  activate: "activate the system (users, services, initramfs)",
  "boot-params": "write the kernel parameters that open the LUKS devices and name the resume swap",
  generation: "record generation 1",
  grub: "install GRUB",
  finish: "unmount the kernel's file systems and sync",
} as const;

function step(id: keyof typeof INSTALL_STEPS): string {
  return `step ${id}`;
}

function grubLines(inputs: InstallScriptInputs): string[] {
  const lines = ["# boot loader", step("grub")];
  for (const device of inputs.grub.biosDevices) {
    lines.push(`chroot ${quote(inputs.root)} grub-install --target=i386-pc ${quote(device)}`);
  }
  if (inputs.grub.efiDirectory !== undefined) {
    const removable = inputs.grub.efiRemovable ? " --removable --no-nvram" : "";
    lines.push(
      `chroot ${quote(inputs.root)} grub-install --target=x86_64-efi --efi-directory=${quote(inputs.grub.efiDirectory)} --bootloader-id=debian${removable}`,
    );
  }
  lines.push(`chroot ${quote(inputs.root)} update-grub`);
  return lines;
}

function systemLines(inputs: InstallScriptInputs): string[] {
  const root = quote(inputs.root);
  const system = inputs.system;
  if (system.kind === "tarball") {
    const tarball = quote(system.path);
    return [
      "# unpack the system; /boot separately, since it may be a FAT filesystem without owners and modes",
      step("unpack"),
      `zstd -dcq ${tarball} | tar -x --numeric-owner --xattrs --xattrs-include='*' -C ${root} --exclude=./boot/?*`,
      `zstd -dcq ${tarball} | tar -x --no-same-owner --no-same-permissions -m -C ${root} --wildcards './boot/?*'`,
      `rm -f ${tarball}`,
    ];
  }
  return [
    "# build the system here, from Debian's mirror",
    step("bootstrap"),
    `debootstrap --variant=minbase --include=${quote(system.packages.join(","))} ${quote(system.suite)} ${root} ${quote(system.mirror)}`,
    // Host keys are made per machine by groundwork, never kept from the build.
    `rm -f ${quote(`${inputs.root}/etc/ssh`)}/ssh_host_*`,
    `chroot ${root} apt-get clean`,
  ];
}

/**
 * The install script: unpack the system into the mounted layout, write fstab and the host key, run the
 * activation in a chroot, install GRUB. Runs on the target after the disk script mounted everything.
 */
export function renderInstallScript(inputs: InstallScriptInputs): string {
  const root = quote(inputs.root);
  const sections: string[][] = [
    [
      `mountpoint -q ${root} || { echo ${quote(`groundwork: nothing is mounted at ${inputs.root}: run the disk phase first`)} >&2; exit 1; }`,
      // Kernel parameters the disks need, gathered as the install learns them (see bootParamLines).
      "params=",
    ],
    systemLines(inputs),
    fstabLines(inputs),
    crypttabLines(inputs),
    [
      "# the SSH host key made for this machine",
      step("host-key"),
      `mkdir -p ${quote(`${inputs.root}/etc/ssh`)}`,
      `umask 077`,
      `printf '%s\\n' ${quote(inputs.hostKey.privateKey.trimEnd())} > ${quote(`${inputs.root}/etc/ssh/ssh_host_ed25519_key`)}`,
      ...(inputs.initrdHostKey === undefined
        ? []
        : [
            `mkdir -p ${quote(`${inputs.root}${INITRD_SSH_DIR}`)}`,
            `printf '%s\\n' ${quote(inputs.initrdHostKey.privateKey.trimEnd())} > ${quote(`${inputs.root}${INITRD_HOST_KEY_PATH}`)}`,
          ]),
      "umask 022",
      `printf '%s\\n' ${quote(inputs.hostKey.publicKey.trimEnd())} > ${quote(`${inputs.root}/etc/ssh/ssh_host_ed25519_key.pub`)}`,
    ],
    [
      "# activation, in a chroot with the kernel's file systems bound in",
      step("activate"),
      // A run cut off before its end may have left them bound: each is bound once.
      `for fs in dev proc sys run; do while mountpoint -q ${root}/$fs; do umount -R ${root}/$fs; done; mkdir -p ${root}/$fs; mount --rbind /$fs ${root}/$fs; mount --make-rslave ${root}/$fs; done`,
      `[ ! -d /sys/firmware/efi/efivars ] || mount -t efivarfs efivarfs ${quote(`${inputs.root}/sys/firmware/efi/efivars`)} 2>/dev/null || :`,
      `mkdir -p ${quote(`${inputs.root}/etc/groundwork`)}`,
      `printf '%s' ${quote(inputs.activationScript)} > ${quote(`${inputs.root}/etc/groundwork/activate.sh`)}`,
      `GROUNDWORK_CHROOT=1 chroot ${root} /bin/sh /etc/groundwork/activate.sh`,
    ],
    bootParamLines(inputs),
    [
      "# generation 1",
      step("generation"),
      `mkdir -p ${quote(`${inputs.root}${generationDir(1)}`)}`,
      ...Object.entries(inputs.generation).map(
        ([name, text]) =>
          `printf '%s' ${quote(text)} > ${quote(`${inputs.root}${generationDir(1)}/${name}`)}`,
      ),
      `chroot ${root} dpkg-query -W -f '\${Package}\t\${Version}\n' > ${quote(`${inputs.root}${generationDir(1)}/${GENERATION_FILES.packages}`)}`,
      `echo 1 > ${quote(`${inputs.root}${STATE_DIR}/current`)}`,
    ],
    grubLines(inputs),
    [
      "# leave the chroot",
      step("finish"),
      `for fs in run sys proc dev; do while mountpoint -q ${root}/$fs; do umount -R ${root}/$fs; done; done`,
      "sync",
    ],
  ];
  return [
    "#!/bin/sh",
    "# groundwork install script (generated)",
    "set -eu",
    "",
    DISK_PRELUDE,
    RUN_LOCK,
    ...sections.map((lines) => lines.join("\n")),
    "echo 'groundwork: installed'",
    "",
  ].join("\n");
}
