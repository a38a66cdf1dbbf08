import { RecordError, RunError } from "../errors/index.ts";
import {
  type GenerationInfo,
  generationInfoSchema,
  pinsRecordSchema,
  RECORD_FILES,
  systemRecordSchema,
} from "./generation-records.ts";
import { parseJson, parseRecord, type RecordPlace } from "./record.ts";
import { splitSections } from "./sections.ts";
import type { SystemSpec } from "./system-spec.ts";

/** One generation as the machine records it. */
export interface GenerationEntry extends Omit<GenerationInfo, "version"> {
  readonly current: boolean;
  /** When it was not confirmed and the machine went back by itself. */
  readonly rolledBack: string | undefined;
  /** When its package changes failed: it never became active. */
  readonly failed: string | undefined;
  /** When a restart cut its switch before it was confirmed (the next boot rolled it back). */
  readonly interrupted: string | undefined;
}

/** What a switch needs to know of the machine: one round trip. */
export interface MachineState {
  readonly current: number | undefined;
  readonly system: SystemSpec | undefined;
  readonly generations: readonly GenerationEntry[];
  /** Installed packages and their versions. */
  readonly installed: ReadonlyMap<string, string>;
}

/** What a rollback to a generation takes back from it. */
export interface GenerationFiles {
  readonly system: SystemSpec;
  /** The resolved configuration it came from (null when it has none). */
  readonly configuration: unknown;
  /** The versions it pinned (none for a generation written without a lock). */
  readonly pins: Readonly<Record<string, string>>;
}

/** The sections of a script's output, or a RunError when the output stops before `==> end`. */
function completeSections(stdout: string, what: string): Map<string, string> {
  const sections = splitSections(stdout);
  if (!sections.has("end")) throw new RunError(`reading ${what} failed: its output ends early`);
  return sections;
}

/** Read a system.json record: the system spec without the version of its format. */
function parseSystem(text: string, place: RecordPlace): SystemSpec {
  const { version: _, ...system } = parseRecord(text, systemRecordSchema, place);
  return system;
}

/**
 * Parse the output of the machine-state script (src/render/machine-state-script.ts) run on `source`
 * (`root@host`). A record it cannot read is a RecordError naming the generation and the file.
 */
export function parseMachineState(stdout: string, source: string): MachineState {
  const sections = completeSections(stdout, `the state of ${source}`);
  const currentText = sections.get("current") ?? "";
  const current = /^\d+$/.test(currentText) ? Number(currentText) : undefined;
  const systemText = sections.get("system") ?? "";
  const system =
    systemText === ""
      ? undefined
      : parseSystem(systemText, {
          name: `generation ${current}'s ${RECORD_FILES.system} on ${source}`,
          damaged: "repair it (the next switch compares the new system with it)",
          newer: "upgrade groundwork to switch this machine",
        });
  const generations = (sections.get("generations") ?? "")
    .split("\n")
    .filter((line) => line !== "")
    .map((line): GenerationEntry => {
      // The folder's name is the last column; lines of the script before records had versions lack it.
      const [info = "", rolledBack = "", failed = "", folder = "", interrupted = ""] = line.split("\t");
      const generation = /^\d+$/.test(folder) ? `generation ${folder}'s` : "a generation's";
      const { version: _, ...entry } = parseRecord(info, generationInfoSchema, {
        name: `${generation} ${RECORD_FILES.info} on ${source}`,
        damaged: "repair it, or remove that generation's folder if it is not the current one",
        newer: "upgrade groundwork to read this machine's generations",
      });
      return {
        ...entry,
        current: entry.number === current,
        rolledBack: rolledBack || undefined,
        failed: failed || undefined,
        interrupted: interrupted || undefined,
      };
    })
    .sort((a, b) => a.number - b.number);
  const installed = new Map(
    (sections.get("packages") ?? "")
      .split("\n")
      .filter((line) => line.startsWith("ii"))
      .map((line) => {
        const [, name = "", version = ""] = line.split("\t");
        return [name.replace(/:.*$/, ""), version] as const;
      }),
  );
  return { current, system, generations, installed };
}

/**
 * Parse the records of generation `number` on `source` as the generation-files script printed them
 * (src/render/machine-state-script.ts). A generation without configuration.json recorded none; one without
 * lock.json pinned nothing; one without system.json cannot be rolled back to.
 */
export function parseGenerationFiles(stdout: string, number: number, source: string): GenerationFiles {
  const sections = completeSections(stdout, `generation ${number} on ${source}`);
  const place = (file: string): RecordPlace => ({
    name: `generation ${number}'s ${file} on ${source}`,
    damaged:
      "roll back to another generation (--to N, see groundwork generations), or switch to a configuration",
    newer: "upgrade groundwork to roll back to it",
  });
  const systemText = sections.get("system") ?? "";
  if (systemText === "")
    throw new RecordError(
      "GW_RECORD_DAMAGED",
      place(RECORD_FILES.system).name,
      `generation ${number} on ${source} has no ${RECORD_FILES.system}: ${place(RECORD_FILES.system).damaged}`,
    );
  const configurationText = sections.get("configuration") ?? "";
  const lockText = sections.get("lock") ?? "";
  const { version: _, ...pins } =
    lockText === "" ? { version: 1 } : parseRecord(lockText, pinsRecordSchema, place(RECORD_FILES.lock));
  return {
    system: parseSystem(systemText, place(RECORD_FILES.system)),
    configuration:
      configurationText === "" ? null : parseJson(configurationText, place(RECORD_FILES.configuration)),
    pins,
  };
}
