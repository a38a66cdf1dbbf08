#!/bin/sh
# groundwork disk script, mode disko, for examples/seed.
# Generated: change the configuration, not this file.
set -eu

# fail FORMAT [ARG...]: stop with a message on stderr.
fail() {
  format=$1
  shift
  printf "groundwork: $format\n" "$@" >&2
  exit 1
}

# step ID: mark the start of a step, so that a failure can be reported with what was done before it.
step() {
  printf '[groundwork] step %s\n' "$1"
}

# partition_device DISK NUMBER [SECONDS]: the kernel's name of partition NUMBER of DISK
# (/dev/sda3, /dev/nvme0n1p3, /dev/loop0p3), waiting up to SECONDS (10) for it to appear.
partition_device() {
  disk_name=$(basename "$(readlink -f "$1")")
  waited=0
  while :; do
    for entry in /sys/class/block/"$disk_name"/"$disk_name"*; do
      if [ -f "$entry/partition" ] && [ "$(cat "$entry/partition")" = "$2" ] && [ -b "/dev/${entry##*/}" ]; then
        echo "/dev/${entry##*/}"
        return 0
      fi
    done
    [ "$waited" -lt "${3:-10}" ] || return 1
    waited=$((waited + 1))
    sleep 1
  done
}

# reread_partitions DISK: make the kernel's view of DISK's partitions match its table.
reread_partitions() {
  partprobe "$1" 2>/dev/null || partx -u "$1" 2>/dev/null || blockdev --rereadpt "$1"
  if command -v udevadm >/dev/null 2>&1; then udevadm settle --timeout=120 2>/dev/null || :; fi
}

# gpt_has_partition DISK NUMBER: whether the GPT on DISK has an entry NUMBER.
gpt_has_partition() {
  sgdisk --info="$2" "$1" 2>/dev/null | grep -q '^Partition unique GUID'
}

# filesystem_type DEVICE: the signature on DEVICE (ext4, vfat, swap, …), or nothing.
filesystem_type() {
  blkid -p -s TYPE -o value "$1" 2>/dev/null || :
}

# check that /dev/sda is a disk large enough for the layout of disk main
step check:disk.main
[ -b /dev/sda ] || fail '/dev/sda is not a block device: check disko.devices.disk.*.device, or pass --disk NAME=DEVICE'
[ "$(blockdev --getsize64 /dev/sda)" -ge 529530880 ] ||
  fail '/dev/sda is smaller than the 505 MiB its layout needs: nothing was written'

# check that nothing on /dev/sda is in use outside /mnt
step check-unused:disk.main
for part in $(lsblk -nrpo NAME /dev/sda); do
  while read -r source target rest; do
    [ "$source" = "$part" ] || continue
    case "$target" in /mnt | /mnt/*) ;;
    *) fail '%s on /dev/sda is in use: mounted at %s. Nothing was written.' "$part" "$target" ;;
    esac
  done < /proc/self/mounts
  for holder in /sys/class/block/"$(basename "$part")"/holders/*; do
    [ -e "$holder" ] || continue
    case "${holder##*/}" in md*) continue ;; esac
    case "$(cat "$holder/dm/uuid" 2>/dev/null)" in LVM-* | CRYPT-*) continue ;; esac
    fail '%s on /dev/sda is in use by %s (a device-mapper device that is no logical volume or LUKS device): remove it (dmsetup remove). Nothing was written.' "$part" "${holder##*/}"
  done
done

# unmount and wipe /dev/sda: every partition, filesystem signature and partition table on it
step destroy:disk.main
disk=/dev/sda
if mountpoint -q /mnt; then umount -R /mnt; fi
# What is stacked on the disk (open LUKS devices, logical volumes, arrays) is taken down, the topmost
# first: a device goes once nothing holds it. Its members cannot be wiped while it runs.
for pass in 1 2 3 4 5 6 7 8; do
  left=
  for dev in $(lsblk -nrpo NAME,TYPE "$disk" | awk '$2 == "crypt" || $2 == "lvm" || $2 == "dm" || $2 == "md" || $2 ~ /^raid/ { print $1 }'); do
    [ -b "$dev" ] || continue
    name=$(basename "$(readlink -f "$dev")")
    if [ -n "$(ls "/sys/class/block/$name/holders" 2>/dev/null)" ]; then left=1; continue; fi
    swapoff "$dev" 2>/dev/null || :
    case "$name" in
      md*) mdadm --stop "$dev" </dev/null ;;
      dm-*) dmsetup remove "$dev" </dev/null ;;
    esac || left=1
  done
  [ -n "$left" ] || break
