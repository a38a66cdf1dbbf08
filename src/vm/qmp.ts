import { connect } from "node:net";
import { RunError } from "../errors/index.ts";

/**
 * Send one command to QEMU's QMP socket (`system_powerdown`, `system_reset`, `set_link`, `quit`) with its
 * arguments, and resolve with its return value. Each call opens its own connection: capabilities handshake,
 * command, answer.
 */
export function qmpCommand(
  socketPath: string,
  command: string,
  options: { readonly arguments?: Readonly<Record<string, unknown>>; readonly timeoutMs?: number } = {},
): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let buffered = "";
    let stage: "greeting" | "capabilities" | "command" = "greeting";
    const timer = setTimeout(
      () => finish(new RunError(`QEMU did not answer ${command} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const finish = (error: Error | undefined, value?: unknown) => {
      clearTimeout(timer);
      socket.destroy();
      if (error === undefined) resolve(value);
      else reject(error);
    };
    socket.setEncoding("utf8");
    socket.on("error", (error) =>
      finish(new RunError(`cannot reach QEMU's control socket: ${error.message}`)),
    );
    socket.on("data", (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
        const line = buffered.slice(0, end).trim();
        buffered = buffered.slice(end + 1);
        if (line === "") continue;
        const message = JSON.parse(line) as { QMP?: unknown; return?: unknown; error?: { desc?: string } };
        if (message.error !== undefined) {
          finish(
            new RunError(`QEMU refused ${command}: ${message.error.desc ?? JSON.stringify(message.error)}`),
          );
          return;
        }
        if (stage === "greeting" && message.QMP !== undefined) {
          stage = "capabilities";
          socket.write(`${JSON.stringify({ execute: "qmp_capabilities" })}\n`);
        } else if (stage === "capabilities" && "return" in message) {
          stage = "command";
          socket.write(
            `${JSON.stringify({ execute: command, ...(options.arguments === undefined ? {} : { arguments: options.arguments }) })}\n`,
          );
        } else if (stage === "command" && "return" in message) {
          finish(undefined, message.return);
        }
      }
    });
    // `quit` closes the socket before or instead of answering.
    socket.on("close", () => (stage === "command" && command === "quit" ? finish(undefined) : undefined));
  });
}
