/** Hostile device paths, mountpoints, sizes and overlapping partitions. */
import { disk, ext4, gpt, grub, type HostileCase, P, root, rootHolding, table } from "./hostile-layouts.ts";

const DEVICE = "disko.devices.disk.main.device";
const NOT_A_DEVICE = (why: string) =>
  new RegExp(
    `is not a device path \\(${why}\\): give a normalized absolute path under /dev, e\\.g\\. "/dev/sda"`,
  );
const DOTS = 'it has a "\\." or "\\.\\." segment';
const TOO_LARGE = /is larger than any disk: give less than 8P \(8 PiB\)/;

export const PLACE_CASES: readonly HostileCase[] = [
  // Device paths: one schema for disks and GRUB.
  { name: "a disk device /dev/..", config: disk("/dev/.."), path: DEVICE, message: NOT_A_DEVICE(DOTS) },
  {
    name: "a disk device /dev/../etc/passwd",
    config: disk("/dev/../etc/passwd"),
    path: DEVICE,
    message: NOT_A_DEVICE(DOTS),
  },
  {
    name: "a disk device /dev/sda/../x",
    config: disk("/dev/sda/../x"),
    path: DEVICE,
    message: NOT_A_DEVICE(DOTS),
  },
  {
    name: "a disk device /dev//sda",
    config: disk("/dev//sda"),
    path: DEVICE,
    message: NOT_A_DEVICE('it has an empty segment \\("//"\\)'),
  },
  {
    name: "a relative disk device",
    config: disk("sda"),
    path: DEVICE,
    message: NOT_A_DEVICE("it is relative"),
  },
  {
    name: "a disk device outside /dev",
    config: disk("/etc/passwd"),
    path: DEVICE,
    message: NOT_A_DEVICE("it is not under /dev"),
  },
  {
    name: "a disk device /dev/",
    config: disk("/dev/"),
    path: DEVICE,
    message: NOT_A_DEVICE("it names no device"),
  },
  {
    name: "a disk device with a newline",
    config: disk("/dev/sda\n"),
    path: DEVICE,
    message: NOT_A_DEVICE("it holds a control character"),
  },
  {
    name: "a disk device with a NUL byte",
    config: disk("/dev/sd\u0000a"),
    path: DEVICE,
    message: NOT_A_DEVICE("it holds a control character"),
  },
  {
    name: "a disk device with a space",
    config: disk("/dev/sd a"),
    path: DEVICE,
    message: NOT_A_DEVICE("it holds whitespace"),
  },
  {
    name: "a disk device that is an option",
    config: disk("--boot-directory=/tmp/x"),
    path: DEVICE,
    message: NOT_A_DEVICE('it starts with "-", so a command would read it as an option'),
  },
  {
    name: "a GRUB device that is an option",
    config: grub("--boot-directory=/tmp/x"),
    path: "boot.loader.grub.devices[0]",
    message: NOT_A_DEVICE('it starts with "-", so a command would read it as an option'),
  },
  {
    name: "a GRUB device /dev/../sda",
    config: grub("/dev/../sda"),
    path: "boot.loader.grub.devices[0]",
    message: NOT_A_DEVICE(DOTS),
  },
  {
    name: "a GRUB device with a NUL byte",
    config: grub("/dev/sda\u0000"),
    path: "boot.loader.grub.devices[0]",
    message: NOT_A_DEVICE("it holds a control character"),
  },
  {
    name: "a relative GRUB device",
    config: grub("sda"),
    path: "boot.loader.grub.devices[0]",
    message: NOT_A_DEVICE("it is relative"),
  },
  // Mountpoints.
  {
    name: "a mountpoint ..",
    config: rootHolding(ext4("..")),
    path: `${P}.root.content.mountpoint`,
    message: /"\.\." is relative: a mountpoint must be an absolute path such as "\/boot"/,
  },
  {
    name: "a mountpoint with ..",
    config: rootHolding(ext4("/srv/../etc")),
    path: `${P}.root.content.mountpoint`,
    message: /contains "\." or "\.\.": write the path without them/,
  },
  {
    name: "a mountpoint with //",
    config: rootHolding(ext4("//srv")),
    path: `${P}.root.content.mountpoint`,
    message: /has an empty segment \("\/\/"\): write it with single slashes, e\.g\. "\/srv"/,
  },
  {
    name: "a mountpoint with a NUL byte",
    config: rootHolding(ext4("/srv\u0000")),
    path: `${P}.root.content.mountpoint`,
    message: /a mountpoint must not contain control characters/,
  },
  {
    name: "a btrfs subvolume mountpoint with ..",
    config: rootHolding({ type: "btrfs", subvolumes: { "/rootfs": { mountpoint: "/../x" } } }),
    path: `${P}.root.content.subvolumes."/rootfs".mountpoint`,
    message: /contains "\." or "\.\."/,
  },
  {
    name: "a nodev mountpoint from a name with ..",
    config: { disko: { devices: { nodev: { "/tmp/..": { fsType: "tmpfs" } } } } },
    path: 'disko.devices.nodev."/tmp/..".mountpoint',
    message: /contains "\." or "\.\."/,
  },
  // Sizes.
  {
    name: "a 0M partition",
    config: gpt({ a: { size: "0M" }, root }),
    path: `${P}.a.size`,
    message: /"0M" is not a size: give more than 0 \(examples: "500M"/,
  },
  {
    name: "a partition of size 0",
    config: gpt({ a: { size: "0" }, root }),
    path: `${P}.a.size`,
    message: /"0" is not a size: give more than 0/,
  },
  {
    name: "a partition of size -1M",
    config: gpt({ a: { size: "-1M" }, root }),
    path: `${P}.a.size`,
    message: /"-1M" is not a size \(examples: "500M", "4G", "512MiB", "100%"\)/,
  },
  {
    name: "a size in exponent form",
    config: gpt({ a: { size: "1e9" }, root }),
    path: `${P}.a.size`,
    message: /"1e9" is not a size/,
  },
  {
    name: "a size as a number",
    config: gpt({ a: { size: 500 }, root }),
    path: `${P}.a.size`,
    message: /expected string, got 500/,
  },
  {
    name: "a size beyond any disk",
    config: gpt({ a: { size: "99999999999999999999P" }, root }),
    path: `${P}.a.size`,
    message: TOO_LARGE,
  },
  {
    name: "an sgdisk end beyond any disk",
    config: gpt({ a: { end: "+99999999999999999999P" }, root }),
    path: `${P}.a.end`,
    message: TOO_LARGE,
  },
  {
    name: "an sgdisk end of +0",
    config: gpt({ a: { end: "+0" }, root }),
    path: `${P}.a.end`,
    message: /"\+0" makes an empty partition: give a size, e\.g\. "\+500M"/,
  },
  {
    name: "an sgdisk start that is no position",
    config: gpt({ a: { start: "1.5G", size: "1G" }, root }),
    path: `${P}.a.start`,
    message: /"1\.5G" is not an sgdisk position/,
  },
  {
    name: "an imageSize beyond any disk",
    config: gpt({ root }, { imageSize: "99999999999999999999P" }),
    path: "disko.devices.disk.main.imageSize",
    message: TOO_LARGE,
  },
  {
    name: "an imageSize of 0",
    config: gpt({ root }, { imageSize: "0" }),
    path: "disko.devices.disk.main.imageSize",
    message: /"0" is not a disk size: give more than 0/,
  },
  {
    name: "an imageSize of 100%",
    config: gpt({ root }, { imageSize: "100%" }),
    path: "disko.devices.disk.main.imageSize",
    message: /"100%" is not a disk size \(examples: "500M", "4G", "512MiB"\)/,
  },
  {
    name: "a layout larger than its imageSize",
    config: gpt({ a: { size: "3G" }, root }, { imageSize: "2G" }),
    path: "disko.devices.disk.main.imageSize",
    message:
      /the partitions need at least \d+ MiB, more than imageSize 2G: make the disk larger or the partitions smaller/,
  },
  {
    name: "partitions that together exceed any disk",
    config: gpt({ a: { size: "7P" }, b: { size: "7P" }, root }),
    path: "disko.devices.disk.main.content",
    message: /the partitions need at least 14 PiB, more than any disk holds \(8 PiB\): make them smaller/,
  },
  {
    name: "a swap file of 0M",
    config: rootHolding({ type: "btrfs", mountpoint: "/", swap: { swapfile: { size: "0M" } } }),
    path: `${P}.root.content.swap.swapfile.size`,
    message: /"0M" is not a swap file size: give at least 1M/,
  },
  {
    name: "a parted position beyond any disk",
    config: table([{ start: "1MiB", end: "99999999999999TiB" }]),
    path: "disko.devices.disk.main.content.partitions[0].end",
    message: TOO_LARGE,
  },
  {
    name: "a parted position beyond the whole disk",
    config: table([{ start: "1MiB", end: "200%" }]),
    path: "disko.devices.disk.main.content.partitions[0].end",
    message: /"200%" is more than the whole disk: give at most "100%"/,
  },
  // Overlaps.
  {
    name: "explicit partitions that overlap",
    config: gpt({
      a: { priority: 1, start: "1M", end: "2G" },
      b: { priority: 2, start: "1G", end: "3G" },
      root,
    }),
    path: `${P}.b.start`,
    message:
      /b \(1 GiB\.\.3 GiB\) overlaps a \(1 MiB\.\.2 GiB\): start it at 2 GiB or later, or make a smaller/,
  },
  {
    name: "an explicit partition over an automatic one",
    config: gpt({
      ESP: { priority: 1, size: "500M", type: "EF00" },
      data: { priority: 2, start: "100M", end: "+1G" },
      root,
    }),
    path: `${P}.data.start`,
    message: /data \(100 MiB\.\.1124 MiB\) overlaps ESP \(1 MiB\.\.501 MiB\): start it at 501 MiB or later/,
  },
  {
    name: "an explicit partition inside the one taking the rest",
    config: gpt({ root: { ...root, priority: 1 }, data: { priority: 2, start: "10G", end: "+1G" } }),
    path: `${P}.data.start`,
    message: /data \(10 GiB\.\.11 GiB\) overlaps root \(1 MiB\.\.the end of the disk\): make root smaller/,
  },
  {
    name: "a partition that ends before it starts",
    config: gpt({ a: { start: "2G", end: "1G" }, root }),
    path: `${P}.a.end`,
    message: /a ends at 1 GiB, not after its start 2 GiB: give it an end past its start/,
  },
  {
    name: "parted partitions that overlap",
    config: table([
      { start: "1MiB", end: "500MiB" },
      { start: "400MiB", end: "900MiB" },
    ]),
    path: "disko.devices.disk.main.content.partitions[1].start",
    message: /partition 2 \(400 MiB\.\.900 MiB\) overlaps partition 1 \(1 MiB\.\.500 MiB\)/,
  },
  {
    name: "parted partitions that overlap in percent",
    config: table([
      { start: "0%", end: "60%" },
      { start: "50%", end: "100%" },
    ]),
    path: "disko.devices.disk.main.content.partitions[1].start",
    message: /partition 2 \(50%\.\.100%\) overlaps partition 1 \(0%\.\.60%\): start it at 60% or later/,
  },
  {
    name: "a mountpoint longer than Linux allows",
    config: rootHolding(ext4(`/${"a".repeat(256)}`)),
    path: `${P}.root.content.mountpoint`,
    message: /is not a mountpoint: a name in it is longer than the 255 bytes Linux allows/,
  },
  {
    name: "a disk device longer than Linux allows",
    config: disk(`/dev/${"a/".repeat(2100)}sda`),
    path: DEVICE,
    message: NOT_A_DEVICE("it is longer than the 4095 bytes a Linux path can have"),
  },
  {
    name: "more partitions than a GPT holds",
    config: gpt(Object.fromEntries(Array.from({ length: 129 }, (_, index) => [`p${index}`, { size: "1M" }]))),
    path: P,
    message: /129 partitions: a GPT holds at most 128; declare fewer/,
  },
  {
    name: "more partitions than a parted GPT holds",
    config: table(
      Array.from({ length: 129 }, (_, index) => ({ start: `${index + 1}MiB`, end: `${index + 2}MiB` })),
    ),
    path: "disko.devices.disk.main.content.partitions",
    message: /129 partitions: a GPT holds at most 128/,
  },
  {
    name: "partitions in sectors that overlap",
    config: gpt({
      a: { priority: 1, start: "2048s", end: "+1M" },
      b: { priority: 2, start: "3000s", end: "+1M" },
      root,
    }),
    path: `${P}.b.start`,
    message: /b \(1500 KiB\.\.2524 KiB\) overlaps a \(1 MiB\.\.2 MiB\): start it at 2 MiB or later/,
  },
];
