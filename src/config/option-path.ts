import { childPath } from "../disk/path.ts";

/** `["disko", "devices", "disk", "my disk", 0]` → `disko.devices.disk."my disk"[0]` (names quoted as Nix does). */
export function formatOptionPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    text = typeof segment === "number" ? `${text}[${segment}]` : childPath(text, String(segment));
  }
  return text;
}

const SEGMENT = /(?:"((?:[^"\\]|\\.)*)"|\[(\d+)\]|([^."[\]]+))/y;

/** Parses a dotted option path as written by `formatOptionPath` (or typed by a user); undefined when malformed. */
export function parseOptionPath(text: string): (string | number)[] | undefined {
  const segments: (string | number)[] = [];
  let index = 0;
  while (index < text.length) {
    if (segments.length > 0 && text[index] === ".") index += 1;
    SEGMENT.lastIndex = index;
    const match = SEGMENT.exec(text);
    if (match === null) return undefined;
    const [whole, quoted, position, plain] = match;
    if (quoted !== undefined) segments.push(JSON.parse(`"${quoted}"`) as string);
    else if (position !== undefined) segments.push(Number(position));
    else segments.push(plain ?? "");
    index += whole.length;
    if (index < text.length && text[index] !== "." && text[index] !== "[") return undefined;
  }
  return segments;
}
