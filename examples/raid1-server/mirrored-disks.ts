// Two disks mirrored by mdadm: each holds a BIOS boot partition and a member of the RAID1 array `root`, which
// holds the root filesystem.
import { defineModule } from "groundwork";

/** Each disk: GRUB's BIOS boot partition, then the rest as a member of the array `root`. */
function member(device: string) {
  return {
    type: "disk",
    device,
    content: {
      type: "gpt",
      partitions: {
        boot: { size: "1M", type: "EF02" },
        raid: { size: "100%", content: { type: "mdraid", name: "root" } },
      },
    },
  } as const;
}

export default defineModule({
  disko: {
    devices: {
      disk: { one: member("/dev/sda"), two: member("/dev/sdb") },
      mdadm: {
        root: {
          level: 1,
          content: { type: "filesystem", format: "ext4", mountpoint: "/" },
        },
      },
    },
  },
});
