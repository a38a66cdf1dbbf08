/**
 * Where groundwork puts things on a target. Shared by the image builders, the scripts and the executors, so
 * that each path is written once.
 */

/** The installer image holds its build hash here; the facts script reads it to know it runs the installer. */
export const INSTALLER_MARKER = "/etc/groundwork-installer";

/** Where the tools bundle is unpacked on a target (a tmpfs of its own: /run is mounted noexec). */
export const TOOLS_DIR = "/run/groundwork-tools";
/** The folder to put first on a script's PATH when groundwork brought its tools. */
export const TOOLS_PATH = `${TOOLS_DIR}/bin`;

/** A tmpfs of its own for the installer's kernel and initrd: /run may be too small for them. */
export const KEXEC_DIR = "/run/groundwork-kexec";

/** Where the system image is uploaded, below the mounted root; removed by the install script. */
export const SYSTEM_UPLOAD_PATH = "/.groundwork-system.tar.zst";

/** The installed system's public host key, below the root it is installed in. */
export const HOST_PUBLIC_KEY_PATH = "/etc/ssh/ssh_host_ed25519_key.pub";

/** dropbear-initramfs's configuration folder on the installed system. */
export const INITRD_SSH_DIR = "/etc/dropbear/initramfs";
/** The initramfs's SSH host key in OpenSSH's format (groundwork's copy, converted for dropbear). */
export const INITRD_HOST_KEY_PATH = `${INITRD_SSH_DIR}/groundwork_ed25519_host_key`;
