#!/usr/bin/env bash
# Everything the demo and the tests need, installed by the project itself:
# system tools (git, ssh, sshd), npm packages from the lockfile, the TypeScript build,
# and the Pulumi CLI (scripts/setup-pulumi.sh). Safe to run again: each step is skipped
# when its result is already there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "[setup] $*" >&2; }

missing=()
command -v git >/dev/null || missing+=(git)
command -v ssh >/dev/null && command -v ssh-keygen >/dev/null || missing+=(openssh-client)
[ -x /usr/sbin/sshd ] || command -v sshd >/dev/null || missing+=(openssh-server)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing system packages: ${missing[*]}"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    log "missing system packages: ${missing[*]}. Install them (e.g. 'sudo apt-get install ${missing[*]}') and run again."
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund >&2
fi

# Build mode: it compares the sources with dist/.tsbuildinfo and returns at once when nothing changed,
# recompiles only what did otherwise. The build info lives in dist/, so removing dist/ starts over.
log "compiling TypeScript (incremental)"
npx tsc -b tsconfig.json >&2

log "setting up the Pulumi CLI"
bash scripts/setup-pulumi.sh >/dev/null
bash scripts/setup-sdks.sh >/dev/null  # the Python environment, SDK generator and Go modules the SDKs need
bash scripts/setup-actionlint.sh >/dev/null  # the linter the release workflow's test runs
log "ready"
