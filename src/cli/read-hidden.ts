import { UsageError } from "../errors/index.ts";

/**
 * Read one line typed at the terminal without showing it (a passphrase). Without a terminal, refuse: a
 * passphrase is then given by a file or the environment.
 */
export async function readHiddenLine(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY)
    throw new UsageError(
      "standard input is not a terminal, so nobody can type the passphrase: pass --passphrase-file FILE, or --env-password with SSH_PASS set",
    );
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = "";
      const onData = (chunk: Buffer): void => {
        for (const character of chunk.toString("utf8")) {
          if (character === "\r" || character === "\n") {
            input.off("data", onData);
            resolve(typed);
            return;
          }
          if (character === "\u0003" || character === "\u0004") {
            input.off("data", onData);
            reject(new UsageError("no passphrase was typed"));
            return;
          }
          if (character === "\u007f" || character === "\b") typed = [...typed].slice(0, -1).join("");
          else typed += character;
        }
      };
      input.on("data", onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    process.stderr.write("\n");
  }
}
