import type { Problem } from "../errors/index.ts";
import { formatBytes } from "./size.ts";

/** Where a partition lies, as far as the layout tells: bytes `[start, end)`, `end` undefined when it runs to the disk's end. */
export interface Extent {
  /** How a message names the partition: `root`, `partition 2`. */
  readonly name: string;
  /** Option path of the partition; problems name its `start` or its `end`. */
  readonly path: string;
  readonly start: bigint;
  readonly end: bigint | undefined;
  /** How the extent is shown: bytes, or a percentage of the disk (`unit` "%", values scaled by `scale`). */
  readonly unit?: { readonly suffix: "%"; readonly scale: bigint };
}

function shown(extent: Extent, at: bigint | undefined): string {
  if (at === undefined) return "the end of the disk";
  if (extent.unit === undefined) return formatBytes(at);
  return `${Number(at) / Number(extent.unit.scale)}%`;
}

/** An extent as a message shows it: `1 MiB..501 MiB`. */
function span(extent: Extent): string {
  return `${shown(extent, extent.start)}..${shown(extent, extent.end)}`;
}

/**
 * Partitions that end where they start or before, and partitions that share space with one created before them,
 * in creation order; each problem names the later partition and what to change.
 */
export function extentProblems(extents: readonly Extent[]): Problem[] {
  const problems: Problem[] = [];
  const placed: Extent[] = [];
  for (const extent of extents) {
    if (extent.end !== undefined && extent.end <= extent.start) {
      problems.push({
        path: `${extent.path}.end`,
        message: `${extent.name} ends at ${shown(extent, extent.end)}, not after its start ${shown(extent, extent.start)}: give it an end past its start`,
      });
      continue;
    }
    const earlier = placed.find(
      (other) =>
        (other.end === undefined || extent.start < other.end) &&
        (extent.end === undefined || other.start < extent.end),
    );
    if (earlier !== undefined) {
      const after =
        earlier.end === undefined ? "" : `start it at ${shown(earlier, earlier.end)} or later, or `;
      problems.push({
        path: `${extent.path}.start`,
        message: `${extent.name} (${span(extent)}) overlaps ${earlier.name} (${span(earlier)}): ${after}make ${earlier.name} smaller`,
      });
    }
    placed.push(extent);
  }
  return problems;
}
