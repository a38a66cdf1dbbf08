/** The installed system as the activation script needs it: resolved, plain data, Debian's words. */
export interface SystemSpec {
  readonly hostName: string;
  readonly timeZone: string | undefined;
  readonly users: readonly UserSpec[];
  readonly openssh: {
    readonly enable: boolean;
    readonly permitRootLogin: string;
    readonly passwordAuthentication: boolean;
  };
  readonly network: NetworkSpec;
  /** Extra kernel command line, e.g. a serial console for QEMU guests. */
  readonly kernelParams: readonly string[];
  /** systemd units to enable, beyond those the packages enable. */
  readonly enableUnits: readonly string[];
  /** The packages the configuration asks for (environment.systemPackages): a switch removes those taken out. */
  readonly packages: readonly string[];
  /** Files below /etc (environment.etc), sorted by path. */
  readonly etc: readonly EtcFileSpec[];
  /** systemd.services, sorted by name. */
  readonly services: readonly ServiceSpec[];
}

export interface EtcFileSpec {
  /** Below /etc, without the leading /etc/. */
  readonly path: string;
  /** The content; a `source` file is read into it before anything renders. */
  readonly text: string;
  readonly mode: string;
  readonly user: string;
  readonly group: string;
}

export interface ServiceSpec {
  /** Without .service. */
  readonly name: string;
  readonly enable: boolean;
  /** The unit file groundwork writes to /etc/systemd/system, or undefined for a unit a package brings. */
  readonly unit: string | undefined;
  /** Targets it is wanted by, for the unit groundwork writes. */
  readonly wantedBy: readonly string[];
}

export interface UserSpec {
  readonly name: string;
  /** A login user with a home in /home (root is never one). */
  readonly isNormalUser: boolean;
  readonly groups: readonly string[];
  /** A crypt(3) hash, or undefined to leave the password locked. */
  readonly hashedPassword: string | undefined;
  readonly authorizedKeys: readonly string[];
}

export interface NetworkSpec {
  /** DHCP on every ethernet interface that has no static configuration. */
  readonly dhcp: boolean;
  readonly interfaces: readonly InterfaceSpec[];
  readonly defaultGateway: string | undefined;
  readonly nameservers: readonly string[];
}

export interface InterfaceSpec {
  /** Interface name (`ens3`), or a MAC address to match. */
  readonly name: string;
  readonly macAddress: string | undefined;
  /** `address/prefixLength`, IPv4 or IPv6. */
  readonly addresses: readonly string[];
  readonly dhcp: boolean;
}
