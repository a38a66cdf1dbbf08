import type { FstabEntry } from "../disk/fstab.ts";
import type { DiskPlan } from "./disk-plan.ts";
import type { SystemSpec } from "./system-spec.ts";

/** Everything a deploy will do, decided before it starts; the executor only carries it out. */
export interface DeployPlan {
  readonly version: 1;
  /** The layout's disko mode (destroy, format, mount), and its mount mode for resumed runs. */
  readonly disk: DiskPlan;
  readonly mount: DiskPlan;
  readonly system: SystemSpec;
  readonly packages: readonly string[];
  readonly distribution: { readonly suite: string; readonly mirror: string };
  readonly fstab: readonly FstabEntry[];
  readonly grub: {
    readonly biosDevices: readonly string[];
    readonly efiDirectory: string | undefined;
    readonly efiRemovable: boolean;
  };
}
