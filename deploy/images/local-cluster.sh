# Sourced by bin/local-cluster-*: names and helpers of the local cluster (k8s/overlays/local run by podman).
source "$(dirname "${BASH_SOURCE[0]}")/podman-env.sh"
DM_LOCAL_NETWORK=distill-mesh
DM_LOCAL_STATE="${DM_LOCAL_STATE:-/var/tmp/distill-mesh-local}"   # the rendered YAML and the API token
DM_LOCAL_SECRETS=(teacher-auth evaluator-auth distiller-auth)
DM_LOCAL_VOLUMES=(kafka-data mesh-artifacts)

# The IP of a pod's container on the mesh network: dm_pod_ip teacher
dm_pod_ip() {
  local container
  container=$(podman ps --filter "label=app.kubernetes.io/name=$1" --format '{{.Names}}' | head -1)
  [ -n "$container" ] || container=$(podman ps --format '{{.Names}}' | grep -E "^$1(-pod-0)?-" | grep -v -- '-infra$' | head -1)
  [ -n "$container" ] || return 1
  podman inspect --format "{{(index .NetworkSettings.Networks \"$DM_LOCAL_NETWORK\").IPAddress}}" "$container" 2>/dev/null \
    || podman inspect --format '{{.NetworkSettings.IPAddress}}' "$container"
}

# Waits until http://<pod>:<port>/health answers 200; prints what it waited for.
dm_await_health() {
  local pod=$1 port=$2 deadline=$(( $(date +%s) + ${3:-240} )) ip
  while [ "$(date +%s)" -lt "$deadline" ]; do
    ip=$(dm_pod_ip "$pod" || true)
    if [ -n "$ip" ] && curl -fsS -m 3 "http://$ip:$port/health" >/dev/null 2>&1; then
      echo "  $pod is up: http://$ip:$port/health"
      return 0
    fi
    sleep 2
  done
  echo "  $pod did not answer /health on port $port in time; its log:" >&2
  podman ps -a --format '{{.Names}}' | grep -E "^$pod(-pod-0)?-" | grep -v -- '-infra$' | while read -r c; do podman logs --tail 40 "$c" >&2; done
  return 1
}
