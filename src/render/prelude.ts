import { dirname } from "node:path";
import { quote } from "./quote.ts";

/**
 * Shell functions every disk script starts with. Fixed text: no value from a configuration reaches it.
 */
export const DISK_PRELUDE = `# fail FORMAT [ARG...]: stop with a message on stderr.
fail() {
  format=$1
  shift
  printf "groundwork: $format\\n" "$@" >&2
  exit 1
}

# step ID: mark the start of a step, so that a failure can be reported with what was done before it.
step() {
  printf '[groundwork] step %s\\n' "$1"
}

# partition_device DISK NUMBER [SECONDS]: the kernel's name of partition NUMBER of DISK
# (/dev/sda3, /dev/nvme0n1p3, /dev/loop0p3), waiting up to SECONDS (10) for it to appear.
partition_device() {
  disk_name=$(basename "$(readlink -f "$1")")
  waited=0
  while :; do
    for entry in /sys/class/block/"$disk_name"/"$disk_name"*; do
      if [ -f "$entry/partition" ] && [ "$(cat "$entry/partition")" = "$2" ] && [ -b "/dev/\${entry##*/}" ]; then
        echo "/dev/\${entry##*/}"
        return 0
      fi
    done
    [ "$waited" -lt "\${3:-10}" ] || return 1
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
`;

/** The step a script marks while it waits for an earlier groundwork run on the same machine to end. */
export const WAIT_STEP = {
  id: "wait-for-earlier-run",
  description: "wait for an earlier groundwork run on this machine, cut off from its client, to end",
} as const;

/** The lock file on a target that lets one groundwork disk or install script run at a time. */
export const RUN_LOCK_FILE = "/run/groundwork-run.lock";

/**
 * One disk or install script at a time on a machine: a run whose connection was lost goes on until it ends by
 * itself, and a second run started meanwhile waits for it (up to 10 minutes), so that the two never write the
 * same disks at once. The lock is held until the script and every process it started have ended. Needs the
 * \`step\` and \`fail\` functions; a machine without flock or /run runs without the lock.
 */
export function renderRunLock(file: string = RUN_LOCK_FILE): string {
  const dir = quote(dirname(file));
  return `# one groundwork run at a time on this machine
if command -v flock >/dev/null 2>&1 && [ -d ${dir} ] && [ -w ${dir} ]; then
  exec 9>${quote(file)}
  if ! flock -n 9; then
    step ${WAIT_STEP.id}
    flock -w 600 9 || fail 'an earlier groundwork run on this machine is still busy after 10 minutes: wait for it (see ps), then run again'
  fi
fi
`;
}

export const RUN_LOCK = renderRunLock();
