import type { Mount } from "./content/planner.ts";
import type { Devices } from "./devices.ts";
import { type HookRun, hooksOf } from "./hooks.ts";
import { childPath } from "./path.ts";
import { layoutContents } from "./place.ts";
import type { DeviceRef } from "./steps.ts";

// The boot questions moved to boot.ts; src/plan imports them from here until its callers change.

/** A filesystem without a device (tmpfs), with its mountpoint resolved. */
export interface NodevMount {
  readonly kind: "nodev";
  /** On no disk: a nodev mount's steps belong to no device. */
  readonly disk: undefined;
  readonly source: string;
  readonly fsType: string;
  readonly mountpoint: string;
  readonly options: readonly string[];
  readonly path: string;
  readonly hooks?: readonly HookRun[];
}

export type LayoutMount = Mount | NodevMount;

/** A swap partition or a swap file. */
export type SwapMount = Extract<LayoutMount, { readonly kind: "swap" | "swapfile" }>;
/** A filesystem mounted at a mountpoint. */
export type FilesystemMount = Exclude<LayoutMount, SwapMount>;

export function isSwap(mount: LayoutMount): mount is SwapMount {
  return mount.kind === "swap" || mount.kind === "swapfile";
}

/** The btrfs subvolume a mount's options name (`subvol=/rootfs` → `/rootfs`), or undefined for none. */
export function mountedSubvolume(options: readonly string[]): string | undefined {
  const subvolume = options.find((option) => option.startsWith("subvol="))?.slice("subvol=".length);
  return subvolume === undefined ? undefined : `/${subvolume.replace(/^\/+/, "")}`;
}

export function isFilesystem(mount: LayoutMount): mount is FilesystemMount {
  return !isSwap(mount);
}

/** Every filesystem, swap space and nodev mount of the layout, in declaration order. */
export function layoutMounts(devices: Devices): LayoutMount[] {
  const mounts: LayoutMount[] = [];
  for (const { content, place, planner, hooks } of layoutContents(devices)) {
    // The device's own mount hooks wrap each mount of what it holds, outside the content's own.
    const outer = hooks.filter((run) => !run.hook.endsWith("CreateHook"));
    mounts.push(
      ...planner
        .mounts(content, place)
        .map((mount) => ({ ...mount, hooks: [...outer, ...(mount.hooks ?? [])] })),
    );
  }
  for (const [name, nodev] of Object.entries(devices.nodev).sort(([a], [b]) => (a < b ? -1 : 1))) {
    mounts.push({
      kind: "nodev",
      disk: undefined,
      source: nodev.device,
      fsType: nodev.fsType,
      mountpoint: nodev.mountpoint ?? name,
      options: nodev.mountOptions,
      path: childPath("disko.devices.nodev", name),
      hooks: hooksOf(nodev, childPath("disko.devices.nodev", name), undefined),
    });
  }
  return mounts;
}

/** Mount order: parents before children (`/` before `/boot` before `/boot/efi`), then by path. */
export function mountOrder<T extends { readonly mountpoint: string }>(mounts: readonly T[]): T[] {
  const depth = (mountpoint: string) => (mountpoint === "/" ? 0 : mountpoint.split("/").length - 1);
  return [...mounts].sort(
    (a, b) =>
      depth(a.mountpoint) - depth(b.mountpoint) ||
      (a.mountpoint < b.mountpoint ? -1 : a.mountpoint > b.mountpoint ? 1 : 0),
  );
}

/** The swap space marked resumeDevice, if any (the layout's check allows one). */
export function resumeDevice(devices: Devices): DeviceRef | undefined {
  for (const mount of layoutMounts(devices)) if (mount.kind === "swap" && mount.resume) return mount.device;
  return undefined;
}
