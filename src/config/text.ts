import { z } from "zod";

// C0 controls, DEL and C1 controls: line breaks split lines of unit files and authorized_keys, NUL ends a
// string in C and cannot pass through a shell, escape sequences drive terminals.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

// A high surrogate without its low half, or a low one without its high half: not Unicode text.
const UNPAIRED = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const NAMES: Readonly<Record<string, string>> = {
  "\u0000": "a NUL byte",
  "\t": "a tab",
  "\n": "a line break",
  "\r": "a carriage return",
};

/** `a line break (U+000A)`: a character as a message names it. */
export function characterName(character: string): string {
  const code = `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
  return `${NAMES[character] ?? "a control character"} (${code})`;
}

/** What is wrong with one line of text (a control character, an unpaired surrogate), or undefined. */
export function lineProblem(text: string): string | undefined {
  const control = CONTROL.exec(text);
  if (control !== null)
    return `contains ${characterName(control[0])} at position ${control.index + 1}: this value is one line of text without control characters; remove it`;
  if (UNPAIRED.test(text)) return "contains an unpaired UTF-16 surrogate: give valid Unicode text";
  return undefined;
}

/** What is wrong with a file's text (a NUL byte, an unpaired surrogate), or undefined. */
export function textProblem(text: string): string | undefined {
  const nul = text.indexOf("\u0000");
  if (nul >= 0)
    return `contains a NUL byte (U+0000) at position ${nul + 1}: groundwork writes text; remove it, or install binary files with a package`;
  if (UNPAIRED.test(text)) return "contains an unpaired UTF-16 surrogate: give valid Unicode text";
  return undefined;
}

/** `value` as messages show it: JSON, with C1 controls and line separators escaped too, cut at 60 characters. */
export function quoteText(value: string): string {
  const text = JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (character) => `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function refined(problem: (text: string) => string | undefined) {
  return z.string().superRefine((text, context) => {
    const message = problem(text);
    if (message !== undefined) context.addIssue({ code: "custom", message: `${quoteText(text)} ${message}` });
  });
}

/** A string option that is one line: no line breaks, tabs, NUL or other control characters. */
export function lineSchema() {
  return refined(lineProblem);
}

/** A string option holding a file's text: line breaks and tabs allowed, NUL refused. */
export function textSchema() {
  return refined(textProblem);
}
