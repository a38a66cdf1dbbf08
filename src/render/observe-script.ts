/** Reads back an installed system for `groundwork test`: block devices with partition details, mounts, swap, host name. */
export const OBSERVE_SCRIPT = `#!/bin/sh
set -eu
printf '==> lsblk\\n'
lsblk --json --bytes --output NAME,PATH,SIZE,TYPE,RO,FSTYPE,MOUNTPOINT,PKNAME,TRAN,PARTLABEL,PARTTYPE
printf '==> findmnt\\n'
findmnt --json --list --real --nofsroot --output TARGET,SOURCE,FSTYPE,FSROOT
printf '==> swaps\\n'
cat /proc/swaps
printf '==> firmware\\n'
if [ -d /sys/firmware/efi ]; then echo uefi; else echo bios; fi
printf '==> hostname\\n'
cat /proc/sys/kernel/hostname
printf '==> end\\n'
`;
