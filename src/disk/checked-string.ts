import { z } from "zod";

/**
 * A string option checked by `problem`, which says what is wrong with a value (naming it and what to give
 * instead), or returns undefined when the value is fine. Zod reports the message at the option's path.
 */
export function checkedString(problem: (text: string) => string | undefined) {
  return z.string().check((context) => {
    const message = problem(context.value);
    if (message !== undefined) context.issues.push({ code: "custom", message, input: context.value });
  });
}
