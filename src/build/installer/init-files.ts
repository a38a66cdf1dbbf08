/**
 * Files of the installer that start it: busybox init runs `start`, which brings up devices, the network and
 * sshd. Fixed text; what differs per run (keys, addresses) comes in a second cpio under /etc/groundwork.
 */

export const INITTAB = `::sysinit:/etc/groundwork/start
::ctrlaltdel:/bin/busybox reboot -f
::shutdown:/bin/busybox umount -a -r
`;

/** udhcpc's hook: configure the address, route and DNS it was given. */
export const UDHCPC_SCRIPT = `#!/bin/sh
case "$1" in
deconfig)
  ip -4 addr flush dev "$interface"
  ip link set "$interface" up
  ;;
bound|renew)
  ip -4 addr flush dev "$interface"
  ip addr add "$ip/$mask" dev "$interface"
  if [ -n "\${router:-}" ]; then
    for gateway in $router; do ip route replace default via "$gateway" dev "$interface"; break; done
  fi
  if [ -n "\${dns:-}" ] && [ ! -s /etc/groundwork/network ]; then
    : > /etc/resolv.conf
    for server in $dns; do echo "nameserver $server" >> /etc/resolv.conf; done
  fi
  ;;
esac
exit 0
`;

export const START_SCRIPT = `#!/bin/sh
# groundwork installer: runs once at boot, from busybox init.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
say() { echo "groundwork installer: $*" > /dev/console; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || :
mkdir -p /dev/pts /dev/shm /run /tmp
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs tmpfs /dev/shm
[ -d /sys/firmware/efi/efivars ] && mount -t efivarfs efivarfs /sys/firmware/efi/efivars 2>/dev/null
say "starting ($(cat /etc/groundwork-installer))"

# Devices: udev loads the drivers of the hardware it finds.
/lib/systemd/systemd-udevd --daemon
udevadm trigger --action=add --type=subsystems
udevadm trigger --action=add --type=devices
udevadm settle --timeout=60 || :
for module in virtio_net virtio_blk virtio_scsi sd_mod ahci nvme e1000 e1000e; do modprobe -q "$module" 2>/dev/null || :; done
udevadm settle --timeout=30 || :

hostname groundwork-installer
ip link set lo up

# Network: static addresses from /etc/groundwork/network (kept from the system kexec replaced), else DHCP.
static=/etc/groundwork/network
if [ -s "$static" ]; then
  while read -r kind first second; do
    case "$kind" in
    address)
      for dev in /sys/class/net/*; do
        [ "$(cat "$dev/address" 2>/dev/null)" = "$first" ] || continue
        ip link set "\${dev##*/}" up
        ip addr add "$second" dev "\${dev##*/}"
      done
      ;;
    route)
      ip route replace $first $second || say "route $first $second failed"
      ;;
    nameserver)
      echo "nameserver $first" >> /etc/resolv.conf
      ;;
    esac
  done < "$static"
else
  for dev in /sys/class/net/*; do
    name=\${dev##*/}
    [ "$name" = lo ] && continue
    [ -e "$dev/device" ] || continue
    ip link set "$name" up
    busybox udhcpc -i "$name" -s /etc/groundwork/udhcpc -b -t 10 -T 2 -q >/dev/null 2>&1 || busybox udhcpc -i "$name" -s /etc/groundwork/udhcpc -b -t 30 -T 3 >/dev/null 2>&1 &
  done
fi

# SSH: the deployer's keys, and the host keys it gave (so known_hosts stays valid across kexec), else new ones.
mkdir -p /root/.ssh /run/sshd
chmod 700 /root/.ssh
cp /etc/groundwork/authorized_keys /root/.ssh/authorized_keys 2>/dev/null || say "no authorized keys: nobody can log in"
chmod 600 /root/.ssh/authorized_keys 2>/dev/null
for key in /etc/groundwork/ssh_host_*_key; do
  [ -f "$key" ] || continue
  cp "$key" "$key.pub" /etc/ssh/ 2>/dev/null
  chmod 600 "/etc/ssh/\${key##*/}"
done
ssh-keygen -A >/dev/null
# Users with a password and sudo, as a rescue system may have them.
passwords=no
if [ -s /etc/groundwork/users ]; then
  while read -r name hash; do
    id -u "$name" >/dev/null 2>&1 || useradd -m -s /bin/sh -G sudo "$name"
    usermod -p "$hash" "$name"
    passwords=yes
  done < /etc/groundwork/users
fi
port=$(cat /etc/groundwork/ssh_port 2>/dev/null || echo 22)
/usr/sbin/sshd -p "$port" -o PermitRootLogin=prohibit-password -o PasswordAuthentication=$passwords
say "sshd listens on port $port"
ip -br addr > /dev/console
`;
