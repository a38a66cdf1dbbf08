import { connect, createServer } from "node:net";

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Read the first line an SSH server sends on 127.0.0.1:`port`, or undefined when none comes within
 * `timeoutMs`. QEMU's user network accepts a forwarded connection even when nothing listens in the guest,
 * so only the banner says that sshd is up.
 */
export function readSshBanner(port: number, timeoutMs = 5000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let received = "";
    const done = (banner: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(banner);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      received += chunk;
      const end = received.indexOf("\n");
      if (end >= 0) done(received.slice(0, end).trim());
      else if (received.length > 255) done(undefined);
    });
    socket.on("error", () => done(undefined));
    socket.on("close", () => done(undefined));
  });
}
