#!/usr/bin/env bash
# Builds the binaries of Runway's test control plane (packages/control-plane) when they are missing, from the
# Go module proxy, into a machine-wide cache that every checkout of the repository (and CI's clean clone) shares:
#
#   ${RUNWAY_CONTROL_PLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/runway/control-plane}/bin/<name>-<key>
#
# <key> is a hash of the tools module (go.mod + go.sum) that pins the binary, so a version change builds anew and
# never reuses an older binary. Each binary comes from a tools module in packages/control-plane/tools/<module>
# that requires the upstream module at its pinned version and repeats its go.mod's `replace` block. A tools
# module whose go directive names a newer Go than the installed one
# gets that toolchain from the Go module proxy (GOTOOLCHAIN=auto).
#
#   scripts/ensure-control-plane.sh            build what is missing, print the manifest (JSON: name → path)
#   scripts/ensure-control-plane.sh --check    print the manifest, exit 1 (naming what is missing) if any is
#   scripts/ensure-control-plane.sh --times    build what is missing and print each build's seconds on stderr
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/packages/control-plane/tools"
cache=${RUNWAY_CONTROL_PLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/runway/control-plane}
mode=${1:-build}

if ! command -v go >/dev/null; then
  echo "ensure-control-plane: Go is required (see README.md prerequisites)" >&2
  exit 1
fi

# name | tools module | package | extra go flags
binaries=(
  "etcd|etcd|go.etcd.io/etcd/server/v3|"
  "kube-apiserver|kubernetes|k8s.io/kubernetes/cmd/kube-apiserver|kube"
  "kube-controller-manager|kubernetes|k8s.io/kubernetes/cmd/kube-controller-manager|kube"
  "kube-scheduler|kubernetes|k8s.io/kubernetes/cmd/kube-scheduler|kube"
  "kwok|kwok|sigs.k8s.io/kwok/cmd/kwok|"
  "rollouts-controller|argo-rollouts|github.com/argoproj/argo-rollouts/cmd/rollouts-controller|"
)

module_version() { # tools dir, module path → the required version
  awk -v m="$2" '$1 == m && $2 ~ /^v/ { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$1/go.mod"
}

key_of() { cat "$1/go.mod" "$1/go.sum" | sha256sum | cut -c1-12; }

missing=()
manifest="{"
sep=""
for entry in "${binaries[@]}"; do
  IFS='|' read -r name module pkg flags <<<"$entry"
  dir="$tools/$module"
  out="$cache/bin/$name-$(key_of "$dir")"
  if [ ! -x "$out" ]; then
    if [ "$mode" = --check ]; then
      missing+=("$name")
    else
      echo "ensure-control-plane: building $name ($pkg) into $cache/bin" >&2
      start=$(date +%s)
      ldflags=""
      if [ "$flags" = kube ]; then
        v=$(module_version "$dir" k8s.io/kubernetes)
        major=${v#v}; major=${major%%.*}
        minor=${v#v*.}; minor=${minor%%.*}
        pkgv=k8s.io/component-base/version
        ldflags="-X $pkgv.gitVersion=$v -X $pkgv.gitMajor=$major -X $pkgv.gitMinor=$minor -X $pkgv.gitTreeState=clean"
      fi
      tmp=$(mktemp -d)
      (cd "$dir" && GOTOOLCHAIN=auto GOFLAGS=-mod=mod GOBIN="$tmp" \
        go install -ldflags "-s -w $ldflags" "$pkg") >&2
      mkdir -p "$cache/bin"
      bin=$(basename "$pkg")
      # go install names a binary after the last path element that is not a major version (…/server/v3 → server).
      [[ $bin =~ ^v[0-9]+$ ]] && bin=$(basename "$(dirname "$pkg")")
      mv "$tmp/$bin" "$out"
      rm -rf "$tmp"
      [ "$mode" = --times ] && echo "ensure-control-plane: $name built in $(( $(date +%s) - start )) s" >&2
    fi
  fi
  manifest+="$sep\"$name\":\"$out\""
  sep=","
done
manifest+="}"

if [ ${#missing[@]} -gt 0 ]; then
  echo "ensure-control-plane: not built yet: ${missing[*]}; run scripts/ensure-control-plane.sh (or make test)" >&2
  exit 1
fi
echo "$manifest"
