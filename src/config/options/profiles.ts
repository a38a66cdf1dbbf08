import { z } from "zod";

export const profilesSchema = z
  .strictObject({
    qemuGuest: z
      .strictObject({
        enable: z.boolean().default(false).meta({
          description: "Whether the machine runs in QEMU: virtio drivers in the initramfs, the guest agent.",
        }),
      })
      .prefault({})
      .meta({ description: "Set by modules/profiles/qemu-guest.ts." }),
  })
  .prefault({})
  .meta({
    description:
      "Profiles: groups of settings for a kind of machine, set by the modules in modules/profiles.",
  });
