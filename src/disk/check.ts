import type { Problem } from "../errors/index.ts";
import { deviceContentPlanner } from "./content/device-content.ts";
import type { Devices } from "./devices.ts";
import { checkEncryption } from "./encryption.ts";
import { resolveVolumes, volumePlace } from "./lvm-vg.ts";
import { MDADM_MINIMUM_MEMBERS, mdadmPlace } from "./mdadm.ts";
import { mountpointProblem } from "./mountpoint.ts";
import { isSwap, layoutMounts } from "./mounts.ts";
import { childPath } from "./path.ts";
import { diskPlace, sortedDisks, sortedVolumeGroups, stackMembers } from "./place.ts";
import { MAX_BYTES, parseSize } from "./size.ts";

/**
 * Checks of a layout that the schema cannot express: sizes, mountpoints, labels, names.
 * Problems carry option paths; the config layer adds the file that set each value.
 */
export function checkLayout(devices: Devices): Problem[] {
  const problems: Problem[] = [];
  const devicesSeen = new Map<string, string>();
  const labelsSeen = new Map<string, string>();

  for (const [name, disk] of sortedDisks(devices.disk)) {
    const path = childPath("disko.devices.disk", name);
    const other = devicesSeen.get(disk.device);
    if (other !== undefined) {
      problems.push({
        path: `${path}.device`,
        message: `${disk.device} is also the device of disk ${other}`,
      });
    }
    devicesSeen.set(disk.device, name);
    const content = disk.content;
    if (content === undefined) continue;
    const place = diskPlace(name, disk);
    const planner = deviceContentPlanner(content);
    const contentProblems = planner.check(content, place);
    problems.push(...contentProblems);
    for (const { label } of planner.partitions(content, place)) {
      if (label === undefined) continue;
      const owner = labelsSeen.get(label.value);
      if (owner !== undefined && owner !== name) {
        problems.push({
          path: label.path,
          message: `label ${JSON.stringify(label.value)} is also used on disk ${owner}: partition labels must be unique across disks`,
        });
      }
      labelsSeen.set(label.value, name);
    }
    const imageSize = disk.imageSize === undefined ? undefined : parseSize(disk.imageSize);
    const needed = contentProblems.length === 0 ? planner.minimumBytes(content) : 0n;
    if (needed > MAX_BYTES) {
      problems.push({
        path: `${path}.content`,
        message: `the partitions need at least ${needed >> 50n} PiB, more than any disk holds (8 PiB): make them smaller`,
      });
    } else if (imageSize?.kind === "bytes") {
      if (needed > imageSize.bytes) {
        problems.push({
          path: `${path}.imageSize`,
          message: `the partitions need at least ${needed >> 20n} MiB, more than imageSize ${disk.imageSize}: make the disk larger or the partitions smaller`,
        });
      }
    }
  }

  problems.push(...checkArrays(devices, labelsSeen));
  problems.push(...checkVolumeGroups(devices));

  const mountpoints = new Map<string, string>();
  let resume: string | undefined;
  for (const mount of layoutMounts(devices)) {
    if (mount.kind === "swap" && mount.resume) {
      if (resume !== undefined)
        problems.push({
          path: `${mount.path}.resumeDevice`,
          message: `${resume} is the resume device already: the kernel resumes from one swap space; set resumeDevice on one`,
        });
      resume ??= mount.path;
    }
    if (isSwap(mount)) continue;
    const path = `${mount.path}.mountpoint`;
    const { mountpoint } = mount;
    // Content mountpoints passed their schema; a nodev's defaults to its attribute name, checked here.
    const problem = mountpointProblem(mountpoint);
    if (problem !== undefined) {
      problems.push({ path, message: problem });
      continue;
    }
    const other = mountpoints.get(mountpoint);
    if (other !== undefined) {
      problems.push({
        path,
        message: `${mountpoint} is also the mountpoint of ${other}: each mountpoint can be used once`,
      });
    }
    mountpoints.set(mountpoint, mount.path);
  }
  // What follows plans the format steps: only for a layout whose parts are sound.
  if (problems.length === 0) problems.push(...checkEncryption(devices));
  return problems;
}

