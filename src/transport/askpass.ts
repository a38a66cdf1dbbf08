import { chmod, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { renderAskpassScript } from "../render/sudo-command.ts";

/** The environment variable the askpass helper reads: the password never appears in an argument or a file. */
export const PASSWORD_VARIABLE = "GROUNDWORK_SSH_PASSWORD";

/**
 * Write an SSH_ASKPASS helper into `dir` (a private directory): it prints the password from the environment
 * of the ssh process that runs it.
 */
export async function writeAskpass(dir: string): Promise<string> {
  const path = join(dir, "askpass");
  await writeFile(path, renderAskpassScript(PASSWORD_VARIABLE), { mode: 0o700 });
  await chmod(path, 0o700);
  return path;
}
