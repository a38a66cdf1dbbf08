import type { DiskMode } from "../disk/modes.ts";
import type { DeviceRef, DiskStep, LuksKey } from "../disk/steps.ts";
import { assertNever } from "../errors/index.ts";
import { DISK_PRELUDE, RUN_LOCK } from "./prelude.ts";
import { command, quote } from "./quote.ts";

/** A value inside a printf format: `%` and `\` are doubled so that printf prints them as they are. */
function literal(value: string): string {
  return value.replaceAll("\\", "\\\\").replaceAll("%", "%%");
}

/** A `fail` call: `format` is a printf format whose values went through `literal`, `args` fill its `%s`. */
function fail(format: string, ...args: string[]): string {
  return ["fail", quote(format), ...args].join(" ");
}

/** Lines that set `$device` to the device a step works on. */
function resolveDevice(device: DeviceRef, waitSeconds?: number): string[] {
  if (device.kind === "path") return [`device=${quote(device.path)}`];
  const label = device.label === undefined ? "" : ` (${literal(device.label)})`;
  const args = [
    quote(device.disk),
    String(device.number),
    ...(waitSeconds === undefined ? [] : [String(waitSeconds)]),
  ];
  return [
    `device=$(partition_device ${args.join(" ")}) ||`,
    `  ${fail(`partition ${device.number}${label} of ${literal(device.disk)} is missing: create it with --mode format`)}`,
  ];
}

const LEAVE_TOP = 'umount "$top"; rmdir "$top"';

/** Make every btrfs device known to the kernel (the module loaded first), so that one over several mounts. */
const BTRFS_SCAN = "{ modprobe btrfs && btrfs device scan; } >/dev/null 2>&1 || :";

/**
 * Create a partition table with `create` on a disk that has none; stop, writing nothing, on a disk that holds
 * a filesystem or another kind of table (`blkid` names the kinds: `gpt`, `dos`).
 */
function tableLines(
  device: string,
  kind: { readonly blkid: string; readonly layout: string },
  create: string,
): string[] {
  return [
    `table=$(blkid -p -s PTTYPE -o value ${quote(device)} 2>/dev/null || :)`,
    `signature=$(filesystem_type ${quote(device)})`,
    `if [ -n "$signature" ]; then`,
    `  ${fail(`${literal(device)} holds a %s filesystem, not a partition table: run --mode destroy first. Nothing was written.`, '"$signature"')}`,
    `elif [ -z "$table" ]; then`,
    `  ${create}`,
    `elif [ "$table" != ${quote(kind.blkid)} ]; then`,
    `  ${fail(`${literal(device)} has a %s partition table, the layout wants ${literal(kind.layout)}: run --mode destroy first. Nothing was written.`, '"$table"')}`,
    "fi",
  ];
}

/** `lines` run with the top level (subvolume id 5) of a btrfs filesystem mounted aside at `$top`. */
function onBtrfsTop(device: DeviceRef, lines: readonly string[]): string[] {
  return [
    ...resolveDevice(device),
    "top=$(mktemp -d)",
    // A btrfs over several devices mounts once the kernel knows them all (LUKS devices opened meanwhile); the
    // scan needs the module loaded, which a first mount would load too late.
    BTRFS_SCAN,
    `mount -t btrfs -o subvolid=5 "$device" "$top" || { rmdir "$top"; ${fail("could not mount the btrfs filesystem on %s", '"$device"')}; }`,
    ...lines,
    LEAVE_TOP,
  ];
}

