/**
 * The installer's /init: PID 1 of a Debian userland that runs from RAM. It mounts the kernel's filesystems,
 * lets udev load the drivers, brings up every ethernet interface, installs the keys of this run and keeps
 * sshd running, reaping every process that ends up as its child. Fixed text, part of the image's hash; what
 * differs per run comes in a second cpio under /etc/groundwork (see run-config.ts).
 */
export const INIT_SCRIPT = `#!/bin/sh
# groundwork installer: PID 1. Must never exit: the kernel panics when init does.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
umask 022
say() { echo "groundwork-installer: $*"; }
config=/etc/groundwork

mount -t proc -o nosuid,nodev,noexec proc /proc
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
mount -t devtmpfs -o mode=0755,nosuid devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm /run /tmp
mount -t devpts -o gid=5,mode=620 devpts /dev/pts
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mount -t tmpfs -o nosuid,nodev tmpfs /dev/shm
chmod 1777 /tmp
if [ -d /sys/firmware/efi/efivars ]; then mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2>/dev/null; fi
ln -sf /proc/self/mounts /etc/mtab
say "starting $(cat /etc/groundwork-installer), kernel $(uname -r), $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB of RAM"

# Devices: udev loads the drivers of the hardware it finds and makes /dev/disk/by-*.
/usr/lib/systemd/systemd-udevd --daemon --resolve-names=never
udevadm trigger --action=add --type=subsystems
udevadm trigger --action=add --type=devices
udevadm settle --timeout=60 || say "udev did not settle within 60 s; going on"
# Drivers a disk layout needs that no hardware asks for.
modprobe -a -q dm_mod dm_crypt md_mod raid0 raid1 raid10 2>/dev/null
udevadm settle --timeout=10 || :

hostname groundwork-installer
ip link set lo up

# Network: static addresses by MAC from $config/network (kept from the system kexec replaced), DHCP on the rest.
# The interface that has MAC address $1.
interface_of() {
  for dev in /sys/class/net/*; do
    [ "$(cat "$dev/address" 2>/dev/null)" = "$1" ] && echo "\${dev##*/}" && return 0
  done
  return 1
}
add_routes() {
  while read -r kind destination gateway mac; do
    [ "$kind" = route ] || continue
    if [ -n "$mac" ]; then
      dev=$(interface_of "$mac") || { say "no interface has MAC $mac for route $destination"; continue; }
      # onlink: providers route a /32 address through a gateway outside its subnet.
      ip route replace "$destination" via "$gateway" dev "$dev" onlink 2>/dev/null ||
        say "cannot add the route to $destination via $gateway"
    else
      ip route replace "$destination" via "$gateway" 2>/dev/null
    fi
  done < "$config/network"
}
static_macs=""
if [ -s "$config/network" ]; then
  : > /etc/resolv.conf
  while read -r kind first second rest; do
    case "$kind" in
    address)
      if dev=$(interface_of "$first"); then
        ip link set "$dev" up
        ip addr add "$second" dev "$dev" || say "cannot add $second to $dev"
        static_macs="$static_macs $first"
      else
        say "no interface has MAC $first for $second"
      fi
      ;;
    nameserver) echo "nameserver $first" >> /etc/resolv.conf ;;
    esac
  done < "$config/network"
  # Routes once every address is in place: a gateway is reachable only through an address on its subnet.
  add_routes
  ip route show default | grep -q . || say "the static configuration gives no default route"
fi
for dev in /sys/class/net/*; do
  name=\${dev##*/}
  # Ethernet (type 1) with a device behind it: not lo, bridges or tunnels.
  [ "$(cat "$dev/type" 2>/dev/null)" = 1 ] && [ -e "$dev/device" ] || continue
  case " $static_macs " in *" $(cat "$dev/address") "*) continue ;; esac
  ip link set "$name" up
  # Tries for 20 s, then keeps trying in the background; stays running to renew the lease.
  busybox udhcpc -i "$name" -s /usr/lib/groundwork/udhcpc -t 10 -T 2 -b -p "/run/udhcpc.$name.pid" >/dev/null 2>&1 &
done
wait

# SSH: the deployer's keys, and the host keys of this run (kept across kexec), else a new one.
mkdir -p /root/.ssh /run/sshd
chmod 700 /root/.ssh
if [ -s "$config/authorized_keys" ]; then
  cp "$config/authorized_keys" /root/.ssh/authorized_keys
  chmod 600 /root/.ssh/authorized_keys
else
  say "no authorized keys were given: nobody can log in as root"
fi
host_keys=""
for key in "$config"/ssh_host_*_key; do
  [ -f "$key" ] || continue
  cp "$key" /etc/ssh/
  [ -f "$key.pub" ] && cp "$key.pub" /etc/ssh/
  chmod 600 "/etc/ssh/\${key##*/}"
  host_keys="$host_keys -h /etc/ssh/\${key##*/}"
done
if [ -z "$host_keys" ]; then
  ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key
  host_keys="-h /etc/ssh/ssh_host_ed25519_key"
fi
# Users who log in with a password and use sudo, as on a rescue system.
passwords=no
if [ -s "$config/users" ]; then
  while read -r name hash; do
    id -u "$name" >/dev/null 2>&1 || useradd -m -s /bin/sh -G sudo "$name"
    usermod -p "$hash" "$name"
    passwords=yes
  done < "$config/users"
fi
port=$(cat "$config/ssh_port" 2>/dev/null || echo 22)

ip -br addr
ip route
for key in /etc/ssh/ssh_host_*_key.pub; do [ -f "$key" ] && ssh-keygen -l -f "$key"; done
say "sshd listens on port $port"

# PID 1 from here on: keep sshd running. \`wait\` calls wait(2) for any child, so it also reaps the
# processes that were orphaned and handed to init.
while :; do
  # shellcheck disable=SC2086
  /usr/sbin/sshd -D -e -p "$port" $host_keys -o PermitRootLogin=prohibit-password \\
    -o PasswordAuthentication=$passwords -o UseDNS=no -o PidFile=/run/sshd.pid &
  wait
  say "sshd stopped; starting it again"
  sleep 1
done
`;

/** busybox udhcpc's hook: configure the address, default route and DNS servers the DHCP server gave. */
export const UDHCPC_SCRIPT = `#!/bin/sh
case "$1" in
deconfig)
  ip -4 addr flush dev "$interface"
  ip link set "$interface" up
  ;;
bound|renew)
  ip -4 addr flush dev "$interface"
  ip addr add "$ip/\${mask:-24}" dev "$interface"
  # Static routes from the configuration win; the first DHCP router is the default route otherwise.
  if [ -n "\${router:-}" ] && [ -z "$(ip route show default)" ]; then
    for gateway in $router; do ip route add default via "$gateway" dev "$interface"; break; done
  fi
  if [ -n "\${dns:-}" ] && [ ! -s /etc/groundwork/network ]; then
    for server in $dns; do
      grep -qx "nameserver $server" /etc/resolv.conf 2>/dev/null || echo "nameserver $server" >> /etc/resolv.conf
    done
  fi
  ;;
esac
exit 0
`;
