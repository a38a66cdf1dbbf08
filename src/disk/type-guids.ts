/** The partition type GUIDs of the sgdisk codes layouts use most, to check a partition table read back from a disk. */
export const TYPE_GUIDS: Readonly<Record<string, string>> = {
  EF00: "c12a7328-f81f-11d2-ba4b-00a0c93ec93b",
  EF02: "21686148-6449-6e6f-744e-656564454649",
  "8300": "0fc63daf-8483-4772-8e79-3d69d8477de4",
  "8200": "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f",
  "8304": "4f68bce3-e8cd-4db1-96e7-fbcaf984b709",
  "8E00": "e6d6d379-f507-44c2-a23c-238f2a3df928",
  FD00: "a19d880f-05fc-4d3b-a006-743f0f84911e",
  "8309": "ca7d7ccb-63ed-4c53-861c-1742536059cc",
  "0700": "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7",
};
