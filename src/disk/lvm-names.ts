import { checkedString } from "./checked-string.ts";

/**
 * A volume group's or logical volume's name: LVM allows letters, digits and `+_.-`, not starting with `-`, and
 * the device is /dev/<vg>/<lv>, so neither may be `.` or `..`.
 */
function lvmNameSchema(what: string, example: string) {
  return checkedString((name) =>
    /^[A-Za-z0-9+_.][A-Za-z0-9+_.-]{0,63}$/.test(name) && name !== "." && name !== ".."
      ? undefined
      : `${JSON.stringify(name)} is not ${what}: give up to 64 letters, digits, "+", "_", "." or "-", not starting with "-", e.g. "${example}"`,
  );
}

export const volumeGroupNameSchema = lvmNameSchema("a volume group name", "pool");
export const logicalVolumeNameSchema = lvmNameSchema("a logical volume name", "root");
