import { defineConfig } from "groundwork";

const diskDevice = "/dev/sda";

export default defineConfig(({ modulesPath }) => ({
  imports: [
    // biome-ignore lint/style/useTemplate: as the seed writes (modulesPath + "/profiles/qemu-guest.nix")
    modulesPath + "/profiles/qemu-guest.ts",
    // (sources.disko + "/module.nix") has no counterpart: disko.devices is built into groundwork.
    "./single-disk-layout.ts",
  ],

  disko: { devices: { disk: { main: { device: diskDevice } } } },

  boot: {
    loader: {
      grub: {
        devices: [diskDevice],
        efiSupport: true,
        efiInstallAsRemovable: true,
      },
    },
  },

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
