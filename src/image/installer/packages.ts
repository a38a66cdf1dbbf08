/**
 * What the installer is made of: the Debian packages it installs, those it removes again because nothing in a
 * RAM system uses them, and the files it drops. Part of the image's hash.
 */

/** Installed into a minbase root. The kernel is not among them: only its vmlinuz and some modules are taken. */
export const INSTALLER_PACKAGES = [
  "busybox", // udhcpc, and reboot/poweroff without an init system
  "kmod",
  "udev",
  "iproute2",
  "procps",
  "openssh-server",
  "sudo",
  "util-linux",
  "gdisk",
  "parted",
  "fdisk",
  "dosfstools",
  "e2fsprogs",
  "xfsprogs",
  "btrfs-progs",
  "cryptsetup-bin",
  "lvm2",
  "mdadm",
  "zstd",
  "tar",
  "kexec-tools",
  "debootstrap",
  "ca-certificates",
  "grub2-common",
  "grub-pc-bin",
  "grub-efi-amd64-bin",
] as const;

/**
 * Pulled in by dependencies, unused here, and large: Python and ICU for xfs_scrub (mkfs.xfs needs neither),
 * full Perl for usrmerge (debootstrap needs only perl-base), time zones, apt. Matched against the installed
 * packages, so that a suite with other version numbers in the names works too.
 */
export const PURGED_PACKAGES: readonly RegExp[] = [
  /^python3(\.\d+)?(-minimal)?$/,
  /^libpython3(\.\d+)?(-minimal|-stdlib)$/,
  /^media-types$/,
  /^libicu\d+$/,
  /^usrmerge$/,
  /^lib(file-find-rule|number-compare|text-glob)-perl$/,
  /^perl$/,
  /^libperl5\.\d+$/,
  /^perl-modules-5\.\d+$/,
  /^tzdata$/,
  /^apt$/,
  /^libapt-pkg\d/,
];

/** Files no RAM system reads (globs, relative to the root). Host keys are made per run, never shared. */
export const REMOVED_PATHS = [
  "usr/share/doc",
  "usr/share/man",
  "usr/share/info",
  "usr/share/locale",
  "usr/share/lintian",
  "usr/share/bash-completion",
  "usr/share/zoneinfo",
  "usr/share/common-licenses",
  "usr/lib/udev/hwdb.d",
  "usr/lib/udev/hwdb.bin",
  "etc/udev/hwdb.bin",
  // Arrays and volume groups of the old system stay inactive after kexec: the disk phase wipes them.
  "usr/lib/udev/rules.d/64-md-raid-assembly.rules",
  "usr/lib/udev/rules.d/69-lvm.rules",
  "usr/lib/x86_64-linux-gnu/gconv",
  // What Python's removal leaves behind (byte-compiled files).
  "usr/lib/python3*",
  "usr/share/python3",
  // Signed and network GRUB images: grub-install builds its own core image from the modules.
  "usr/lib/grub/x86_64-efi/monolithic",
  "usr/bin/grub-mkrescue",
  "usr/bin/grub-fstest",
  "usr/bin/grub-render-label",
  "usr/bin/grub-syslinux2cfg",
  "usr/bin/grub-mount",
  "usr/bin/grub-mkstandalone",
  "usr/bin/grub-file",
  "usr/bin/grub-glue-efi",
  "usr/bin/grub-kbdcomp",
  "usr/bin/grub-menulst2cfg",
  "usr/bin/grub-mklayout",
  "usr/bin/grub-mknetdir",
  "usr/sbin/grub-macbless",
  "usr/bin/btrfs-convert",
  "usr/bin/btrfs-image",
  "etc/ssh/ssh_host_*",
  "var/cache/*",
  "var/lib/apt",
  "var/log/*",
  "tmp/*",
  "boot",
] as const;

/** Debian's kernel metapackage; the installer takes the kernel package it depends on. */
export const KERNEL_METAPACKAGE = "linux-image-amd64";
