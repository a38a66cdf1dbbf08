import { createInterface } from "node:readline/promises";
import { UsageError } from "../errors/index.ts";

/** Ask on the terminal; without one, refuse and say to pass --yes. */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new UsageError(
      "standard input is not a terminal, so nobody can confirm the plan: pass --yes to run it unattended",
    );
  }
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await readline.question(`${question} Type "yes" to continue: `);
    return answer.trim().toLowerCase() === "yes";
  } finally {
    readline.close();
  }
}
