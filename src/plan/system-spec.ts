// The system spec is planned here and read back from machines (system.json), so its schema lives in the
// facts layer, below plan, where the parsers of machine state can use it too.
export {
  type EtcFileSpec,
  type InterfaceSpec,
  type NetworkSpec,
  type ServiceSpec,
  type SystemSpec,
  systemSpecSchema,
  type UserSpec,
} from "../facts/system-spec.ts";
