import { INSTALLER_MARKER } from "../plan/target-paths.ts";
import { quote } from "./quote.ts";

/**
 * The facts script: one round trip that tells what the target is. Fixed text, no configuration value in it.
 * Each section starts with a `==> name` line; sections that hold JSON come straight from the tools.
 */
export const FACTS_SCRIPT = `#!/bin/sh
section() { printf '\\n==> %s\\n' "$1"; }
section uname
uname -m
uname -r
section id
id -u
id -un
section hostname
cat /proc/sys/kernel/hostname
section os-release
cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null || :
section meminfo
cat /proc/meminfo
section firmware
if [ -d /sys/firmware/efi ]; then echo uefi; else echo bios; fi
section installer
cat ${INSTALLER_MARKER} 2>/dev/null || :
section kexec
cat /proc/sys/kernel/kexec_load_disabled 2>/dev/null || echo missing
[ -e /sys/kernel/kexec_loaded ] && echo supported || echo unsupported
section lockdown
cat /sys/kernel/security/lockdown 2>/dev/null || :
section hypervisor
printf '%s %s\\n' "$(cat /sys/hypervisor/type 2>/dev/null)" "$(cat /sys/hypervisor/guest_type 2>/dev/null)"
section sshd-ports
sshd -T 2>/dev/null | sed -n 's/^port //p'
section lsblk
lsblk --json --bytes --output NAME,PATH,SIZE,TYPE,RO,FSTYPE,MOUNTPOINT,PKNAME,TRAN 2>/dev/null || echo '{}'
section mounts
cat /proc/self/mounts
section swaps
cat /proc/swaps
section tools
for tool in sgdisk parted wipefs blkid lsblk findmnt mkfs.ext4 mkfs.vfat mkfs.xfs mkfs.btrfs btrfs chattr fallocate mkswap partprobe partx udevadm blockdev tar zstd chroot grub-install kexec sudo ip; do
  if command -v "$tool" >/dev/null 2>&1; then echo "$tool"; fi
done
section addresses
ip -json address show 2>/dev/null || echo '[]'
section routes
ip -json route show 2>/dev/null || echo '[]'
ip -json -6 route show 2>/dev/null || echo '[]'
section resolv
# Behind systemd-resolved's stub (127.0.0.53), the servers it asks.
cat /run/systemd/resolve/resolv.conf 2>/dev/null || cat /etc/resolv.conf 2>/dev/null || :
section devices
for device in "$@"; do
  printf '%s\\t%s\\n' "$device" "$(readlink -e "$device" 2>/dev/null || :)"
done
section end
`;

/** The facts script, asked also where each of `devices` (declared disks, maybe by-id links) points. */
export function renderFactsScript(devices: readonly string[]): string {
  return FACTS_SCRIPT.replace("#!/bin/sh\n", `#!/bin/sh\nset -- ${devices.map(quote).join(" ")}\n`);
}
