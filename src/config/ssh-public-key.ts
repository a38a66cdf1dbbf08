import { z } from "zod";
import { lineProblem, quoteText } from "./text.ts";

/** Key types OpenSSH on Debian bookworm accepts in authorized_keys (DSA is disabled there). */
export const SSH_KEY_TYPES = [
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
] as const;

const KNOWN_TYPES: ReadonlySet<string> = new Set(SSH_KEY_TYPES);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const WHAT_TO_DO = "give the one line of the key's .pub file: `type base64 [comment]`";

/** The type name a key blob starts with (an SSH string: a 32-bit length, then the name). */
function blobType(base64: string): string | undefined {
  const blob = Buffer.from(base64, "base64");
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  return length > 64 || blob.length < 4 + length ? undefined : blob.toString("latin1", 4, 4 + length);
}

/** What is wrong with one authorized_keys line, or undefined for `type base64 [comment]` of a known type. */
export function publicKeyProblem(line: string): string | undefined {
  if (/^[^\n]*\n$/.test(line))
    return "ends with a line break: remove it (e.g. trim the content of the .pub file you read)";
  const control = lineProblem(line);
  if (control !== undefined) return `${control}; one key per list item`;
  const [type = "", base64] = line.split(" ").filter((token) => token !== "");
  if (!KNOWN_TYPES.has(type)) {
    const options = /[=,"]/.test(type) ? " (authorized_keys options such as command= are not supported)" : "";
    return `does not start with a known key type${options}: ${WHAT_TO_DO}, the type one of ${SSH_KEY_TYPES.join(", ")}`;
  }
  if (base64 === undefined || !BASE64.test(base64))
    return `has no base64 key data after the type: ${WHAT_TO_DO}`;
  const inner = blobType(base64);
  if (inner !== type)
    return `its key data is not a ${type} key${inner === undefined ? "" : ` (it says ${JSON.stringify(inner)})`}: ${WHAT_TO_DO}`;
  return undefined;
}

/** One public key, a line of authorized_keys. */
export const publicKeySchema = z.string().superRefine((line, context) => {
  const problem = publicKeyProblem(line);
  if (problem !== undefined) context.addIssue({ code: "custom", message: `${quoteText(line)} ${problem}` });
});
