import { quote } from "./quote.ts";

/**
 * A script that prints, for each serial, a line `SERIAL DEVICE`: the kernel's name of the disk udev lists as
 * `/dev/disk/by-id/…_SERIAL` (`-` when there is none). It waits for udev first.
 */
export function renderDiskNamesScript(serials: readonly string[]): string {
  const lines = ["udevadm settle --timeout=30 2>/dev/null || :"];
  for (const serial of serials) {
    lines.push(
      `for link in /dev/disk/by-id/*_${quote(serial)}; do :; done`,
      `if [ -e "$link" ]; then printf '%s %s\\n' ${quote(serial)} "$(readlink -f "$link")"; else printf '%s -\\n' ${quote(serial)}; fi`,
    );
  }
  return `${lines.join("\n")}\n`;
}
