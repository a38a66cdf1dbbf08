// The change bench/switch measures: one package, one user with a key, one file (the playbook does the same).
import { defineConfig } from "groundwork";

export default defineConfig({
  imports: ["./base.ts"],
  environment: {
    systemPackages: ["htop"],
    etc: { "bench.conf": { text: "switched = yes\n", mode: "0640" } },
  },
  users: {
    users: {
      bob: {
        isNormalUser: true,
        openssh: {
          authorizedKeys: {
            keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBobBobBobBobBobBobBobBobBobBobBobBobBobBob00 bob"],
          },
        },
      },
    },
  },
});
