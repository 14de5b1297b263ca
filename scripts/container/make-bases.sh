#!/usr/bin/env bash
# Makes the two local base images the container test builds on, where no image registry can be
# reached: Debian bookworm (minbase, by debootstrap from the machine's Debian mirror) with this
# machine's Node 20 (Debian's own Node is too old). The build base adds compilers, the Node
# headers and npm's settings (CA bundle, nodedir), so native addons build as they do on the host;
# the run base has Node only, as node:20-bookworm-slim does. Needs root, debootstrap and podman.
set -euo pipefail
cd "$(dirname "$0")"
source ./podman-env.sh

mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
mirror=${mirror:-$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null)}
mirror=${mirror:-http://deb.debian.org/debian}
node_bin=$(command -v node)
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
node_prefix=$(dirname "$(dirname "$node_bin")")

# $1 image, $2 extra Debian packages (comma-separated), $3 "build" to add npm and headers
make_base() {
  local image=$1 include=$2 kind=$3 root
  if podman image exists "$image"; then echo "base $image: exists"; return; fi
  root=$(mktemp -d "$CONTAINER_WORK/rootfs.XXXXXX")
  echo "base $image: debootstrap bookworm from $mirror${include:+ with $include}"
  debootstrap --variant=minbase ${include:+--include="$include"} bookworm "$root" "$mirror" >"$root.log" 2>&1 ||
    { tail -20 "$root.log"; exit 1; }
  install -m 0755 "$node_bin" "$root/usr/local/bin/node"
  if [ "$kind" = build ]; then
    mkdir -p "$root/usr/local/lib/node_modules" "$root/usr/local/include" "$root/usr/local/etc"
    cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
    ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
    ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
    cp -a "$node_prefix/include/node" "$root/usr/local/include/node"
    # The machine reaches the npm registry through its CA bundle; headers cannot be downloaded.
    mkdir -p "$root/etc/ssl/certs"
    cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
    printf 'cafile=/etc/ssl/certs/ca-certificates.crt\nnodedir=/usr/local\n' >"$root/usr/local/etc/npmrc"
  fi
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | podman import --change 'CMD ["node"]' - "$image" >/dev/null
  rm -rf "$root" "$root.log"
  echo "base $image: $(podman image inspect "$image" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"
}

make_base "$RUN_BASE_IMAGE" "" run
make_base "$BUILD_BASE_IMAGE" "g++,make,python3" build
