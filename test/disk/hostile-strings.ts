/** Hostile strings: control characters, and values that are not what their option is. */
import { ext4, gpt, type HostileCase, P, root, rootHolding, table } from "./hostile-layouts.ts";

const NOT_ONE_OPTION =
  /is not a mount option: give each option as its own list item \(or several joined by single commas\), without spaces or control characters/;

export const STRING_CASES: readonly HostileCase[] = [
  // Control characters and what each string is.
  {
    name: "a NUL byte in extraArgs",
    config: rootHolding({ ...ext4("/"), extraArgs: ["-L", "ro\u0000ot"] }),
    path: `${P}.root.content.extraArgs[1]`,
    message: /an argument must not contain control characters/,
  },
  {
    name: "a device among the words of one extraArgs item",
    config: rootHolding({ type: "btrfs", extraArgs: ["-d raid1 /dev/sdb"] }),
    path: `${P}.root.content.extraArgs[0]`,
    message: /"-d raid1 \/dev\/sdb": "\/dev\/sdb" is a device: the command would format it too/,
  },
  {
    name: "another device in extraArgs",
    config: rootHolding({ type: "btrfs", extraArgs: ["/dev/sdb"] }),
    path: `${P}.root.content.extraArgs[0]`,
    message: /"\/dev\/sdb": "\/dev\/sdb" is a device: the command would format it too/,
  },
  {
    name: "-- in extraArgs",
    config: gpt({ swap: { size: "1G", content: { type: "swap", extraArgs: ["--", "-L"] } }, root }),
    path: `${P}.swap.content.extraArgs[0]`,
    message: /"--" ends the options: the items after it would be read as devices; remove it/,
  },
  {
    name: "an empty extraArgs item",
    config: rootHolding({ ...ext4("/"), extraArgs: [""] }),
    path: `${P}.root.content.extraArgs[0]`,
    message: /an empty argument is no option; remove it/,
  },
  {
    name: "a NUL byte in mountOptions",
    config: rootHolding({ ...ext4("/"), mountOptions: ["noatime\u0000"] }),
    path: `${P}.root.content.mountOptions[0]`,
    message: NOT_ONE_OPTION,
  },
  {
    name: "an empty option between commas in mountOptions",
    config: rootHolding({ ...ext4("/"), mountOptions: ["noatime,,ro"] }),
    path: `${P}.root.content.mountOptions[0]`,
    message: NOT_ONE_OPTION,
  },
  {
    name: "a space in a nodev's mountOptions",
    config: { disko: { devices: { nodev: { "/tmp": { mountOptions: ["size=1G mode=1777"] } } } } },
    path: 'disko.devices.nodev."/tmp".mountOptions[0]',
    message: NOT_ONE_OPTION,
  },
  {
    name: "a newline in a swap partition's mountOptions",
    config: gpt({ swap: { size: "1G", content: { type: "swap", mountOptions: ["sw\n"] } }, root }),
    path: `${P}.swap.content.mountOptions[0]`,
    message: /is not a swap option/,
  },
  {
    name: "a NUL byte in a label",
    config: gpt({ root: { ...root, label: "ro\u0000ot" } }),
    path: `${P}.root.label`,
    message: /a label must not contain control characters/,
  },
  {
    name: "an empty label",
    config: gpt({ root: { ...root, label: "" } }),
    path: `${P}.root.label`,
    message: /a label must not be empty/,
  },
  {
    name: "a NUL byte in a partition name",
    config: gpt({ "ro\u0000ot": root }),
    path: `${P}."ro\\u0000ot"`,
    message: /is not a partition name: give a name such as "root", without control characters/,
  },
  {
    name: "a newline in a disk name",
    config: { disko: { devices: { disk: { "ma\nin": { device: "/dev/sda" } } } } },
    path: 'disko.devices.disk."ma\\nin"',
    message: /is not a disk name/,
  },
  {
    name: "a NUL byte in a parted name",
    config: table([{ name: "ro\u0000ot", start: "1MiB", end: "100%" }]),
    path: "disko.devices.disk.main.content.partitions[0].name",
    message:
      /is not a parted partition name: give at most 36 characters, not only spaces, without backslashes, control characters or both kinds of quotes/,
  },
  {
    name: "both kinds of quotes in a parted name",
    config: table([{ name: `it's "EFI"`, start: "1MiB", end: "100%" }]),
    path: "disko.devices.disk.main.content.partitions[0].name",
    message: /"it's \\"EFI\\"" is not a parted partition name/,
  },
  {
    name: "a parted flag parted does not know",
    config: table([{ start: "1MiB", end: "100%", flags: ["pwn"] }]),
    path: "disko.devices.disk.main.content.partitions[0].flags[0]",
    message: /"pwn" is not allowed: expected one of "boot", "root"/,
  },
  {
    name: "a NUL byte in a subvolume name",
    config: rootHolding({ type: "btrfs", subvolumes: { "/ro\u0000ot": {} } }),
    path: `${P}.root.content.subvolumes."/ro\\u0000ot"`,
    message: /is not a subvolume path: write it like "\/rootfs"/,
  },
  {
    name: "a comma in a subvolume name",
    config: rootHolding({ type: "btrfs", subvolumes: { "/a,b": { mountpoint: "/" } } }),
    path: `${P}.root.content.subvolumes."/a,b"`,
    message: /without "\." or "\.\." segments or control characters, spaces or commas/,
  },
  {
    name: "a NUL byte in a swap file path",
    config: rootHolding({
      type: "btrfs",
      mountpoint: "/",
      swap: { swapfile: { size: "1G", path: "sw\u0000ap" } },
    }),
    path: `${P}.root.content.swap.swapfile.path`,
    message: /is not a file path below the mountpoint/,
  },
  {
    name: "a control character in a swap file's options",
    config: rootHolding({
      type: "btrfs",
      mountpoint: "/",
      swap: { swapfile: { size: "1G", options: ["x\u0007"] } },
    }),
    path: `${P}.root.content.swap.swapfile.options[0]`,
    message: /is not a swap option/,
  },
  {
    name: "a swap priority swapon refuses",
    config: gpt({ swap: { size: "1G", content: { type: "swap", priority: 99999 } }, root }),
    path: `${P}.swap.content.priority`,
    message: /99999 is too large: at most 32767/,
  },
  {
    name: "a GPT type with a NUL byte",
    config: gpt({ root: { ...root, type: "8300\u0000" } }),
    path: `${P}.root.type`,
    message: /is not a GPT type code that sgdisk knows/,
  },
  {
    name: "a partition GUID that is no GUID",
    config: gpt({ root: { ...root, uuid: "1:2" } }),
    path: `${P}.root.uuid`,
    message: /"1:2" is not a GUID/,
  },
  {
    name: "a nodev source that is an option",
    config: { disko: { devices: { nodev: { "/tmp": { device: "--bind" } } } } },
    path: 'disko.devices.nodev."/tmp".device',
    message: /"--bind" is not a mount source: give a word such as "none"/,
  },
  {
    name: "a nodev filesystem type with a space",
    config: { disko: { devices: { nodev: { "/tmp": { fsType: "tmpfs -o x" } } } } },
    path: 'disko.devices.nodev."/tmp".fsType',
    message: /is not a filesystem type: give one as mount -t takes it/,
  },
  {
    name: "an empty list of mount options",
    config: rootHolding({ ...ext4("/"), mountOptions: [] }),
    path: `${P}.root.content.mountOptions`,
    message: /an empty list leaves fstab without options: give at least one, e\.g\. \["defaults"\]/,
  },
];
