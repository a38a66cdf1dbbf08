import { z } from "zod";
import { devicePathSchema } from "../../disk/device-path.ts";

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

export const bootSchema = z
  .strictObject({
    loader: z
      .strictObject({ grub: grubSchema.prefault({}) })
      .prefault({})
      .meta({ description: "The boot loader." }),
  })
  .prefault({})
  .meta({ description: "How the machine boots." });
