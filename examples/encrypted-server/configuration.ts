// A server whose data is encrypted (encrypted-disk.ts: LUKS holding LVM). At each boot the machine waits for
// its passphrase: typed on the console, or sent over SSH to its initramfs with `groundwork unlock HOST`.
import { defineConfig } from "groundwork";

export default defineConfig(({ modulesPath }) => ({
  imports: [`${modulesPath}/profiles/qemu-guest.ts`, "./encrypted-disk.ts"],

  boot: {
    loader: { grub: { devices: ["/dev/sda"] } },
    // An SSH server in the initramfs, letting in root's keys (below), for `groundwork unlock`.
    initrd: { network: { enable: true, ssh: { enable: true } } },
  },

  networking: { hostName: "encrypted-server" },
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
