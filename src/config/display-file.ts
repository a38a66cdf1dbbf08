import { isAbsolute, relative } from "node:path";

/** A file as errors show it: relative to the working directory when below it. Labels such as `--disk` pass as they are. */
export function displayFile(file: string): string {
  if (!isAbsolute(file)) return file;
  const shown = relative(process.cwd(), file);
  return shown === "" || shown.startsWith("..") || isAbsolute(shown) ? file : shown;
}
