#!/bin/sh
# groundwork disk script, mode mount, for examples/seed.
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

echo 'groundwork: mount done'
