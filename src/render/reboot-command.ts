import { quote } from "./quote.ts";

/** Reboot without waiting: the connection drops as the machine goes down. */
export function renderRebootCommand(): string {
  const reboot =
    "sync; (sleep 2; if [ -d /run/systemd/system ]; then systemctl reboot; else reboot -f; fi) </dev/null >/dev/null 2>&1 &";
  return `sh -c ${quote(reboot)}`;
}

/** Print the host name the running kernel has. */
export const HOST_NAME_COMMAND = "cat /proc/sys/kernel/hostname";
