#!/usr/bin/env bash
# Whole-image A/B updates (full_image_ab) booted for real: a QEMU PC (TCG; a Linux kernel under KVM hangs on our
# CI machines) with one virtio disk — GPT: 1 boot (ext2: GRUB, grub.cfg sourcing the shipped
# packaging/bootloader/grub-ab.cfg, grubenv), 2 and 3 the root slots, 4 data (/data: agent.conf, token, state),
# 5 BIOS boot (GRUB's core) — GRUB installed by grub-install, Debian's kernel and a debootstrap root with the
# agent's .deb, the shipped control plane on the host (the guest reaches it at 10.0.2.2, QEMU user networking).
# One VM session runs the cases in order; the console (serial, journald forwards to it) is the guest's log:
#   0. boot slot 2, an app release is applied (the app every OS update is watched with)
#   a. a good image: written to slot 3, reported applied only after the reboot into slot 3
#   b. an image whose app crashes: slot 2 boots, the app exits, the agent reverts and reboots → rolled_back, slot 3
#   c. an image that does not boot (its /sbin/init is /bin/false: kernel panic, panic=5): GRUB counts the boot,
#      falls back to slot 3 past bootlimit (1 here) → rolled_back "the new OS did not boot"
#   d. power cut (QEMU monitor system_reset) during the write: the old slot boots, the agent resumes the write
#      from the fsynced download and the deployment ends applied (slot 2)
# Images are cached in $ROBOFLARE_CACHE (~/.cache/roboflare): the guest's base rootfs by its package list, the
# disk and the update images by the .deb, this script and the GRUB files; a second run only copies the disk.
# Run by packaging/test/run. Needs root (losetup, mount, chroot). Fails loudly with the console's tail.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/lib/prerequisites.sh
source scripts/lib/prerequisites.sh
ensure_commands qemu-system-x86_64:qemu-system-x86 grub-install:grub2-common debootstrap:debootstrap \
  sfdisk:fdisk mkfs.ext4:e2fsprogs curl:curl dpkg-deb:dpkg fakeroot:fakeroot zip:zip openssl:openssl
ensure_files /usr/lib/grub/i386-pc/boot.img:grub-pc-bin
[[ $(id -u) == 0 ]] || { echo "ab-boot-e2e: needs root (losetup, mount, chroot)" >&2; exit 1; }

