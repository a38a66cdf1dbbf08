/** What a target is, as the facts script found it. Plain data: planners decide from it, nothing here acts. */
export interface Facts {
  readonly architecture: string;
  readonly kernelRelease: string;
  readonly uid: number;
  readonly user: string;
  readonly hostName: string;
  readonly os: { readonly id: string; readonly versionId: string; readonly prettyName: string };
  readonly memoryBytes: number;
  readonly firmware: "bios" | "uefi";
  /** The groundwork installer's image hash, when the target runs it. */
  readonly installer: string | undefined;
  readonly kexec: { readonly loadDisabled: boolean | undefined; readonly supported: boolean };
  /** The kernel lockdown mode in force (`none`, `integrity`, `confidentiality`), when the kernel has one. */
  readonly lockdown: string | undefined;
  /** `xen` and its guest type (`PV`, `HVM`, `PVH`) on Xen; undefined elsewhere. */
  readonly hypervisor: { readonly type: string; readonly guestType: string } | undefined;
  /** The ports the running sshd is configured to listen on (empty when sshd -T could not tell). */
  readonly sshdPorts: readonly number[];
  readonly blockDevices: readonly BlockDevice[];
  readonly mounts: readonly { readonly source: string; readonly target: string; readonly fsType: string }[];
  readonly swaps: readonly string[];
  readonly tools: readonly string[];
  readonly addresses: readonly InterfaceFacts[];
  readonly routes: readonly RouteFacts[];
  readonly nameservers: readonly string[];
  /** Declared device paths and the kernel device each resolves to (empty when it does not exist). */
  readonly devices: Readonly<Record<string, string>>;
}

export interface BlockDevice {
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly type: string;
  readonly readOnly: boolean;
  readonly fsType: string | undefined;
  readonly mountpoint: string | undefined;
  readonly transport: string | undefined;
  readonly children: readonly BlockDevice[];
}

export interface InterfaceFacts {
  readonly name: string;
  readonly macAddress: string | undefined;
  readonly addresses: readonly {
    readonly address: string;
    readonly prefixLength: number;
    readonly family: "inet" | "inet6";
    /** `global`, `link`, `host`: only global addresses are carried through kexec. */
    readonly scope: string;
    readonly dynamic: boolean;
  }[];
}

export interface RouteFacts {
  readonly destination: string;
  readonly gateway: string | undefined;
  readonly device: string | undefined;
}