function renderStep(step: DiskStep): string[] {
  switch (step.kind) {
    case "check-disk": {
      const lines = [
        `[ -b ${quote(step.device)} ] || ${fail(`${literal(step.device)} is not a block device: check disko.devices.disk.*.device, or pass --disk NAME=DEVICE`)}`,
      ];
      if (step.minimumBytes > 0) {
        lines.push(
          `[ "$(blockdev --getsize64 ${quote(step.device)})" -ge ${step.minimumBytes} ] ||`,
          `  ${fail(`${literal(step.device)} is smaller than the ${Math.ceil(step.minimumBytes / 2 ** 20)} MiB its layout needs: nothing was written`)}`,
        );
      }
      return lines;
    }
    case "check-unused": {
      // /proc/self/mounts writes space, tab, newline and backslash in octal: compare with the root written so.
      const root = step.rootMountpoint
        .replace(/\/+$/, "")
        .replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`);
      return [
        `for part in $(lsblk -nrpo NAME ${quote(step.device)}); do`,
        "  while read -r source target rest; do",
        '    [ "$source" = "$part" ] || continue',
        `    case "$target" in ${root === "" ? "" : `${quote(root)} | `}${quote(root)}/*) ;;`,
        `    *) ${fail(`%s on ${literal(step.device)} is in use: mounted at %s. Nothing was written.`, '"$part"', '"$target"')} ;;`,
        "    esac",
        "  done < /proc/self/mounts",
        // An array (md) on the disk is checked as the disk's own devices are, above (lsblk lists it, and what it
        // holds); anything else holding a device (device-mapper: LVM, LUKS) stops the run.
        `  for holder in /sys/class/block/"$(basename "$part")"/holders/*; do`,
        '    [ -e "$holder" ] || continue',
        `    case "\${holder##*/}" in md*) continue ;; esac`,
        // A logical volume or an open LUKS device (device-mapper UUIDs LVM-…, CRYPT-…) is checked as the disk's
        // devices are; another mapping (multipath, a hand-made table) is refused.
        `    case "$(cat "$holder/dm/uuid" 2>/dev/null)" in LVM-* | CRYPT-*) continue ;; esac`,
        `    ${fail(`%s on ${literal(step.device)} is in use by %s (a device-mapper device that is no logical volume or LUKS device): remove it (dmsetup remove). Nothing was written.`, '"$part"', `"\${holder##*/}"`)}`,
        "  done",
        "done",
      ];
    }
    case "destroy-disk":
      return [
        `disk=${quote(step.device)}`,
        `if mountpoint -q ${quote(step.rootMountpoint)}; then umount -R ${quote(step.rootMountpoint)}; fi`,
        "# What is stacked on the disk (open LUKS devices, logical volumes, arrays) is taken down, the topmost",
        "# first: a device goes once nothing holds it. Its members cannot be wiped while it runs.",
        "for pass in 1 2 3 4 5 6 7 8; do",
        "  left=",
        `  for dev in $(lsblk -nrpo NAME,TYPE "$disk" | awk '$2 == "crypt" || $2 == "lvm" || $2 == "dm" || $2 == "md" || $2 ~ /^raid/ { print $1 }'); do`,
        '    [ -b "$dev" ] || continue',
        '    name=$(basename "$(readlink -f "$dev")")',
        '    if [ -n "$(ls "/sys/class/block/$name/holders" 2>/dev/null)" ]; then left=1; continue; fi',
        '    swapoff "$dev" 2>/dev/null || :',
        '    case "$name" in',
        '      md*) mdadm --stop "$dev" </dev/null ;;',
        '      dm-*) dmsetup remove "$dev" </dev/null ;;',
        "    esac || left=1",
        "  done",
        '  [ -n "$left" ] || break',
        "done",
        `for part in $(lsblk -nrpo NAME,TYPE "$disk" | awk '$2 == "part" { print $1 }'); do`,
        `  swapoff "$part" 2>/dev/null || :`,
        `  wipefs --all --force "$part"`,
        "done",
        `wipefs --all --force "$disk"`,
        "# GRUB's boot code in the first 440 bytes is no signature: zero it too.",
        `dd if=/dev/zero of="$disk" bs=440 count=1 conv=notrunc status=none`,
        `reread_partitions "$disk"`,
      ];
    case "gpt-table":
      return tableLines(step.device, { blkid: "gpt", layout: "gpt" }, `sgdisk --clear ${quote(step.device)}`);
    case "gpt-partition": {
      // Missing partitions are collected in "$@" and written by one sgdisk call in the next
      // reread-partitions step: each sgdisk call that writes waits about a second for the kernel.
      const n = step.number;
      const usesSectors = step.start.endsWith("s") || step.end.endsWith("s");
      const args = [
        ...(usesSectors ? ["--set-alignment=1"] : []),
        `--new=${n}:${step.start}:${step.end}`,
        `--change-name=${n}:${step.label}`,
        `--typecode=${n}:${step.typeCode}`,
        ...(step.uuid === undefined ? [] : [`--partition-guid=${n}:${step.uuid}`]),
        ...step.attributes.map((bit) => `--attributes=${n}:set:${bit}`),
      ];
      return [`gpt_has_partition ${quote(step.device)} ${n} || set -- "$@" ${args.map(quote).join(" ")}`];
    }
    case "gpt-hybrid-mbr": {
      // sgdisk -h writes the whole MBR again: the same every time, so a second run changes nothing.
      const list = [...step.partitions.map(String), ...(step.protectiveFirst ? [] : ["EE"])].join(":");
      const lines = [`sgdisk --hybrid=${list} ${quote(step.device)} >/dev/null`];
      for (const entry of step.entries)
        if (entry.type !== undefined)
          lines.push(
            `${command("sfdisk", "--label-nested", "dos", "--part-type", step.device, String(entry.entry), entry.type)} >/dev/null`,
          );
      // One call: sfdisk --activate clears the flag of the entries it is not given.
      const active = step.entries.filter((entry) => entry.bootable).map((entry) => String(entry.entry));
      if (active.length > 0)
        lines.push(
          `${command("sfdisk", "--label-nested", "dos", "--activate", step.device, ...active)} >/dev/null`,
        );
      lines.push(`reread_partitions ${quote(step.device)}`);
      return lines;
    }
    case "parted-table":
      return tableLines(
        step.device,
        { blkid: step.format === "msdos" ? "dos" : "gpt", layout: step.format },
        command("parted", "-s", step.device, "--", "mklabel", step.format === "msdos" ? "msdos" : "gpt"),
      );
    case "parted-partition": {
      const kind = step.format === "msdos" ? step.partType : partedWord(step.name ?? `part${step.number}`);
      const mkpart = [
        "parted",
        "-s",
        step.device,
        "--",
        "mkpart",
        kind,
        ...(step.fsType === undefined ? [] : [step.fsType]),
        step.start,
        step.end,
      ];
      const lines = [
        `if ! partition_device ${quote(step.device)} ${step.number} 0 >/dev/null; then`,
        `  ${command(...mkpart)}`,
      ];
      if (step.bootable)
        lines.push(
          `  ${command("parted", "-s", step.device, "--", "set", String(step.number), "boot", "on")}`,
        );
      for (const flag of step.flags)
        lines.push(`  ${command("parted", "-s", step.device, "--", "set", String(step.number), flag, "on")}`);
      lines.push(`  reread_partitions ${quote(step.device)}`, "fi");
      return lines;
    }
    case "reread-partitions":
      return [
        `if [ $# -gt 0 ]; then sgdisk --align-end "$@" ${quote(step.device)}; set --; fi`,
        `reread_partitions ${quote(step.device)}`,
      ];
    case "mkfs": {
      const mkfs = command(`mkfs.${step.format}`, ...step.extraArgs);
      return [
        ...resolveDevice(step.device),
        'signature=$(filesystem_type "$device")',
        'if [ -z "$signature" ]; then',
        `  ${mkfs} "$device"`,
        `elif [ "$signature" != ${quote(step.format)} ]; then`,
        `  ${fail(`%s holds a %s filesystem, the layout says ${literal(step.format)}: it was left as it is. Run --mode destroy first to start over.`, '"$device"', '"$signature"')}`,
        "fi",
      ];
    }
    case "mkswap":
      return [
        ...resolveDevice(step.device),
        'signature=$(filesystem_type "$device")',
        'if [ -z "$signature" ]; then',
        `  ${command("mkswap", ...step.extraArgs)} "$device"`,
        'elif [ "$signature" != swap ]; then',
        `  ${fail("%s holds a %s filesystem, the layout says swap: it was left as it is. Run --mode destroy first to start over.", '"$device"', '"$signature"')}`,
        "fi",
      ];
    case "btrfs-subvolume": {
      const path = `"$top"/${quote(step.name)}`;
      return onBtrfsTop(step.device, [
        `if ! btrfs subvolume show ${path} >/dev/null 2>&1; then`,
        `  if [ -e ${path} ]; then ${LEAVE_TOP}; ${fail(`%s holds a directory ${literal(step.name)} that is not a subvolume: it was left as it is. Run --mode destroy first to start over.`, '"$device"')}; fi`,
        `  mkdir -p "$(dirname ${path})"`,
        `  btrfs subvolume create ${path} >/dev/null || { ${LEAVE_TOP}; ${fail(`could not create the btrfs subvolume ${literal(step.name)} on %s`, '"$device"')}; }`,
        "fi",
      ]);
    }
    case "btrfs-swapfile": {
      // btrfs takes a swap file that is not copied on write, allocated whole and uncompressed: the
      // attribute is set while the file is empty, then the space is allocated.
      const file = `"$top"/${quote(step.file.replace(/^\/+/, ""))}`;
      return onBtrfsTop(step.device, [
        `if [ ! -e ${file} ]; then`,
        `  mkdir -p "$(dirname ${file})"`,
        `  if ! { : > ${file} && chattr +C ${file} && fallocate -l ${step.bytes} ${file} && chmod 0600 ${file} && mkswap ${file} >/dev/null; }; then`,
        `    rm -f ${file}; ${LEAVE_TOP}; ${fail(`could not create the swap file ${literal(step.file)} on %s`, '"$device"')}`,
        "  fi",
        `elif [ "$(filesystem_type ${file})" != swap ]; then`,
        `  ${LEAVE_TOP}; ${fail(`%s holds a file ${literal(step.file)} that is not a swap file: it was left as it is. Run --mode destroy first to start over.`, '"$device"')}`,
        "fi",
      ]);
    }
    case "mount": {
      const target = quote(step.target);
      const mount = `mount -t ${quote(step.fsType)} -o ${quote(step.options.join(","))} "$device" ${target}`;
      return [
        ...resolveDevice(step.device),
        `if ! mountpoint -q ${target}; then`,
        `  mkdir -p ${target}`,
        ...(step.fsType === "btrfs" ? [`  ${BTRFS_SCAN}`] : []),
        `  ${mount} || ${fail(`could not mount %s at ${literal(step.target)}`, '"$device"')}`,
        ...(step.device.kind === "partition"
          ? [
              `elif ! findmnt -rn --source "$device" --mountpoint ${target} >/dev/null; then`,
              `  ${fail(`${literal(step.target)} is already the mountpoint of another device`)}`,
            ]
          : []),
        "fi",
      ];
    }
    case "swapon": {
      const options = step.options.filter((option) => option !== "defaults");
      const swapon = [
        "swapon",
        ...(step.discardPolicy === undefined
          ? []
          : [step.discardPolicy === "both" ? "--discard" : `--discard=${step.discardPolicy}`]),
        ...(step.priority === undefined ? [] : [`--priority=${step.priority}`]),
        ...(options.length === 0 ? [] : [`--options=${options.join(",")}`]),
      ];
      return [
        ...resolveDevice(step.device),
        'if ! swapon --show=NAME --noheadings --raw | grep -qxF "$(readlink -f "$device")"; then',
        `  ${command(...swapon)} "$device"`,
        "fi",
      ];
    }
    case "unmount":
      // Recursive: what else was mounted below it (the kernel's file systems a cut-off install left bound)
      // would keep it busy.
      return [`if mountpoint -q ${quote(step.target)}; then umount -R ${quote(step.target)}; fi`];
    case "swapoff":
      return [
        step.device.kind === "path"
          ? `device=${quote(step.device.path)}`
          : `device=$(partition_device ${quote(step.device.disk)} ${step.device.number} 0) || device=`,
        'if [ -n "$device" ] && swapon --show=NAME --noheadings --raw | grep -qxF "$(readlink -f "$device")"; then',
        '  swapoff "$device"',
        "fi",
      ];
    case "mdadm-create": {
      const create = command(
        "mdadm",
        "--create",
        step.device,
        "--run",
        `--level=${step.level}`,
        ...(step.metadata === "default" ? [] : [`--metadata=${step.metadata}`]),
        // Not bound to the installer's host name: the installed system assembles it under its own.
        "--homehost=any",
        ...step.extraArgs,
      );
      return [
        ...memberLines(step.members),
        `if [ -b ${quote(step.device)} ]; then`,
        "  :",
        'elif mdadm --examine "$1" >/dev/null 2>&1; then',
        `  mdadm --assemble ${quote(step.device)} "$@" </dev/null`,
        "else",
        // mdadm asks on its standard input, which is this script: --run answers, and it reads nothing.
        `  ${create} --raid-devices=$# "$@" </dev/null`,
        "fi",
        "udevadm settle --timeout=60 2>/dev/null || :",
        `[ -b ${quote(step.device)} ] || ${fail(`${literal(step.device)} did not appear`)}`,
      ];
    }
    case "mdadm-assemble":
      return [
        `if [ ! -b ${quote(step.device)} ]; then`,
        ...memberLines(step.members).map((line) => `  ${line}`),
        `  mdadm --assemble --run ${quote(step.device)} "$@" </dev/null`,
        "  udevadm settle --timeout=60 2>/dev/null || :",
        "fi",
      ];
    case "mdadm-stop":
      return [`if [ -b ${quote(step.device)} ]; then mdadm --stop ${quote(step.device)} </dev/null; fi`];
    case "lvm-pv":
      return [
        ...resolveDevice(step.device),
        'signature=$(filesystem_type "$device")',
        'if [ -z "$signature" ]; then',
        `  ${LVM} pvcreate --yes "$device" </dev/null`,
        'elif [ "$signature" != LVM2_member ]; then',
        `  ${fail("%s holds a %s signature, not an LVM physical volume: run --mode destroy first. Nothing was written.", '"$device"', '"$signature"')}`,
        "fi",
      ];
    case "lvm-vg":
      return [
        `if ! ${LVM} vgs ${quote(step.vg)} >/dev/null 2>&1; then`,
        ...memberLines(step.pvs).map((line) => `  ${line}`),
        `  ${LVM} vgcreate --yes ${quote(step.vg)} "$@" </dev/null`,
        "fi",
      ];
    case "lvm-lv": {
      const create = command(
        "lvcreate",
        "--yes",
        "-n",
        step.lv,
        step.sizeFlag,
        step.size,
        ...(step.lvmType === undefined || step.lvmType === "thinlv" ? [] : [`--type=${step.lvmType}`]),
        ...(step.pool === undefined ? [] : [`--thinpool=${step.pool}`]),
        ...step.extraArgs,
        step.vg,
      );
      return [
        `if ! ${LVM} lvs ${quote(`${step.vg}/${step.lv}`)} >/dev/null 2>&1; then`,
        `  ${LVM} ${create} </dev/null`,
        "  udevadm settle --timeout=60 2>/dev/null || :",
        "fi",
      ];
    }
    case "lvm-activate":
      return step.up
        ? [`${LVM} vgchange -ay ${quote(step.vg)} </dev/null`, "udevadm settle --timeout=60 2>/dev/null || :"]
        : [
            `if ${LVM} vgs ${quote(step.vg)} >/dev/null 2>&1; then ${LVM} vgchange -an ${quote(step.vg)} </dev/null; fi`,
          ];
    case "luks-format":
      return [
        ...resolveDevice(step.device),
        // Every key before anything is written: a device formatted without its additional keys stays so.
        ...keysPresent([step.key.file, ...step.additionalKeyFiles], step.name),
        'if ! cryptsetup isLuks "$device" 2>/dev/null; then',
        '  signature=$(filesystem_type "$device")',
        `  [ -z "$signature" ] || ${fail("%s holds a %s signature, not LUKS: run --mode destroy first. Nothing was written.", '"$device"', '"$signature"')}`,
        `  ${keyed(step.key, ["cryptsetup", "--batch-mode", "luksFormat", ...step.extraArgs], '"$device"')}`,
        ...step.additionalKeyFiles.map(
          (file) =>
            `  ${keyed(step.key, ["cryptsetup", "--batch-mode", "luksAddKey"], `"$device" ${quote(file)}`)}`,
        ),
        "fi",
      ];
    case "luks-open":
      return [
        `if ! cryptsetup status ${quote(step.name)} >/dev/null 2>&1; then`,
        ...[
          ...resolveDevice(step.device),
          ...keysPresent([step.key.file], step.name),
          keyed(step.key, ["cryptsetup", "open", ...step.openArgs], `"$device" ${quote(step.name)}`),
          "udevadm settle --timeout=60 2>/dev/null || :",
        ].map((line) => `  ${line}`),
        "fi",
      ];
    case "luks-close":
      return [
        `if cryptsetup status ${quote(step.name)} >/dev/null 2>&1; then cryptsetup close ${quote(step.name)}; fi`,
      ];
    case "hook": {
      const { run } = step;
      // The commands are one quoted argument of a shell of their own: they cannot change this script's syntax,
      // and they see the declaration's options (and its device) as variables, as disko's hooks do.
      const variables = Object.entries(run.variables).map(([name, value]) => `${name}=${quote(value)}`);
      return [
        ...(run.device === undefined ? [] : resolveDevice(run.device)),
        `env ${[...(run.device === undefined ? [] : ['device="$device"']), ...variables].join(" ")} "$(command -v bash || echo sh)" -ec ${quote(run.script)} ${quote(run.hook)} ||`,
        `  ${fail(`the hook ${literal(run.path)} failed (exit %s)`, '"$?"')}`,
      ];
    }
    default:
      return assertNever(step);
  }
}

