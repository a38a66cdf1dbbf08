/** Append an attribute name to an option path, quoting it when it is not a plain identifier (as Nix does). */
export function childPath(base: string, name: string): string {
  const segment = /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) ? name : JSON.stringify(name);
  return base === "" ? segment : `${base}.${segment}`;
}

/** Append a list index to an option path, as option paths write it: `partitions` → `partitions[0]`. */
export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}

/** Why Linux cannot take `path`: longer than PATH_MAX (4095 bytes) or a name longer than NAME_MAX (255); else undefined. */
export function pathLengthProblem(path: string): string | undefined {
  const bytes = (text: string) => new TextEncoder().encode(text).length;
  if (bytes(path) > 4095) return "it is longer than the 4095 bytes a Linux path can have";
  if (path.split("/").some((segment) => bytes(segment) > 255))
    return "a name in it is longer than the 255 bytes Linux allows";
  return undefined;
}
