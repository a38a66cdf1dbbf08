import { InternalError } from "../../errors/index.ts";

/** One entry of a newc cpio archive: a directory or a regular file. */
export interface CpioEntry {
  readonly path: string;
  /** With the type bits: 0o040755 for a directory, 0o100644 for a file. */
  readonly mode: number;
  readonly data?: Buffer | string;
}

/** The 110-byte newc header: magic and 13 fields of 8 hex digits. */
function header(fields: readonly number[]): Buffer {
  return Buffer.from(
    `070701${fields.map((field) => field.toString(16).padStart(8, "0")).join("")}`,
    "latin1",
  );
}

function pad(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

/**
 * A newc cpio archive (the format the kernel unpacks as an initramfs), written here so that a deploy needs
 * no cpio tool. Entries are owned by root; directories must come before what they hold.
 */
export function writeCpio(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let inode = 1;
  const add = (name: string, mode: number, data: Buffer) => {
    const nameLength = Buffer.byteLength(name, "utf8") + 1;
    // ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check
    parts.push(
      header([inode++, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, nameLength, 0]),
      Buffer.from(`${name}\0`, "utf8"),
      pad(110 + nameLength),
      data,
      pad(data.length),
    );
  };
  for (const entry of entries) {
    const path = entry.path.replace(/^\/+/, "");
    if (path === "" || path.split("/").some((part) => part === "" || part === "." || part === ".."))
      throw new InternalError(`a cpio entry needs a plain relative path, not ${JSON.stringify(entry.path)}`);
    const type = entry.mode & 0o170000;
    if (type !== 0o040000 && type !== 0o100000)
      throw new InternalError(`cpio entry ${path}: the mode must say directory or regular file`);
    const data =
      entry.data === undefined
        ? Buffer.alloc(0)
        : Buffer.isBuffer(entry.data)
          ? entry.data
          : Buffer.from(entry.data, "utf8");
    add(path, entry.mode, data);
  }
  add("TRAILER!!!", 0, Buffer.alloc(0));
  return Buffer.concat(parts);
}
