import { z } from "zod";
import { describeValue } from "../issues.ts";
import { lineSchema } from "../text.ts";

const grubSchema = z
  .strictObject({
    devices: z
      .array(
        // grub-install gets the path as an argument: an absolute path below /dev, one word.
        lineSchema().regex(/^\/dev\/[^\s]+$/, {
          error: (issue) =>
            `${describeValue(issue.input)} is not a device path: give a disk below /dev (e.g. "/dev/sda", "/dev/disk/by-id/…")`,
        }),
      )
      .default([])
      .meta({
        description: "Disks to install GRUB's BIOS boot code on, e.g. /dev/sda.",
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
