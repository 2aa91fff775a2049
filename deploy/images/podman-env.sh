# Sourced by the image and local-cluster scripts: podman with this project's settings, and root or a clear stop.
DM_IMAGES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export CONTAINERS_CONF="$DM_IMAGES_DIR/containers.conf"

# Installs the Debian packages the container path needs when they are missing (root only, as on CI).
dm_require_container_tools() {
  local missing=()
  for tool in podman runc catatonit debootstrap kubectl curl; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  # pods find each other by name (the broker is "kafka") through the CNI network's DNS plugin
  [ -x /usr/lib/cni/dnsname ] || missing+=(dnsname)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing: ${missing[*]} — install them (as root: apt-get install podman runc catatonit iptables debootstrap curl golang-github-containernetworking-plugin-dnsname; kubectl >= 1.27)" >&2
    return 1
  fi
  if [[ " ${missing[*]} " == *" kubectl "* ]]; then
    echo "kubectl (with its built-in kustomize) is missing; install kubectl >= 1.27" >&2
    return 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman runc catatonit iptables debootstrap curl golang-github-containernetworking-plugin-dnsname >/dev/null
}
