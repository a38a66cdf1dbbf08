/** Serial → the kernel's name, from the output of render's `renderDiskNamesScript`. */
export function parseDiskNames(output: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const line of output.split("\n")) {
    const [serial, device] = line.trim().split(" ");
    if (serial !== undefined && serial !== "" && device !== undefined && device !== "-")
      names.set(serial, device);
  }
  return names;
}
