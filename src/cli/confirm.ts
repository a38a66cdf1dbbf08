import { createInterface } from "node:readline/promises";
import { UsageError } from "../errors/index.ts";

/** Ask on the terminal; without one, refuse and say to pass --yes. Ctrl-C or Ctrl-D at the question is a no. */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new UsageError(
      "standard input is not a terminal, so nobody can confirm the plan: pass --yes to run it unattended",
    );
  }
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await readline.question(`${question} Type "yes" to continue: `).catch((error: unknown) => {
      // readline ends the question with an AbortError when the terminal closes it (Ctrl-C, Ctrl-D).
      if (error instanceof Error && error.name === "AbortError") return "";
      throw error;
    });
    return answer.trim().toLowerCase() === "yes";
  } finally {
    readline.close();
  }
}
