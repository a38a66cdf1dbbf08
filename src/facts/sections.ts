/** Split a script's output into its `==> name` sections (facts, machine state, observed system, carried keys). */
export function splitSections(output: string): Map<string, string> {
  const sections = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  for (const line of output.split("\n")) {
    const match = /^==> (\S+)$/.exec(line);
    if (match !== null) {
      if (name !== undefined) sections.set(name, lines.join("\n").replace(/^\n+|\n+$/g, ""));
      name = match[1];
      lines = [];
    } else if (name !== undefined) {
      lines.push(line);
    }
  }
  if (name !== undefined) sections.set(name, lines.join("\n").replace(/^\n+|\n+$/g, ""));
  return sections;
}
