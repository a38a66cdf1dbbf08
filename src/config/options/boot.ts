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

/** A kernel parameter: one word of the kernel command line. */
const kernelParamSchema = z.string().regex(/^[^\s\p{Cc}"'\\$`-][^\s\p{Cc}"'\\$`]*$/u, {
  error:
    "give one word of the kernel command line (e.g. console=ttyS0,115200): no spaces, quotes, backslashes, $ or control characters, and no - first",
});

/** A kernel module's name, as modprobe takes it. */
const moduleNameSchema = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/, {
  error: "give a kernel module's name (letters, digits, _ and -, not - first), e.g. br_netfilter",
});

/** A sysctl key (`net.ipv4.ip_forward`), as sysctl.d takes it. */
const SYSCTL_KEY = /^[A-Za-z0-9_][A-Za-z0-9_./*-]{0,127}$/;

const sysctlValueSchema = z.union([
  z.string().regex(/^[^\p{Cc}]*$/u, { error: "give the value on one line, without control characters" }),
  z.number(),
  z.boolean(),
  z.null(),
]);

export const bootSchema = z
  .strictObject({
    initrd: initrdSchema,
    loader: z
      .strictObject({
        grub: grubSchema.prefault({}),
        timeout: z
          .int()
          .min(0)
          .max(3600)
          .nullable()
          .optional()
          .meta({
            description:
              "Seconds the boot menu waits before it boots the default entry; null waits for a key. Unset: 5, or 1 on a QEMU guest.",
            examples: [5],
          }),
      })
      .prefault({})
      .meta({ description: "The boot loader." }),
    kernelParams: z
      .array(kernelParamSchema)
      .default([])
      .meta({
        description: "Parameters added to the kernel command line (at the next boot).",
        examples: [["mitigations=auto", "console=ttyS0,115200"]],
      }),
    kernelModules: z
      .array(moduleNameSchema)
      .default([])
      .meta({
        description: "Kernel modules loaded at every boot, and at once by a switch.",
        examples: [["br_netfilter"]],
      }),
    blacklistedKernelModules: z
      .array(moduleNameSchema)
      .default([])
      .meta({
        description: "Kernel modules never loaded automatically (from the next boot on).",
        examples: [["pcspkr"]],
      }),
    kernel: z
      .strictObject({
        sysctl: z
          .record(
            z.string().regex(SYSCTL_KEY, { error: "give a sysctl key, e.g. net.ipv4.ip_forward" }),
            sysctlValueSchema,
          )
          .default({})
          .meta({
            description:
              "Kernel settings (sysctl.d), applied at every boot and at once by a switch; true and false are 1 and 0, null leaves the setting alone.",
            examples: [{ "net.ipv4.ip_forward": true, "vm.swappiness": 10 }],
          }),
      })
      .prefault({})
      .meta({ description: "The running kernel." }),
  })
  .prefault({})
  .meta({ description: "How the machine boots." });
