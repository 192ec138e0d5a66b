#!/usr/bin/env bash
# Installs the tools the template harness runs on rendered repositories, when missing:
# helm and actionlint from the Go module proxy into .cache/tools (git-ignored), and
# shellcheck (used by actionlint) from Debian. Prints the tools folder.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.cache/tools"
mkdir -p "$tools"

HELM_VERSION=v3.22.0
ACTIONLINT_VERSION=v1.7.12

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
install_go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"
install_go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION"

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
