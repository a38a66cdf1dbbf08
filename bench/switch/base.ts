// The machine of bench/switch: examples/seed, with Python and python3-apt for Ansible's modules.
import { defineConfig } from "groundwork";

export default defineConfig({
  imports: ["../../examples/seed/configuration.ts"],
  environment: { systemPackages: ["python3", "python3-apt"] },
});
