// The counterpart of nixpkgs' profiles/qemu-guest.nix: a machine that runs as a QEMU guest.
import { defineModule } from "groundwork";

export default defineModule({
  profiles: { qemuGuest: { enable: true } },
});
