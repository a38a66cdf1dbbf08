import { quote } from "./quote.ts";

/** The script with `extraPath` (tools groundwork brought along) first on its PATH. */
export function renderWithExtraPath(script: string, extraPath: string | undefined): string {
  if (extraPath === undefined) return script;
  return `PATH=${quote(extraPath)}:$PATH; export PATH\n${script}`;
}