/** Checks that the key files of LUKS device `name` are on this machine (a key is never on the disks it opens). */
function keysPresent(files: readonly string[], name: string): string[] {
  return files.map(
    (file) =>
      `[ -f ${quote(file)} ] || ${fail(`the key file ${literal(file)} of LUKS device ${literal(name)} is not on this machine: bring it with --disk-encryption-keys ${literal(file)} LOCAL_FILE. Nothing was written.`)}`,
  );
}

/**
 * A cryptsetup command given `key`: a passphrase goes on its standard input without its trailing newlines (as
 * typed at a prompt), a key file by name with the bytes to read. `after` is the command's last words, shell text.
 */
function keyed(key: LuksKey, words: readonly string[], after: string): string {
  if (key.passphrase)
    return `printf '%s' "$(cat ${quote(key.file)})" | ${command(...words, "--key-file=-")} ${after}`;
  const sized = [
    `--key-file=${key.file}`,
    ...(key.size === undefined ? [] : [`--keyfile-size=${key.size}`]),
    ...(key.offset === undefined ? [] : [`--keyfile-offset=${key.offset}`]),
  ];
  return `${command(...words, ...sized)} ${after} </dev/null`;
}

/** LVM's commands, quiet about the descriptors the script holds open (its run lock). */
const LVM = "LVM_SUPPRESS_FD_WARNINGS=1";

