/**
 * Quote one value for a POSIX shell. Every value that reaches a generated script goes through here:
 * single quotes keep everything literal, and a single quote itself is written as '\''.
 */
export function quote(value: string): string {
  if (value.includes("\0")) throw new Error("a NUL byte cannot be passed to a shell");
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Quote each word and join them into one command line. */
export function command(...words: readonly string[]): string {
  return words.map(quote).join(" ");
}
