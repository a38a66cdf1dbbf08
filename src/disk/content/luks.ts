import { z } from "zod";
import { hasControlCharacter } from "../../errors/index.ts";
import { checkedString } from "../checked-string.ts";
import { extraArgsSchema } from "../extra-args.ts";
import { hookOptions } from "../hooks.ts";
import { luksNameSchema } from "../luks-name.ts";
import { pathLengthProblem } from "../path.ts";
import type { DiskStep, LuksKey } from "../steps.ts";
import {
  type PartitionContent,
  partitionContentPlanner,
  partitionContentSchema,
} from "./partition-content.ts";
import { type ContentPlanner, type EncryptedDevice, NO_BOOT_ROLES, type Place } from "./planner.ts";

/** A file on the machine that runs the disk script (the installer: see --disk-encryption-keys). */
const keyPathSchema = checkedString((path) => {
  const shown = JSON.stringify(path);
  if (hasControlCharacter(path) || /[\s\\]/u.test(path))
    return `${shown}: a key file's path must not hold spaces, backslashes or control characters`;
  if (!path.startsWith("/") || path === "/")
    return `${shown} is not a file's absolute path: give one such as "/tmp/secret.key"`;
  if (path.split("/").some((segment, index) => index > 0 && ["", ".", ".."].includes(segment)))
    return `${shown} is not normalized: write it without "//", "." or ".." segments and without a trailing "/"`;
  return pathLengthProblem(path);
});

/** crypttab options: words of letters, digits and `_=.:/-`, as `discard` or `tries=3`. */
const crypttabOptionSchema = checkedString((option) =>
  /^[A-Za-z0-9_][A-Za-z0-9_=.:/-]*$/.test(option)
    ? undefined
    : `${JSON.stringify(option)} is not a crypttab option: give a word such as "discard" or "tries=3", without spaces or commas`,
);

/** disko's `settings`: the NixOS options of boot.initrd.luks.devices.<name> that groundwork carries out. */
const settingsSchema = z
  .strictObject({
    keyFile: keyPathSchema.optional().meta({
      description:
        "The key file that formats and opens the device (on the installer: bring it with --disk-encryption-keys). At boot the device asks for a passphrase.",
    }),
    keyFileSize: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: "Bytes of the key file to read." }),
    keyFileOffset: z.number().int().nonnegative().optional().meta({
      description: "Bytes of the key file to skip before the key.",
    }),
    allowDiscards: z.boolean().default(false).meta({
      description: "Pass TRIM through the encryption (cryptsetup --allow-discards; discard in crypttab).",
    }),
    bypassWorkqueues: z.boolean().default(false).meta({
      description: "Skip dm-crypt's work queues (--perf-no_read_workqueue --perf-no_write_workqueue).",
    }),
    fallbackToPassword: z.boolean().optional().meta({
      description: "Accepted for disko's layouts; a Debian system always asks for the passphrase at boot.",
    }),
    crypttabExtraOpts: z.array(crypttabOptionSchema).default([]).meta({
      description: 'More options for the device\'s line in /etc/crypttab, e.g. ["tries=3"].',
    }),
  })
  .default({
    allowDiscards: false,
    bypassWorkqueues: false,
    crypttabExtraOpts: [],
  })
  .meta({ description: "How the device is opened (NixOS's boot.initrd.luks.devices.<name> options)." });

export const luksSchema = z
  .strictObject({
    type: z.literal("luks"),
    name: luksNameSchema.meta({ description: "The mapping's name: the device is /dev/mapper/<name>." }),
    passwordFile: keyPathSchema.optional().meta({
      description:
        "A file holding the passphrase the device is formatted with (trailing newlines are not part of it); at boot the same passphrase opens it.",
    }),
    keyFile: keyPathSchema.optional().meta({
      description: "Deprecated in disko: a key file as settings.keyFile.",
    }),
    askPassword: z.boolean().optional().meta({
      description:
        "Ask for the passphrase at format time: not supported yet; give passwordFile and --disk-encryption-keys.",
    }),
    additionalKeyFiles: z.array(keyPathSchema).default([]).meta({
      description: "More key files that open the device, added to its key slots.",
    }),
    extraFormatArgs: extraArgsSchema("cryptsetup luksFormat"),
    extraOpenArgs: extraArgsSchema("cryptsetup open"),
    initrdUnlock: z.boolean().default(true).meta({
      description:
        "Open the device in the initramfs (needed for / and what it needs); false: systemd opens it after the initramfs.",
    }),
    enrollFido2: z.literal(false).optional().meta({ description: "FIDO2 tokens are not supported." }),
    enrollRecovery: z.literal(false).optional().meta({ description: "Recovery keys are not supported." }),
    settings: settingsSchema,
    get content(): z.ZodOptional<typeof partitionContentSchema> {
      return partitionContentSchema.optional();
    },
    preCreateHook: hookOptions.preCreateHook,
    postCreateHook: hookOptions.postCreateHook,
    preMountHook: hookOptions.preMountHook,
    postMountHook: hookOptions.postMountHook,
    preUnmountHook: hookOptions.preUnmountHook,
    postUnmountHook: hookOptions.postUnmountHook,
  })
  .meta({ description: "A LUKS-encrypted device, opened as /dev/mapper/<name>, holding content." });

