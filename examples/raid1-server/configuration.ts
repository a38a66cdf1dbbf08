// A server on two mirrored disks (mirrored-disks.ts: an mdadm RAID1 holding the root filesystem). GRUB goes onto
// both disks, so that either one boots the machine on its own.
import { defineConfig } from "groundwork";

export default defineConfig(({ config, modulesPath }) => ({
  imports: [`${modulesPath}/profiles/qemu-guest.ts`, "./mirrored-disks.ts"],

  // Whatever devices the disks turn out to be (`--disk one=/dev/vda`), GRUB goes onto both.
  boot: {
    loader: {
      grub: {
        devices: [config.disko.devices.disk.one?.device, config.disko.devices.disk.two?.device].filter(
          (device) => device !== undefined,
        ),
      },
    },
  },

  networking: { hostName: "raid1-server" },
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
