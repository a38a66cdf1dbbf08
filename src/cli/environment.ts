import { displayValue, hasControlCharacter, UsageError } from "../errors/index.ts";

// The environment variables groundwork builds paths from, and what it keeps below each.
const PATH_VARIABLES: Readonly<Record<string, string>> = {
  XDG_STATE_HOME: "its known_hosts file, which ssh reads from a -o option (a space would split it)",
  XDG_CACHE_HOME: "its cache of system images and installers",
};

/**
 * Refuse an environment that would put groundwork's files somewhere unexpected: a path variable that is set
 * but empty or relative (the XDG spec says to ignore those; a relative one would follow the working folder),
 * or that holds a space or a control character.
 */
export function checkEnvironment(env: NodeJS.ProcessEnv): void {
  for (const [name, what] of Object.entries(PATH_VARIABLES)) {
    const value = env[name];
    if (value === undefined) continue;
    if (!value.startsWith("/") || /\s/u.test(value) || hasControlCharacter(value))
      throw new UsageError(
        `${name}=${displayValue(value)}: groundwork keeps ${what} below it; set it to an absolute path without spaces, or unset it`,
      );
  }
}
