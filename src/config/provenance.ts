import { formatOptionPath, parseOptionPath } from "./option-path.ts";

/** Which files set each option path, recorded while merging. */
export class Provenance {
  constructor(private readonly files: ReadonlyMap<string, readonly string[]>) {}

  /** Every file that set the value at exactly `path`. */
  filesOf(path: readonly PropertyKey[]): readonly string[] {
    return this.files.get(formatOptionPath(path)) ?? [];
  }

  /** The last file that set `path`, or the longest prefix of it that a file set (every file sets the root: not counted). */
  fileOf(path: readonly PropertyKey[]): string | undefined {
    for (let length = path.length; length >= 1; length -= 1) {
      const files = this.files.get(formatOptionPath(path.slice(0, length)));
      if (files !== undefined && files.length > 0) return files.at(-1);
    }
    return undefined;
  }

  /** `fileOf` for a dotted path such as `disko.devices.disk."my disk".device`. */
  sourceOf(path: string): string | undefined {
    const segments = parseOptionPath(path);
    return segments === undefined ? undefined : this.fileOf(segments);
  }
}
