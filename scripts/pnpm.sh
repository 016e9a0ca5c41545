#!/usr/bin/env bash
# Runs the pnpm pinned in package.json's packageManager through npx, so a machine with only Node and npm
# needs nothing installed by hand (corepack's signature check fails against some registry mirrors).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$(node -p "require('$root/package.json').packageManager.split('@')[1]")"
export npm_config_loglevel=error npm_config_update_notifier=false
exec npx --yes "pnpm@$version" "$@"
