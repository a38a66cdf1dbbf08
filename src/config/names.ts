import { z } from "zod";
import { describeValue } from "./issues.ts";

/**
 * Debian's adduser NAME_REGEX (a trailing "$" for machine accounts), at most 32 characters: user and group
 * names reach useradd, file paths and /etc/group.
 */
export const USER_NAME = /^[a-z_][a-z0-9_-]{0,30}\$?$/;

/** Debian policy 5.6.1: lowercase letters, digits, "+", "-" and ".", at least two characters, a letter or digit first. */
export const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;

/** A user name (`what: "user"`) or a group name, with a message that says what a name may hold. */
export function accountNameSchema(what: "user" | "group") {
  return z.string().regex(USER_NAME, {
    error: (issue) =>
      `${describeValue(issue.input)} is not a ${what} name: use at most 32 lowercase letters, digits, "_" and "-", starting with a letter or "_"`,
  });
}

/** A Debian package name. */
export function packageNameSchema() {
  return z.string().regex(PACKAGE_NAME, {
    error: (issue) =>
      `${describeValue(issue.input)} is not a Debian package name: lowercase letters, digits, "+", "-" and ".", starting with a letter or digit (e.g. "htop", "postgresql-15")`,
  });
}
