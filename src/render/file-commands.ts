import { quote } from "./quote.ts";

/**
 * Write standard input to `path` on the target, then print what proves it arrived whole: its sha256 sum, or
 * its size in bytes.
 */
export function renderUploadCommand(path: string, check: "sha256" | "bytes"): string {
  const target = quote(path);
  return check === "sha256"
    ? `cat > ${target} && sha256sum ${target}`
    : `cat > ${target} && wc -c < ${target}`;
}

/** Print a file of the target. */
export function renderReadFileCommand(path: string): string {
  return `cat ${quote(path)}`;
}

/** Print the public half of the OpenSSH private key at `path`. */
export function renderPublicKeyCommand(path: string): string {
  return `ssh-keygen -y -f ${quote(path)}`;
}

/** Make `dir` a tmpfs of its own (once): room that neither /run's size nor its noexec limits. */
export function renderTmpfsCommand(dir: string, name: string, mode: "0700" | "0755"): string {
  const folder = quote(dir);
  return `mkdir -p ${folder} && { mountpoint -q ${folder} || mount -t tmpfs -o mode=${mode} ${quote(name)} ${folder}; }`;
}

/** Unpack a tar archive from standard input into `dir`, a tmpfs of its own. */
export function renderUnpackCommand(dir: string, name: string): string {
  return `${renderTmpfsCommand(dir, name, "0755")} && tar -x -C ${quote(dir)}`;
}
