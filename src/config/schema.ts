import { z } from "zod";
import { diskoSchema } from "../disk/devices.ts";
import { bootSchema } from "./options/boot.ts";
import { environmentSchema } from "./options/environment.ts";
import { networkingSchema } from "./options/networking.ts";
import { profilesSchema } from "./options/profiles.ts";
import { servicesSchema } from "./options/services.ts";
import { systemSchema } from "./options/system.ts";
import { systemdSchema } from "./options/systemd.ts";
import { timeSchema } from "./options/time.ts";
import { usersSchema } from "./options/users.ts";

/** Every option of a configuration: its type, default and description, in one place. */
export const configSchema = z
  .strictObject({
    boot: bootSchema,
    disko: diskoSchema.prefault({}).meta({ description: "The disk layout, as disko declares it." }),
    environment: environmentSchema,
    networking: networkingSchema,
    profiles: profilesSchema,
    services: servicesSchema,
    system: systemSchema,
    systemd: systemdSchema,
    time: timeSchema,
    users: usersSchema,
  })
  .meta({ description: "A groundwork machine configuration." });

/** A fully resolved configuration: every default filled in. */
export type Config = z.output<typeof configSchema>;
/** What modules may write: defaults may be left out. */
export type ConfigInput = z.input<typeof configSchema>;