export type Luks = z.output<typeof luksSchema>;

/** The mapping's device. */
export function luksDevice(name: string): string {
  return `/dev/mapper/${name}`;
}

/** The key that formats and opens the device, in disko's order: settings.keyFile, passwordFile, keyFile. */
export function luksKey(luks: Luks): LuksKey | undefined {
  const { keyFile, keyFileSize, keyFileOffset } = luks.settings;
  const sized = {
    ...(keyFileSize === undefined ? {} : { size: keyFileSize }),
    ...(keyFileOffset === undefined ? {} : { offset: keyFileOffset }),
  };
  if (keyFile !== undefined) return { file: keyFile, passphrase: false, ...sized };
  if (luks.passwordFile !== undefined) return { file: luks.passwordFile, passphrase: true };
  if (luks.keyFile !== undefined) return { file: luks.keyFile, passphrase: false, ...sized };
  return undefined;
}

/** The place of the content inside: the opened mapping, on the same disk. */
function innerPlace(luks: Luks, place: Place): Place {
  return {
    ...place,
    device: { kind: "path", path: luksDevice(luks.name) },
    byPartlabel: false,
    path: `${place.path}.content`,
  };
}

function inner<T>(
  luks: Luks,
  place: Place,
  ask: (planner: ContentPlanner<PartitionContent>, content: PartitionContent, place: Place) => T[],
): T[] {
  const content = luks.content;
  return content === undefined ? [] : ask(partitionContentPlanner(content), content, innerPlace(luks, place));
}

/** The arguments `cryptsetup open` takes beyond the key, from the settings and extraOpenArgs. */
export function luksOpenArgs(luks: Luks): string[] {
  return [
    ...(luks.settings.allowDiscards ? ["--allow-discards"] : []),
    ...(luks.settings.bypassWorkqueues ? ["--perf-no_read_workqueue", "--perf-no_write_workqueue"] : []),
    ...luks.extraOpenArgs,
  ];
}

/** LUKS2's default header (16 MiB) and a little data. */
const LUKS_HEADER_BYTES = 16n << 20n;

export const luksPlanner: ContentPlanner<Luks> = {
  check(luks, place) {
    const problems = [];
    if (luks.askPassword === true || luksKey(luks) === undefined)
      problems.push({
        path: `${place.path}.${luks.askPassword === true ? "askPassword" : "passwordFile"}`,
        message: `LUKS device ${luks.name} has no key to be formatted with, and groundwork cannot ask for one during the disk phase yet: give passwordFile (a file holding the passphrase) or settings.keyFile, and bring the file to the installer with --disk-encryption-keys PATH LOCAL_FILE`,
      });
    return [...problems, ...inner(luks, place, (planner, content, at) => planner.check(content, at))];
  },
  format(luks, place) {
    const key = luksKey(luks);
    if (key === undefined) return [];
    const steps: DiskStep[] = [
      {
        kind: "luks-format",
        id: `luks:${place.path}`,
        description: `encrypt the device with LUKS (key ${key.file}), unless it holds a LUKS header`,
        destroys: false,
        disk: place.disk,
        device: place.device,
        name: luks.name,
        key,
        extraArgs: luks.extraFormatArgs,
        additionalKeyFiles: luks.additionalKeyFiles,
      },
      {
        kind: "luks-open",
        id: `open:${place.path}`,
        description: `open it as ${luksDevice(luks.name)}, unless it is open`,
        destroys: false,
        disk: place.disk,
        device: place.device,
        name: luks.name,
        key,
        openArgs: luksOpenArgs(luks),
      },
    ];
    return [...steps, ...inner(luks, place, (planner, content, at) => planner.format(content, at))];
  },
  mounts(luks, place) {
    return inner(luks, place, (planner, content, at) => planner.mounts(content, at));
  },
  minimumBytes(luks) {
    const content = luks.content;
    return (
      LUKS_HEADER_BYTES +
      (content === undefined ? 0n : partitionContentPlanner(content).minimumBytes(content))
    );
  },
  tools(luks) {
    const content = luks.content;
    return ["cryptsetup", ...(content === undefined ? [] : partitionContentPlanner(content).tools(content))];
  },
  fsType() {
    return "crypto_LUKS";
  },
  bootRoles() {
    return NO_BOOT_ROLES;
  },
  partitions() {
    return [];
  },
  members(luks, place) {
    return inner(luks, place, (planner, content, at) => planner.members(content, at));
  },
  encrypted(luks, place) {
    const key = luksKey(luks);
    const self: EncryptedDevice[] =
      key === undefined
        ? []
        : [
            {
              name: luks.name,
              device: place.device,
              disk: place.disk,
              path: place.path,
              key,
              openArgs: luksOpenArgs(luks),
              initrdUnlock: luks.initrdUnlock,
              crypttabOptions: [
                ...(luks.settings.allowDiscards ? ["discard"] : []),
                ...luks.settings.crypttabExtraOpts,
              ],
            },
          ];
    return [...self, ...inner(luks, place, (planner, content, at) => planner.encrypted(content, at))];
  },
};