CACHE=${ROBOFLARE_CACHE:-$HOME/.cache/roboflare}
MIRROR=${ROBOFLARE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# the guest: systemd, a Java 17 runtime for the agent (the JDK only for jlink, see base_tar), Debian's kernel,
# grub-editenv
PACKAGES=systemd,systemd-sysv,udev,dbus,openjdk-17-jre-headless,openjdk-17-jdk-headless,procps,linux-image-amd64,initramfs-tools,grub-common,e2fsprogs,kmod
# the modules the agent's jar uses (jdeps --print-module-deps) and the TLS/zip providers it loads by name
JRE_MODULES=java.base,java.compiler,java.desktop,java.logging,java.naming,java.security.jgss,java.sql,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.unsupported,jdk.zipfs
t0=$SECONDS
step() { echo "==> [$((SECONDS - t0))s] $*"; }
work=$(mktemp -d /tmp/roboflare-ab-boot.XXXXXX)
qemu_pid="" cp_pid="" loop=""
console=$work/console.log
fail() {
  echo "ab-boot-e2e: FAILED: $*" >&2
  echo "---- guest console (last 80 lines)" >&2
  tail -n 80 "$console" 2>/dev/null | tr -d '\r' >&2 || true
  echo "---- control plane log (last 20 lines)" >&2
  tail -n 20 "$work/control-plane.log" >&2 2>/dev/null || true
  exit 1
}
cleanup() {
  [[ -n $qemu_pid ]] && kill "$qemu_pid" 2>/dev/null && wait "$qemu_pid" 2>/dev/null || true
  [[ -n $cp_pid ]] && kill "$cp_pid" 2>/dev/null && wait "$cp_pid" 2>/dev/null || true
  [[ -n $loop ]] && losetup -d "$loop" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

in_root() { # ROOT CMD...: CMD chrooted into ROOT with /proc, /sys and /dev mounted in a private mount namespace
  local root=$1
  shift
  unshare --mount --propagation private sh -ec 'r=$1; shift; mount -t proc proc "$r/proc"; mount -t sysfs sys "$r/sys"
    mount --rbind /dev "$r/dev"; exec chroot "$r" "$@"' in_root "$root" "$@"
}

# ---- the guest's base rootfs (debootstrap once, cached by the package list) ----
base_tar() {
  local key tarball root
  key=$(printf '%s %s %s ab-guest-3' bookworm "$PACKAGES" "$JRE_MODULES" | sha256sum | cut -c1-12)
  tarball=$CACHE/debian12-ab-guest-$key.tar
  if [[ ! -s $tarball ]]; then
    mkdir -p "$CACHE"
    root=$(mktemp -d "$CACHE/ab-guest.XXXXXX")
    echo "    debootstrap bookworm into $root (once; cached as $tarball)" >&2
    if ! debootstrap --variant=minbase --include="$PACKAGES" bookworm "$root" "$MIRROR" >"$root.log" 2>&1; then
      tail -30 "$root.log" >&2
      rm -rf "$root"
      fail "debootstrap failed (its log's end above)"
    fi
    # Every byte of an image goes through the guest's emulated CPU several times (download, hash, write, read
    # back), so the root is kept small: the JRE replaced by a jlink'd runtime of the agent's modules (76 instead
    # of 184 MiB), a small initrd (the virtio disk and ext4 only), the kernel's modules pruned to what this guest
    # loads, no apt lists, docs, hwdb or gconv.
    in_root "$root" /usr/lib/jvm/java-17-openjdk-amd64/bin/jlink --add-modules "$JRE_MODULES" \
      --strip-java-debug-attributes --no-header-files --no-man-pages --output /opt/jre >/dev/null ||
      fail "jlink in the guest's root failed"
    rm -rf "$root/usr/lib/jvm/java-17-openjdk-amd64"
    mv "$root/opt/jre" "$root/usr/lib/jvm/java-17-openjdk-amd64"
    # the runtime's own class-data sharing archive: the JVM starts faster under emulation, and the agent's
    # make-cds-archive (postinst, ExecStartPre) builds on it
    in_root "$root" /usr/lib/jvm/java-17-openjdk-amd64/bin/java -Xshare:dump >/dev/null || fail "java -Xshare:dump failed"
    echo 'MODULES=list' >"$root/etc/initramfs-tools/conf.d/roboflare-e2e.conf"
    printf '%s\n' virtio_pci virtio_blk ext4 >>"$root/etc/initramfs-tools/modules"
    kver=$(basename "$root"/lib/modules/*)
    (cd "$root/lib/modules/$kver/kernel" && find . -name '*.ko' | grep -Ev \
      '^\./(fs/(ext4|jbd2|mbcache)|lib/(crc|libcrc)|crypto/|arch/x86/crypto/|drivers/(virtio|block/virtio|net/(virtio_net|net_failover)|char/hw_random)|net/core/failover)' |
      xargs rm -f)
    in_root "$root" depmod "$kver"
    in_root "$root" update-initramfs -u -k "$kver" >/dev/null 2>&1 || fail "update-initramfs failed in $root"
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* \
      "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/locale/* "$root"/boot/initrd.img-*.bak \
      "$root"/usr/lib/udev/hwdb.bin "$root"/usr/lib/udev/hwdb.d "$root"/usr/lib/x86_64-linux-gnu/gconv
    tar -C "$root" --numeric-owner -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf "$root" "$root.log"
  fi
  echo "$tarball"
}

# ---- the disk and the update images (cached by the .deb, this script and the GRUB files) ----
# The agent's config lives on the data partition (/etc/roboflare/agent.conf is a link to /data/agent.conf), so the
# control plane's port and the robot's token, new at every run, need no new image.
make_root() { # TARBALL DEB DIR: the rootfs every image starts from
  local tarball=$1 deb=$2 root=$3
  mkdir -p "$root"
  tar -C "$root" -xf "$tarball"
  cp "$deb" "$root/tmp/agent.deb"
  in_root "$root" dpkg -i /tmp/agent.deb >/dev/null || fail "dpkg -i of the agent in the guest's root failed"
  rm "$root/tmp/agent.deb"
  ln -sf /data/agent.conf "$root/etc/roboflare/agent.conf"
  mkdir -p "$root/data" "$root/etc/systemd/system/roboflare-agent.service.d" "$root/etc/systemd/journald.conf.d" \
    "$root/etc/systemd/network"
  install -m 0644 packaging/bootloader/roboflare-agent-grub.conf \
    "$root/etc/systemd/system/roboflare-agent.service.d/grub.conf"
  printf '[Unit]\nRequiresMountsFor=/data /boot\n' >"$root/etc/systemd/system/roboflare-agent.service.d/e2e.conf"
  cat >"$root/etc/fstab" <<'EOF'
/dev/root / ext4 rw,noatime 0 0
/dev/vda1 /boot ext2 rw,noatime 0 0
/dev/vda4 /data ext4 rw,noatime 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
EOF
  printf '[Match]\nName=en*\n[Network]\nDHCP=ipv4\n' >"$root/etc/systemd/network/10-e2e.network"
  # the guest's log on the serial console, which is all the test reads
  printf '[Journal]\nForwardToConsole=yes\nTTYPath=/dev/ttyS0\nMaxLevelConsole=info\nStorage=volatile\n' \
    >"$root/etc/systemd/journald.conf.d/e2e.conf"
  cat >"$root/etc/systemd/system/e2e-banner.service" <<'EOF'
[Unit]
Description=Roboflare e2e: say which slot and which image booted
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "roboflare-e2e: booted $(grep -o "root=[^ ]*" /proc/cmdline) os=$(cat /etc/roboflare-e2e-os)" >/dev/ttyS0'
[Install]
WantedBy=multi-user.target
EOF
  echo roboflare-ab-e2e >"$root/etc/hostname"
  in_root "$root" systemctl enable roboflare-agent systemd-networkd e2e-banner >/dev/null 2>&1
  in_root "$root" systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
    serial-getty@ttyS0.service getty@tty1.service systemd-networkd-wait-online.service >/dev/null 2>&1
}

ext4_image() { # DIR FILE: an ext4 file system of DIR's files with a little room to spare
  local mb
  mb=$(($(du -sm "$1" | cut -f1) * 110 / 100 + 24))
  mkfs.ext4 -q -F -L roboflare-root -d "$1" "$2" "${mb}M"
}

ot2_zip() { # ROOTFS ZIP: Opentrons' OT-2 form, signed with $keys/robot.key (the guest trusts robot.crt)
  local d=$work/zip
  rm -rf "$d" && mkdir -p "$d"
  mv "$1" "$d/rootfs.ext4"
  sha256sum "$d/rootfs.ext4" | cut -c1-64 >"$d/rootfs.ext4.hash"
  openssl dgst -sha256 -sign "$keys/robot.key" -out "$d/rootfs.ext4.hash.sig" "$d/rootfs.ext4.hash"
  echo '{"robot_type": "OT-2 Standard", "buildroot_version": "e2e"}' >"$d/VERSION.json"
  (cd "$d" && zip -q -1 "$2" rootfs.ext4 rootfs.ext4.hash rootfs.ext4.hash.sig VERSION.json)
  rm -rf "$d"
}

build_images() { # TARBALL DEB DIR: DIR/disk.raw, DIR/{good,crash}.zip (OT-2 form), DIR/noboot.img (raw)
  local out=$3 root=$work/root s size slot
  keys=$work/keys
  mkdir -p "$keys"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$keys/robot.key" -out "$keys/robot.crt" -days 3650 \
    -subj /CN=roboflare-e2e-image-signing >/dev/null 2>&1 || fail "openssl could not make the signing key"
  make_root "$1" "$2" "$root"
  install -m 0644 "$keys/robot.crt" "$root/etc/opentrons-robot-signing-key.crt"
  echo '{"robot_type": "OT-2 Standard"}' >"$root/etc/VERSION.json"
  echo base >"$root/etc/roboflare-e2e-os"
  ext4_image "$root" "$work/base.img"
  echo good >"$root/etc/roboflare-e2e-os"
  ext4_image "$root" "$work/good.img"
  echo crash >"$root/etc/roboflare-e2e-os"
  touch "$root/etc/roboflare-e2e-app-breaks"
  ext4_image "$root" "$work/crash.img"
  size=0
  for s in "$work"/*.img; do (($(stat -c %s "$s") > size)) && size=$(stat -c %s "$s"); done
  ot2_zip "$work/good.img" "$out/good.zip"
  ot2_zip "$work/crash.img" "$out/crash.zip"
  # an OS that does not boot: a kernel and its initrd but no init, so the initrd gives up (panic=5: reboot)
  mkdir -p "$work/noboot/boot" "$work/noboot/dev" "$work/noboot/proc" "$work/noboot/sys" "$work/noboot/run"
  cp "$root"/boot/vmlinuz-* "$root"/boot/initrd.img-* "$work/noboot/boot/"
  ln -s "boot/$(basename "$root"/boot/vmlinuz-*)" "$work/noboot/vmlinuz"
  ln -s "boot/$(basename "$root"/boot/initrd.img-*)" "$work/noboot/initrd.img"
  ext4_image "$work/noboot" "$out/noboot.img"
  rm -rf "$root" "$work/noboot"

  slot=$((size / 1048576 + 16))
  truncate -s "$((16 + 2 * slot + 3072 + 4))M" "$out/disk.raw"
  sfdisk -q "$out/disk.raw" <<EOF
label: gpt
start=2048, size=16MiB, name=boot
size=${slot}MiB, name=slot-a
size=${slot}MiB, name=slot-b
size=3072MiB, name=data
size=1MiB, type=21686148-6449-6E6F-744E-656564454649, name=bios-grub
EOF
  loop=$(losetup -P --show -f "$out/disk.raw")
  # in a container the kernel may not have made the partitions' nodes yet (or at all): ask for them
  for _ in 1 2 3 4 5 6 7 8 9 10; do [[ -b ${loop}p5 ]] && break; partx -a "$loop" 2>/dev/null || true; sleep 0.2; done
  [[ -b ${loop}p5 ]] || fail "no partition devices for $loop (losetup -P, partx -a)"
  mkfs.ext2 -q -L boot "${loop}p1"
  mkdir -p "$work/boot"
  mount "${loop}p1" "$work/boot"
  grub-install --target=i386-pc --boot-directory="$work/boot" --modules="part_gpt ext2 biosdisk serial" \
    --no-floppy "$loop" >"$work/grub-install.log" 2>&1 || { cat "$work/grub-install.log" >&2; fail "grub-install"; }
  install -m 0644 packaging/bootloader/grub-ab.cfg "$work/boot/grub/roboflare-ab.cfg"
  cat >"$work/boot/grub/grub.cfg" <<'EOF'
serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial
set timeout=0
set roboflare_disk=hd0,gpt
set roboflare_root=/dev/vda
set roboflare_args="console=ttyS0 panic=5 quiet"
source ${prefix}/roboflare-ab.cfg
EOF
  grub-editenv "$work/boot/grub/grubenv" create
  grub-editenv "$work/boot/grub/grubenv" set root_part=2 bootlimit=1 upgrade_available=0
  umount "$work/boot"
  dd if="$work/base.img" of="${loop}p2" bs=4M conv=fsync status=none
  mkfs.ext4 -q -L data "${loop}p4"
  losetup -d "$loop"
  loop=""
  rm -f "$work/base.img"
}

step "the jars (built if missing) and the agent's .deb"
if [[ ! -f control-plane/target/roboflare-control-plane.jar || ! -f agent/target/roboflare-agent.jar ]]; then
  mvn -B -q -pl control-plane,agent -am package -DskipTests
fi
deb=$(scripts/package 2>/dev/null)
cp "$deb" "$work/agent.deb"

step "the guest's base rootfs (debootstrap once, then cached)"
tarball=$(base_tar)
key=$( (sha256sum "$work/agent.deb" | cut -c1-64; echo "$tarball"; cat "$0" packaging/bootloader/grub-ab.cfg \
  packaging/bootloader/roboflare-agent-grub.conf) | sha256sum | cut -c1-12)
images=$CACHE/ab-boot-e2e-$key
if [[ ! -s $images/disk.raw ]]; then
  step "building the disk and the update images (once for this .deb; cached in $images)"
  rm -rf "$CACHE"/ab-boot-e2e-*
  mkdir -p "$images.tmp"
  build_images "$tarball" "$work/agent.deb" "$images.tmp"
  mv "$images.tmp" "$images"
fi
cp --sparse=always "$images/disk.raw" "$work/disk.raw"
echo "    images: $(for f in "$images"/*.zip "$images"/*.img; do printf '%s %s MiB  ' "$(basename "$f")" $(($(stat -c %s "$f") / 1048576)); done)"

step "starting the control plane on the host"
# shellcheck source=scripts/lib/control-plane.sh
source scripts/lib/control-plane.sh
cp_launch control-plane/target/roboflare-control-plane.jar "$work/cp" "$work/control-plane.log" \
  || fail "the control plane exited at start"
cp_pid=$CP_PID
port=${CP_URL##*:}
robot_json=$(api POST /api/robots -H 'Content-Type: application/json' -d '{"name":"e2e-ab-boot"}')
robot_id=$(field id <<<"$robot_json")
robot_token=$(field token <<<"$robot_json")

step "the data partition: agent.conf (control plane at 10.0.2.2:$port), the token"
mkdir -p "$work/data"
cat >"$work/data/agent.conf" <<EOF
control-plane=http://10.0.2.2:$port
token-file=/data/robot-token
state-dir=/data/roboflare-agent
launcher=process
poll-interval=1s
watch-window=10s
robot-id=e2e-ab-boot
slot-variable=root_part
slots=2=/dev/vda2,3=/dev/vda3
boot-env=grub
boot-env-config=/boot/grub/grubenv
EOF
install -m 0640 /dev/null "$work/data/robot-token"
echo "$robot_token" >"$work/data/robot-token"
read -r dstart dsize < <(partx -g -o START,SECTORS -n 4 "$work/disk.raw")
loop=$(losetup --show -f -o $((dstart * 512)) --sizelimit $((dsize * 512)) "$work/disk.raw")
mkfs.ext4 -q -F -L data -d "$work/data" "$loop"
losetup -d "$loop"
loop=""

step "booting the guest (TCG) from slot 2"
mkfifo "$work/mon.in" "$work/mon.out"
qemu-system-x86_64 -machine pc -accel tcg -cpu max -smp 2 -m 1536 -display none -vga none \
  -serial "file:$console" -monitor "pipe:$work/mon" \
  -drive "file=$work/disk.raw,format=raw,if=virtio,cache=unsafe" \
  -netdev user,id=n0 -device virtio-net-pci,netdev=n0 >"$work/qemu.log" 2>&1 &
qemu_pid=$!
cat "$work/mon.out" >/dev/null &
monitor() { echo "$1" >"$work/mon.in"; }

boots() { local n=0; [[ -f $console ]] && n=$(grep -c 'roboflare-e2e: booted' "$console" || true); echo "$n"; }
last_boot() { grep -o 'roboflare-e2e: booted.*' "$console" | tail -1 | tr -d '\r'; }
await_boot() { # N TIMEOUT_S: until the Nth boot banner
  local i
  for ((i = 0; i < $2 * 2; i++)); do
    (($(boots) >= $1)) && return 0
    kill -0 "$qemu_pid" 2>/dev/null || fail "QEMU exited: $(cat "$work/qemu.log")"
    sleep 0.5
  done
  fail "boot $1 did not come within $2 s"
}
status_of() { api GET "/api/deployments/$1" | field status; }
await_final() { # DEPLOYMENT TIMEOUT_S -> final status
  local status="" i
  for ((i = 0; i < $2; i++)); do
    status=$(status_of "$1")
    case $status in applied | failed | rolled_back) echo "$status"; return 0 ;; esac
    sleep 1
  done
  echo "timeout (last status: $status)"
}
await_console() { # REGEX TIMEOUT_S
  local i
  for ((i = 0; i < $2 * 2; i++)); do
    tr -d '\r' <"$console" | grep -Eq "$1" && return 0
    sleep 0.5
  done
  fail "the console never showed /$1/ within $2 s"
}
# await_boot_not_final N DEPLOYMENT TIMEOUT_S: until the Nth boot banner; the deployment must not be final before
await_boot_not_final() {
  local i s
  for ((i = 0; i < $3; i++)); do
    (($(boots) >= $1)) && return 0
    s=$(status_of "$2")
    case $s in applied | failed | rolled_back) fail "deployment $2 is $s before boot $1: $(api GET "/api/deployments/$2/events")" ;; esac
    kill -0 "$qemu_pid" 2>/dev/null || fail "QEMU exited: $(cat "$work/qemu.log")"
    sleep 1
  done
  fail "boot $1 did not come within $3 s"
}
expect_boot() { # ROOT OS
  [[ $(last_boot) == "roboflare-e2e: booted root=$1 os=$2" ]] || fail "expected root=$1 os=$2, booted: $(last_boot)"
  echo "    $(last_boot)"
}
upload_image() { # FILE NAME -> artifact id
  api POST "/api/artifacts?kind=full_image_ab&name=$2" --data-binary "@$1" | field id
}
release() { # ARTIFACT_ID SEMVER [MANIFEST] -> release id
  api POST /api/releases -H 'Content-Type: application/json' \
    -d "{\"artifact_id\":\"$1\",\"semver\":\"$2\",\"notes\":\"e2e\",\"manifest_json\":${3:-{\}}}" | field id
}
deploy() { # RELEASE_ID -> deployment id
  api POST /api/deployments -H 'Content-Type: application/json' -H "Idempotency-Key: e2e-$1" \
    -d "{\"release_id\":\"$1\",\"target_kind\":\"robot\",\"target_id\":\"$robot_id\"}" | field id
}
events() { api GET "/api/deployments/$1/events"; }

await_boot 1 300
expect_boot /dev/vda2 base
step "0. an app release (exits at once where /etc/roboflare-e2e-app-breaks exists) is applied on slot 2"
mkdir -p "$work/app/bin"
printf '#!/bin/sh\nif [ -e /etc/roboflare-e2e-app-breaks ]; then echo "app: this OS breaks me"; exit 3; fi\nexec sleep 100000\n' \
  >"$work/app/bin/app"
chmod 755 "$work/app/bin/app"
tar -C "$work/app" -czf "$work/app.tar.gz" .
app_artifact=$(api POST "/api/artifacts?kind=app_tarball&name=lab-app" --data-binary "@$work/app.tar.gz" | field id)
d0=$(deploy "$(release "$app_artifact" 1.0.0 '{"entrypoint":["bin/app"]}')")
s=$(await_final "$d0" 240)
[[ $s == applied ]] || fail "the app deployment $d0 ended $s: $(events "$d0")"

step "a. a good image: applied only after the reboot into slot 3"
da=$(deploy "$(release "$(upload_image "$images/good.zip" ot2-system.zip)" 2.0.0)")
await_boot_not_final 2 "$da" 600
expect_boot /dev/vda3 good
s=$(await_final "$da" 240)
[[ $s == applied ]] || fail "deployment $da (good image) ended $s: $(events "$da")"

step "b. an image whose app crashes: slot 2 boots, the app exits, back to slot 3 → rolled_back"
db=$(deploy "$(release "$(upload_image "$images/crash.zip" ot2-system.zip)" 3.0.0)")
await_boot_not_final 3 "$db" 600
expect_boot /dev/vda2 crash
await_boot_not_final 4 "$db" 300
expect_boot /dev/vda3 good
s=$(await_final "$db" 240)
[[ $s == rolled_back ]] || fail "deployment $db (crashing app) ended $s: $(events "$db")"
echo "    $(events "$db" | grep -o '"detail":"[^"]*"' | tail -1)"

step "c. an image that does not boot: kernel panic, GRUB falls back to slot 3 → rolled_back"
dc=$(deploy "$(release "$(upload_image "$images/noboot.img" noboot.img)" 4.0.0)")
await_boot_not_final 5 "$dc" 900
expect_boot /dev/vda3 good
tr -d '\r' <"$console" | grep -q 'roboflare: slot 2 did not come up' || fail "GRUB did not say it fell back"
s=$(await_final "$dc" 240)
[[ $s == rolled_back ]] || fail "deployment $dc (image that does not boot) ended $s: $(events "$dc")"
events "$dc" | grep -q 'the new OS did not boot' || fail "no 'the new OS did not boot' in $(events "$dc")"

step "d. power cut (system_reset) during the write: slot 3 boots again, the write resumes → applied on slot 2"
dd_=$(deploy "$(release "$(upload_image "$images/good.zip" ot2-system.zip)" 5.0.0)")
await_console 'release=5\.0\.0 step=verify outcome=ok' 600
sleep 2 # into the write (several seconds for these images under TCG)
monitor system_reset
written_before_reset=$(tr -d '\r' <"$console" | grep -c 'release=5\.0\.0 step=write outcome=ok' || true)
((written_before_reset == 0)) || fail "the write had already ended when the power was cut; the case tested nothing"
await_boot 6 300
expect_boot /dev/vda3 good
s=$(await_final "$dd_" 900)
# the verified download is fsynced, so the write resumes from intact bytes and the update goes through
[[ $s == applied ]] || fail "deployment $dd_ after the power cut ended $s: $(events "$dd_")"
expect_boot /dev/vda2 good

step "A/B boot end-to-end: all cases passed ($(boots) boots)"