/** Arrays: each member names a declared array, each array has members enough for its level, and its content's checks. */
function checkArrays(devices: Devices, labelsSeen: Map<string, string>): Problem[] {
  const problems: Problem[] = [];
  const members = stackMembers(devices, "mdraid");
  for (const [array, of] of members) {
    if (Object.hasOwn(devices.mdadm, array)) continue;
    for (const member of of)
      problems.push({
        path: `${member.path}.name`,
        message: `there is no array ${JSON.stringify(array)}: declare it under disko.devices.mdadm (e.g. mdadm.${array} = { level = 1; content = …; }), or name one that is declared`,
      });
  }
  for (const [name, array] of Object.entries(devices.mdadm).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    const path = childPath("disko.devices.mdadm", name);
    const count = members.get(name)?.length ?? 0;
    const minimum = MDADM_MINIMUM_MEMBERS[array.level];
    if (count < minimum)
      problems.push({
        path,
        message: `a RAID${array.level} array needs at least ${minimum} members, and ${count === 0 ? "none" : `only ${count}`} ${count === 1 ? "names" : "name"} it: give partitions or disks the content { type = "mdraid"; name = "${name}"; }`,
      });
    const content = array.content;
    const espMember = members.get(name)?.find((member) => member.esp === true);
    const readable =
      array.level === 1 &&
      (array.metadata === "1.0" || array.metadata === "0.90") &&
      content?.type === "filesystem" &&
      content.format === "vfat";
    if (espMember !== undefined && !readable)
      problems.push({
        path,
        message: `an EFI system partition (${espMember.path}) is a member: firmware reads it only as a RAID1 with metadata = "1.0" (its superblock at the end) holding a vfat filesystem`,
      });
    if (content === undefined) continue;
    const place = mdadmPlace(name);
    const planner = deviceContentPlanner(content);
    problems.push(...planner.check(content, place));
    for (const { label } of planner.partitions(content, place)) {
      if (label === undefined) continue;
      const owner = labelsSeen.get(label.value);
      if (owner !== undefined)
        problems.push({
          path: label.path,
          message: `label ${JSON.stringify(label.value)} is also used on disk ${owner}: partition labels must be unique across disks`,
        });
      labelsSeen.set(label.value, `array ${name}`);
    }
  }
  return problems;
}

/** Volume groups: each physical volume names a declared group, each group has one, and each volume is whole. */
function checkVolumeGroups(devices: Devices): Problem[] {
  const problems: Problem[] = [];
  const pvs = stackMembers(devices, "lvm_pv");
  for (const [vg, of] of pvs) {
    if (Object.hasOwn(devices.lvm_vg, vg)) continue;
    for (const member of of)
      problems.push({
        path: `${member.path}.vg`,
        message: `there is no volume group ${JSON.stringify(vg)}: declare it under disko.devices.lvm_vg, or name one that is declared`,
      });
  }
  for (const [vg, group] of sortedVolumeGroups(devices)) {
    const path = childPath("disko.devices.lvm_vg", vg);
    if ((pvs.get(vg)?.length ?? 0) === 0)
      problems.push({
        path,
        message: `no physical volume belongs to volume group ${vg}: give a partition or a disk the content { type = "lvm_pv"; vg = "${vg}"; }`,
      });
    const volumes = resolveVolumes(vg, group);
    const names = new Map<string, string>();
    for (const resolved of volumes) {
      const other = names.get(resolved.name);
      if (other !== undefined)
        problems.push({
          path: `${resolved.path}.name`,
          message: `${resolved.name} is also the name of ${other}`,
        });
      names.set(resolved.name, resolved.path);
      const { volume } = resolved;
      if (volume.lvm_type === "thinlv") {
        const pool = volumes.find((candidate) => candidate.name === volume.pool);
        if (volume.pool === undefined || pool?.volume.lvm_type !== "thin-pool")
          problems.push({
            path: `${resolved.path}.pool`,
            message: `a thinlv lives in a thin pool: set pool to the name of a volume of ${vg} with lvm_type = "thin-pool"`,
          });
      } else if (volume.pool !== undefined) {
        problems.push({
          path: `${resolved.path}.pool`,
          message: 'only a volume with lvm_type = "thinlv" has a pool',
        });
      }
      if (volume.content !== undefined)
        problems.push(
          ...deviceContentPlanner(volume.content).check(volume.content, volumePlace(vg, resolved)),
        );
    }
  }
  return problems;
}