done
for part in $(lsblk -nrpo NAME,TYPE "$disk" | awk '$2 == "part" { print $1 }'); do
  swapoff "$part" 2>/dev/null || :
  wipefs --all --force "$part"
done
wipefs --all --force "$disk"
# GRUB's boot code in the first 440 bytes is no signature: zero it too.
dd if=/dev/zero of="$disk" bs=440 count=1 conv=notrunc status=none
reread_partitions "$disk"

# create an empty GPT on /dev/sda, unless it has a partition table
step table:disko.devices.disk.main.content
table=$(blkid -p -s PTTYPE -o value /dev/sda 2>/dev/null || :)
signature=$(filesystem_type /dev/sda)
if [ -n "$signature" ]; then
  fail '/dev/sda holds a %s filesystem, not a partition table: run --mode destroy first. Nothing was written.' "$signature"
elif [ -z "$table" ]; then
  sgdisk --clear /dev/sda
elif [ "$table" != gpt ]; then
  fail '/dev/sda has a %s partition table, the layout wants gpt: run --mode destroy first. Nothing was written.' "$table"
fi

# create partition 1 "disk-main-MBR" (1M, type EF02), unless it exists
step partition:disko.devices.disk.main.content.partitions.MBR
gpt_has_partition /dev/sda 1 || set -- "$@" --new=1:0:+1M --change-name=1:disk-main-MBR --typecode=1:EF02

# create partition 2 "disk-main-ESP" (500M, type EF00), unless it exists
step partition:disko.devices.disk.main.content.partitions.ESP
gpt_has_partition /dev/sda 2 || set -- "$@" --new=2:0:+500M --change-name=2:disk-main-ESP --typecode=2:EF00

# create partition 3 "disk-main-root" (100%, type 8300), unless it exists
step partition:disko.devices.disk.main.content.partitions.root
gpt_has_partition /dev/sda 3 || set -- "$@" --new=3:0:-0 --change-name=3:disk-main-root --typecode=3:8300

# write the missing partitions to /dev/sda and let the kernel see them
step reread:disko.devices.disk.main.content
if [ $# -gt 0 ]; then sgdisk --align-end "$@" /dev/sda; set --; fi
reread_partitions /dev/sda

# create a vfat filesystem for /boot, unless one is there
step format:disko.devices.disk.main.content.partitions.ESP.content
device=$(partition_device /dev/sda 2) ||
  fail 'partition 2 (disk-main-ESP) of /dev/sda is missing: create it with --mode format'
signature=$(filesystem_type "$device")
if [ -z "$signature" ]; then
  mkfs.vfat "$device"
elif [ "$signature" != vfat ]; then
  fail '%s holds a %s filesystem, the layout says vfat: it was left as it is. Run --mode destroy first to start over.' "$device" "$signature"
fi

# create an ext4 filesystem for /, unless one is there
step format:disko.devices.disk.main.content.partitions.root.content
device=$(partition_device /dev/sda 3) ||
  fail 'partition 3 (disk-main-root) of /dev/sda is missing: create it with --mode format'
signature=$(filesystem_type "$device")
if [ -z "$signature" ]; then
  mkfs.ext4 "$device"
elif [ "$signature" != ext4 ]; then
  fail '%s holds a %s filesystem, the layout says ext4: it was left as it is. Run --mode destroy first to start over.' "$device" "$signature"
fi

# mount ext4 at /mnt, unless it is mounted
step mount:/
device=$(partition_device /dev/sda 3) ||
  fail 'partition 3 (disk-main-root) of /dev/sda is missing: create it with --mode format'
if ! mountpoint -q /mnt; then
  mkdir -p /mnt
  mount -t ext4 -o defaults "$device" /mnt || fail 'could not mount %s at /mnt' "$device"
elif ! findmnt -rn --source "$device" --mountpoint /mnt >/dev/null; then
  fail '/mnt is already the mountpoint of another device'
fi

# mount vfat at /mnt/boot, unless it is mounted
step mount:/boot
device=$(partition_device /dev/sda 2) ||
  fail 'partition 2 (disk-main-ESP) of /dev/sda is missing: create it with --mode format'
if ! mountpoint -q /mnt/boot; then
  mkdir -p /mnt/boot
  mount -t vfat -o defaults "$device" /mnt/boot || fail 'could not mount %s at /mnt/boot' "$device"
elif ! findmnt -rn --source "$device" --mountpoint /mnt/boot >/dev/null; then
  fail '/mnt/boot is already the mountpoint of another device'
fi

echo 'groundwork: disko done'
