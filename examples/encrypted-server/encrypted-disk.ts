// One disk: GRUB's BIOS boot partition, the ESP holding /boot (GRUB reads the kernel from it), and the rest
// encrypted with LUKS. Inside, LVM: / and /home as logical volumes.
import { defineConfig } from "groundwork";

export default defineConfig({
  disko: {
    devices: {
      disk: {
        main: {
          device: "/dev/sda",
          content: {
            type: "gpt",
            partitions: {
              boot: { size: "1M", type: "EF02" },
              ESP: {
                size: "300M",
                type: "EF00",
                content: { type: "filesystem", format: "vfat", mountpoint: "/boot" },
              },
              luks: {
                size: "100%",
                content: {
                  type: "luks",
                  name: "crypted",
                  // The passphrase, in a file on the installer: deploy brings it with
                  // --disk-encryption-keys /tmp/secret.key ./secret.key. At boot it is asked on the console.
                  passwordFile: "/tmp/secret.key",
                  settings: { allowDiscards: true },
                  content: { type: "lvm_pv", vg: "pool" },
                },
              },
            },
          },
        },
      },
      lvm_vg: {
        pool: {
          type: "lvm_vg",
          lvs: {
            root: { size: "2G", content: { type: "filesystem", format: "ext4", mountpoint: "/" } },
            home: {
              size: "100%FREE",
              content: { type: "filesystem", format: "ext4", mountpoint: "/home" },
            },
          },
        },
      },
    },
  },
});
