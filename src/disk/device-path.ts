import { hasControlCharacter } from "../errors/index.ts";
import { checkedString } from "./checked-string.ts";
import { pathLengthProblem } from "./path.ts";

const EXAMPLES = 'give a normalized absolute path under /dev, e.g. "/dev/sda" or "/dev/disk/by-id/…"';

function reason(text: string): string | undefined {
  if (hasControlCharacter(text)) return "it holds a control character";
  if (/\s/.test(text)) return "it holds whitespace";
  if (text.startsWith("-")) return 'it starts with "-", so a command would read it as an option';
  if (!text.startsWith("/")) return "it is relative";
  const segments = text.split("/").slice(1);
  if (segments[0] !== "dev" || segments.length < 2) return "it is not under /dev";
  if (segments.slice(1).every((segment) => segment === "")) return "it names no device";
  if (segments.some((segment) => segment === "." || segment === "..")) return 'it has a "." or ".." segment';
  if (text.endsWith("/")) return 'it ends with "/"';
  if (segments.includes("")) return 'it has an empty segment ("//")';
  return pathLengthProblem(text);
}

/** Why `text` is not a block device path (normalized, absolute, under /dev), or undefined when it is one. */
export function devicePathProblem(text: string): string | undefined {
  const why = reason(text);
  if (why === undefined) return undefined;
  const shown = JSON.stringify(text);
  return `${shown.length > 200 ? `${shown.slice(0, 40)}…` : shown} is not a device path (${why}): ${EXAMPLES}`;
}

/** A block device path, as every device option takes it: `/dev/sda`, `/dev/disk/by-id/…`. */
export const devicePathSchema = checkedString(devicePathProblem);
