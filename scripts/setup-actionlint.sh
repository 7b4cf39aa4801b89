#!/usr/bin/env bash
# Builds actionlint (the GitHub Actions workflow linter) from the Go module proxy into a cache directory
# outside the repository, once; the release workflow's test runs it. The last line on stdout is its path.
set -euo pipefail
ACTIONLINT_VERSION=v1.7.12
CACHE_ROOT="${GITLAB_MIRRORS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gitlab-mirrors}"
BIN_DIR="$CACHE_ROOT/actionlint-$ACTIONLINT_VERSION"
log() { echo "[setup-actionlint] $*" >&2; }
if [ ! -x "$BIN_DIR/actionlint" ]; then
  command -v go >/dev/null || { log "no Go toolchain on PATH: cannot build actionlint"; exit 1; }
  log "building actionlint $ACTIONLINT_VERSION into $BIN_DIR (first run only)"
  mkdir -p "$BIN_DIR"
  (cd / && GOFLAGS= GOBIN="$BIN_DIR" go install -trimpath -ldflags "-s -w" \
      "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >&2)
fi
echo "$BIN_DIR/actionlint"
