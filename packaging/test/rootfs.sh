#!/usr/bin/env bash
# Builds (once) and imports into Podman the Debian 12 image the systemd end-to-end test boots: debootstrap
# --variant=minbase with systemd as init, dbus and the package's dependencies (a Java 17 runtime, util-linux),
# from the Debian registry. The rootfs tarball is cached in $ROBOFLARE_CACHE (~/.cache/roboflare); its name
# carries a hash of the package list, so changing the list builds a new one. Prints the image name.
set -euo pipefail
CACHE=${ROBOFLARE_CACHE:-$HOME/.cache/roboflare}
MIRROR=${ROBOFLARE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
PACKAGES=systemd,systemd-sysv,dbus,openjdk-17-jre-headless,util-linux,procps
key=$(printf '%s %s' bookworm "$PACKAGES" | sha256sum | cut -c1-12)
tarball=$CACHE/debian12-systemd-$key.tar
image=localhost/roboflare-systemd-e2e:$key
mkdir -p "$CACHE"
if [[ ! -s $tarball ]]; then
  command -v debootstrap >/dev/null || { echo "rootfs: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
  root=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  trap 'rm -rf "$root"' EXIT
  echo "rootfs: debootstrap bookworm into $root (once; cached as $tarball)" >&2
  if ! debootstrap --variant=minbase --include="$PACKAGES" bookworm "$root" "$MIRROR" >"$root.log" 2>&1; then
    echo "rootfs: debootstrap failed; the end of its log:" >&2
    tail -30 "$root.log" >&2
    exit 1
  fi
  rm -f "$root.log"
  # no apt lists or caches in the image; a console-less container needs no getty
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  ln -sf /dev/null "$root/etc/systemd/system/getty@tty1.service"
  echo roboflare-e2e >"$root/etc/hostname"
  tar -C "$root" --numeric-owner -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
fi
if ! podman image exists "$image"; then
  podman import -q --change 'CMD ["/sbin/init"]' "$tarball" "$image" >/dev/null
fi
echo "$image"
