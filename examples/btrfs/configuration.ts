// The seed's machine with its root on btrfs subvolumes, as disko's btrfs-subvolumes example lays them out:
// `/` and `/home` are subvolumes, snapshots and a swap file get one each, and the top level is mounted aside.
import { defineConfig } from "groundwork";

const diskDevice = "/dev/sda";

export default defineConfig(({ modulesPath }) => ({
  imports: [`${modulesPath}/profiles/qemu-guest.ts`],

  disko: {
    devices: {
      disk: {
        main: {
          type: "disk",
          device: diskDevice,
          content: {
            type: "gpt",
            partitions: {
              MBR: { priority: 0, size: "1M", type: "EF02" },
              ESP: {
                priority: 1,
                size: "500M",
                type: "EF00",
                content: { type: "filesystem", format: "vfat", mountpoint: "/boot" },
              },
              root: {
                priority: 2,
                size: "100%",
                content: {
                  type: "btrfs",
                  extraArgs: ["-f"],
                  mountpoint: "/partition-root",
                  subvolumes: {
                    // compress is a filesystem-wide option: the first mount's options hold for all.
                    "/rootfs": { mountpoint: "/", mountOptions: ["compress=zstd", "noatime"] },
                    "/home": { mountpoint: "/home", mountOptions: ["compress=zstd", "noatime"] },
                    "/snapshots": {},
                    // Swap files get a subvolume of their own: a snapshot of a subvolume with one fails.
                    "/swap": { mountpoint: "/.swapvol", swap: { swapfile: { size: "256M" } } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },

  boot: { loader: { grub: { devices: [diskDevice], efiSupport: true, efiInstallAsRemovable: true } } },

  services: { openssh: { enable: true } },

  users: {
    users: {
      root: {
        openssh: {
          authorizedKeys: {
            keys: [
              "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyReplaceWithYourOwnPublicKey0000 you@example",
            ],
          },
        },
      },
    },
  },

  system: { stateVersion: "24.11" },
}));
