#!/usr/bin/env bash
# Makes the Pulumi CLI available without its download site: when no recent enough `pulumi`
# is on PATH, builds `pulumi` and `pulumi-language-nodejs` from the Go module proxy into a
# cache directory outside the repository (reused by later runs), and puts
# `pulumi-resource-pulumi-nodejs` beside them. Prints the bin directory as its last line.
#
# Why a tools module: pkg/v3's go.mod has `replace` directives, so `go install pkg@version`
# is refused; building from a throwaway module that requires the pinned versions works.
set -euo pipefail

PULUMI_VERSION="${PULUMI_VERSION:-3.259.0}"
# The Node.js language host has no semver tags; this is the pseudo-version of the v3.259.0 commit.
LANGUAGE_HOST_VERSION="${LANGUAGE_HOST_VERSION:-v3.0.0-20260819165155-0ac56e876614}"
CACHE_ROOT="${GITLAB_MIRRORS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gitlab-mirrors}"
BIN_DIR="$CACHE_ROOT/pulumi-v$PULUMI_VERSION/bin"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { echo "[setup-pulumi] $*" >&2; }

version_at_least() { # $1 >= $2, both x.y.z
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

link_dynamic_provider_shim() {
  local shim="$REPO_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if [ ! -x "$1/pulumi-resource-pulumi-nodejs" ]; then
    if [ ! -f "$shim" ]; then
      log "missing $shim: run 'npm ci' first"; exit 1
    fi
    cp "$shim" "$1/pulumi-resource-pulumi-nodejs"
    chmod 0755 "$1/pulumi-resource-pulumi-nodejs"
  fi
}

# 1. A pulumi already on PATH that is recent enough, with its language host beside it, wins.
if existing="$(command -v pulumi 2>/dev/null)"; then
  have="$(pulumi version 2>/dev/null | sed 's/^v//')"
  dir="$(dirname "$(readlink -f "$existing")")"
  if [ -n "$have" ] && version_at_least "$have" "$PULUMI_VERSION" \
     && { [ -x "$dir/pulumi-language-nodejs" ] || command -v pulumi-language-nodejs >/dev/null; }; then
    log "using pulumi v$have at $existing"
    if [ -w "$dir" ] && ! command -v pulumi-resource-pulumi-nodejs >/dev/null; then
      link_dynamic_provider_shim "$dir"
    fi
    echo "$dir"
    exit 0
  fi
  log "pulumi on PATH is '${have:-unknown}', older than v$PULUMI_VERSION or without its language host: building v$PULUMI_VERSION"
fi

# 2. A cached build from an earlier run.
if [ -x "$BIN_DIR/pulumi" ] && [ -x "$BIN_DIR/pulumi-language-nodejs" ] \
   && [ "$("$BIN_DIR/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]; then
  link_dynamic_provider_shim "$BIN_DIR"
  log "using cached pulumi v$PULUMI_VERSION in $BIN_DIR"
  echo "$BIN_DIR"
  exit 0
fi

# 3. Build from the Go module proxy.
if ! command -v go >/dev/null; then
  log "no Go toolchain on PATH: cannot build the Pulumi CLI."
  log "Install Go 1.25.11 or newer, or install pulumi v$PULUMI_VERSION+ by another route and put it on PATH."
  exit 1
fi
go_version="$(go env GOVERSION | sed 's/^go//')"
if ! version_at_least "$go_version" "1.25.11"; then
  log "Go $go_version is too old (pulumi v$PULUMI_VERSION needs Go 1.25.11 or newer)."
  exit 1
fi

work="$CACHE_ROOT/build-v$PULUMI_VERSION"
mkdir -p "$work" "$BIN_DIR"
cd "$work"
started=$SECONDS
log "building pulumi v$PULUMI_VERSION in $work (first run only; several minutes on 2 cores)"
cat > go.mod <<GOMOD
module gitlab-mirrors/pulumi-cli-build

go 1.25.11
GOMOD
cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
	_ "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
)
GO
export GOFLAGS="${GOFLAGS:-} -mod=mod"
log "step 1/3: resolving modules (pkg/v3@v$PULUMI_VERSION, sdk/v3@v$PULUMI_VERSION, language host $LANGUAGE_HOST_VERSION)"
if ! go get "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" \
            "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" \
            "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$LANGUAGE_HOST_VERSION" >&2; then
  log "could not fetch the Pulumi modules from the Go module proxy ($(go env GOPROXY))."
  log "Without it, install pulumi v$PULUMI_VERSION+ by another route and put it on PATH."
  exit 1
fi
# go get may raise sdk/v3 above the pin to satisfy the language host; pin it back.
go mod edit -require="github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" -require="github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION"
go mod tidy >&2
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
log "step 2/3: compiling pulumi"
go build -trimpath -tags "osusergo grpcnotrace" -ldflags "$ldflags" -o "$BIN_DIR/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
log "step 3/3: compiling pulumi-language-nodejs"
go build -trimpath -ldflags "$ldflags" -o "$BIN_DIR/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
link_dynamic_provider_shim "$BIN_DIR"
log "built $("$BIN_DIR/pulumi" version) in $((SECONDS - started)) s into $BIN_DIR"
echo "$BIN_DIR"
