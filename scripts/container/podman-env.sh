# Sourced by the container scripts: podman as measured on a machine without an image registry
# (no pulls; runc, since crun fails on hybrid cgroups; no default ulimits, which podman may not set
# here). A private containers.conf keeps the machine's own podman settings untouched.
CONTAINER_WORK=${CONTAINER_WORK:-/var/tmp/miniscope-container}
mkdir -p "$CONTAINER_WORK"
cat >"$CONTAINER_WORK/containers.conf" <<'CONF'
[containers]
default_ulimits = []
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$CONTAINER_WORK/containers.conf"
BUILD_BASE_IMAGE=localhost/miniscope-base:build
RUN_BASE_IMAGE=localhost/miniscope-base:run
