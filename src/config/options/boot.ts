import { z } from "zod";
import { devicePathSchema } from "../../disk/device-path.ts";
import { publicKeySchema } from "../ssh-public-key.ts";

const grubSchema = z
  .strictObject({
    devices: z
      .array(devicePathSchema)
      .default([])
      .meta({
        description: "Disks to install GRUB's BIOS boot code on, as device paths under /dev, e.g. /dev/sda.",
        examples: [["/dev/sda"]],
      }),
    efiSupport: z.boolean().default(false).meta({ description: "Whether to install GRUB for EFI as well." }),
    efiInstallAsRemovable: z.boolean().default(false).meta({
      description:
        "Install the EFI boot loader at the removable-media path (EFI/BOOT/BOOTX64.EFI) instead of registering it in NVRAM.",
    }),
  })
  .prefault({})
  .meta({ description: "The GRUB boot loader." });

const initrdSshSchema = z
  .strictObject({
    enable: z.boolean().default(false).meta({
      description:
        "Run an SSH server (dropbear) in the initramfs, so that a LUKS root can be unlocked over the network with `groundwork unlock`. Needs boot.initrd.network.enable.",
    }),
    port: z
      .int()
      .min(1)
      .max(65535)
      .default(22)
      .meta({
        description: "The port the initramfs's SSH server listens on.",
        examples: [2222],
      }),
    authorizedKeys: z
      .array(publicKeySchema)
      .optional()
      .meta({
        description:
          "Public keys allowed to log in to the initramfs as root; unset, root's keys (users.users.root.openssh.authorizedKeys.keys).",
        examples: [["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… alice@laptop"]],
      }),
    hostKeys: z
      .array(
        z.string().regex(/^\/[^\s\p{Cc}]+$/u, {
          error: "give an absolute path on the machine, without spaces or control characters",
        }),
      )
      .default([])
      .meta({
        description:
          "Host keys of your own for the initramfs. Not supported yet: leave it empty, and groundwork makes an ed25519 key at install and records it for `groundwork unlock`.",
      }),
  })
  .prefault({})
  .meta({ description: "SSH in the initramfs, for unlocking encrypted disks remotely." });

const initrdSchema = z
  .strictObject({
    network: z
      .strictObject({
        enable: z.boolean().default(false).meta({
          description:
            "Bring the network up in the initramfs (DHCP, by initramfs-tools), for boot.initrd.network.ssh.",
        }),
        ssh: initrdSshSchema,
      })
      .prefault({})
      .meta({ description: "The network in the initramfs." }),
  })
  .prefault({})
  .meta({ description: "The initial RAM file system the kernel starts in." });

export const bootSchema = z
  .strictObject({
    initrd: initrdSchema,
    loader: z
      .strictObject({ grub: grubSchema.prefault({}) })
      .prefault({})
      .meta({ description: "The boot loader." }),
  })
  .prefault({})
  .meta({ description: "How the machine boots." });