/** Lines that set "$@" to the devices of an array's members, each found as a step finds its device. */
function memberLines(members: readonly DeviceRef[]): string[] {
  return ["set --", ...members.flatMap((member) => [...resolveDevice(member, 10), 'set -- "$@" "$device"'])];
}

export interface DiskScriptOptions {
  readonly mode: DiskMode;
  /** Where the layout came from, for the header comment. */
  readonly source: string;
  /** Wait for an earlier groundwork script on the machine to end first (deploy's runs; see RUN_LOCK). */
  readonly lock?: boolean;
}

/**
 * One word of a parted command: parted splits its arguments again at spaces and reads quotes, so a word with
 * either is quoted for parted (the layout's check refused a name with both kinds of quotes).
 */
function partedWord(word: string): string {
  if (!/[\s'"]/.test(word)) return word;
  return word.includes('"') ? `'${word}'` : `"${word}"`;
}

/** A POSIX sh script that runs the steps in order, one commented block per step. */
export function renderDiskScript(steps: readonly DiskStep[], options: DiskScriptOptions): string {
  const blocks = steps.map((step) =>
    [`# ${step.description.replaceAll("\n", " ")}`, `step ${quote(step.id)}`, ...renderStep(step)].join("\n"),
  );
  return [
    "#!/bin/sh",
    `# groundwork disk script, mode ${options.mode}, for ${options.source.replaceAll("\n", " ")}.`,
    "# Generated: change the configuration, not this file.",
    "set -eu",
    "",
    DISK_PRELUDE,
    ...(options.lock === true ? [RUN_LOCK] : []),
    ...blocks.map((block) => `${block}\n`),
    `echo ${quote(`groundwork: ${options.mode} done`)}`,
    "",
  ].join("\n");
}
