import { hasControlCharacter } from "../errors/index.ts";
import { checkedString } from "./checked-string.ts";
import { pathLengthProblem } from "./path.ts";

/** Why `mountpoint` is not an absolute, normalized path, or undefined when it is one. */
export function mountpointProblem(mountpoint: string): string | undefined {
  if (mountpoint === "/") return undefined;
  const shown = JSON.stringify(mountpoint);
  if (hasControlCharacter(mountpoint)) return `${shown}: a mountpoint must not contain control characters`;
  if (!mountpoint.startsWith("/"))
    return `${shown} is relative: a mountpoint must be an absolute path such as "/boot"`;
  const segments = mountpoint.split("/").slice(1);
  if (segments.some((segment) => segment === "." || segment === ".."))
    return `${shown} contains "." or "..": write the path without them`;
  if (mountpoint.length > 1 && mountpoint.endsWith("/"))
    return `${shown} ends with "/": write it without, e.g. ${JSON.stringify(mountpoint.replace(/\/+$/, "") || "/")}`;
  if (segments.includes(""))
    return `${shown} has an empty segment ("//"): write it with single slashes, e.g. ${JSON.stringify(mountpoint.replace(/\/+/g, "/"))}`;
  const tooLong = pathLengthProblem(mountpoint);
  if (tooLong !== undefined) return `${shown.slice(0, 40)}… is not a mountpoint: ${tooLong}`;
  return undefined;
}

/** A mountpoint option: an absolute, normalized path such as `/`, `/boot` or `/srv/data`. */
export const mountpointSchema = checkedString(mountpointProblem);
