#!/usr/bin/env bash
# Makes the services' base image from Debian packages alone (no container registry is needed):
# debootstrap's minbase bookworm -> localhost/distill-mesh/debian-minbase:bookworm, then Containerfile
# (jlink-trimmed Java 17, libgomp1, curl) -> localhost/distill-mesh/jre:17, saved as target/jre-base.tar for jib.
# An existing image is reused; DM_REBUILD_BASE=1 makes it anew.
set -euo pipefail
source "$(dirname "$0")/podman-env.sh"
dm_require_container_tools

minbase=localhost/distill-mesh/debian-minbase:bookworm
base=localhost/distill-mesh/jre:17
tar="$DM_IMAGES_DIR/target/jre-base.tar"
mkdir -p "$DM_IMAGES_DIR/target"

debian_mirror() {
  local uri
  uri=$(grep -hoE '^URIs:[[:space:]]*\S+' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1 || true)
  [ -n "$uri" ] || uri=$(grep -hoE '^deb\s+\S+' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

if [ -n "${DM_REBUILD_BASE:-}" ] || ! podman image exists "$base"; then
  if [ -n "${DM_REBUILD_BASE:-}" ] || ! podman image exists "$minbase"; then
    rootfs=$(mktemp -d /var/tmp/dm-minbase.XXXXXX)
    trap 'rm -rf "$rootfs"' EXIT
    echo "base: debootstrap minbase bookworm from $(debian_mirror)"
    debootstrap --variant=minbase bookworm "$rootfs" "$(debian_mirror)" >"$DM_IMAGES_DIR/target/debootstrap.log" 2>&1 \
      || { echo "debootstrap failed, see $DM_IMAGES_DIR/target/debootstrap.log" >&2; exit 1; }
    # packages installed later leave their docs, manuals and translations out too
    printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' \
      'path-exclude /usr/share/locale/*' 'path-include /usr/share/locale/locale.alias' >"$rootfs/etc/dpkg/dpkg.cfg.d/01-slim"
    tar -C "$rootfs" --exclude='./var/lib/apt/lists/*' --exclude='./var/cache/apt/*' --exclude='./usr/share/doc/*' \
      --exclude='./usr/share/man/*' --exclude='./usr/share/info/*' --exclude='./usr/share/locale/*' --exclude='./var/log/*' \
      -c . | podman import - "$minbase" >/dev/null
  fi
  echo "base: building $base (jlink-trimmed Java 17)"
  podman build -q --build-arg MINBASE="$minbase" -t "$base" -f "$DM_IMAGES_DIR/Containerfile" "$DM_IMAGES_DIR" >/dev/null
  podman image prune -f --filter label=distill-mesh.stage=jdk >/dev/null
fi
rm -f "$tar"
podman save -q -o "$tar" "$base"
echo "base: $base ($(podman image inspect --format '{{.Size}}' "$base" | awk '{printf "%.0f MB", $1/1e6}')) -> $tar"
