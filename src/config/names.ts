import { z } from "zod";
import { describeValue } from "./issues.ts";

/**
 * Debian's adduser NAME_REGEX (a trailing "$" for machine accounts), at most 32 characters: user and group
 * names reach useradd, file paths and /etc/group.
 */
export const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}\$?$/;

/**
 * A name of an account that exists already (a group to join, a file's owner, the login user of a running
 * system): Debian's own system accounts go beyond adduser's rule for new ones (`Debian-exim`).
 */
export const ACCOUNT_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;

/** Debian policy 5.6.1: lowercase letters, digits, "+", "-" and ".", at least two characters, a letter or digit first. */
export const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;

/** A name for a new user (`what: "user"`) or group, with a message that says what a name may hold. */
export function accountNameSchema(what: "user" | "group") {
  return z.string().regex(USER_NAME, {
    error: (issue) =>
      `${describeValue(issue.input)} is not a ${what} name: use at most 32 lowercase letters, digits, "_" and "-", starting with a letter or "_"`,
  });
}

/** The name of a user or group that exists already, as a reference to it. */
export function accountReferenceSchema(what: "user" | "group") {
  return z.string().regex(ACCOUNT_NAME, {
    error: (issue) =>
      `${describeValue(issue.input)} is not a ${what} name: use at most 32 letters, digits, "_", "." and "-", starting with a letter or "_"`,
  });
}

/** A Debian package name. */
export function packageNameSchema() {
  return z.string().regex(PACKAGE_NAME, {
    error: (issue) =>
      `${describeValue(issue.input)} is not a Debian package name: lowercase letters, digits, "+", "-" and ".", starting with a letter or digit (e.g. "htop", "postgresql-15")`,
  });
}
