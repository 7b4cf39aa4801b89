#!/usr/bin/env bash
# Makes the Pulumi CLI available without its download site. When no recent enough `pulumi`
# is on PATH, builds `pulumi`, `pulumi-language-nodejs` and `pulumi-language-yaml` from the Go
# module proxy into a cache directory outside the repository (reused by later runs) and puts
# `pulumi-resource-pulumi-nodejs` beside them. The versions are in pulumi-versions.env.
# Progress goes to stderr; the last line on stdout is the bin directory.
#
# Why a tools module: pkg/v3's go.mod has `replace` directives, so `go install pkg@version`
# is refused; a throwaway module that requires the pinned versions builds fine.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../pulumi-versions.env
. "$REPO_ROOT/pulumi-versions.env"
# Where the module proxy does not serve the upstream Node.js language host, our own minimal
# stand-in (devtools/pulumi-language-nodejs) is built instead, and rebuilt when its source changes.
LANGUAGE_HOST_MODULE="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
YAML_HOST_PACKAGE="github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
CACHE_ROOT="${GITLAB_MIRRORS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gitlab-mirrors}"
BIN_DIR="$CACHE_ROOT/pulumi-v$PULUMI_VERSION/bin"
STAND_IN_SOURCE="$REPO_ROOT/devtools/pulumi-language-nodejs"
# Written after a successful build: a binary without its stamp may be a partial or older one.
YAML_HOST_STAMP="$BIN_DIR/.pulumi-language-yaml.version"
STAND_IN_STAMP="$BIN_DIR/.pulumi-language-nodejs.source"
LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"

log() { echo "[setup-pulumi] $*" >&2; }
fail() { log "$*"; exit 1; }

version_at_least() { # $1 >= $2, both x.y.z
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

place_dynamic_provider_shim() { # the engine runs dynamic providers through this script
  local shim="$REPO_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  [ -f "$shim" ] || fail "missing $shim: run 'npm ci' first"
  if ! cmp -s "$shim" "$1/pulumi-resource-pulumi-nodejs" 2>/dev/null; then
    install -m 0755 "$shim" "$1/pulumi-resource-pulumi-nodejs"
  fi
}

require_go() {
  command -v go >/dev/null || fail "no Go toolchain on PATH: cannot build the Pulumi CLI.
Install Go 1.25.11 or newer, or install pulumi v$PULUMI_VERSION or newer (with pulumi-language-nodejs) by another route and put it on PATH."
  local have; have="$(go env GOVERSION | sed 's/^go//')"
  version_at_least "$have" "1.25.11" || fail "Go $have is too old: pulumi v$PULUMI_VERSION needs Go 1.25.11 or newer."
}

build_cli() {
  local work="$CACHE_ROOT/build-v$PULUMI_VERSION"
  mkdir -p "$work" "$BIN_DIR"
  log "building pulumi v$PULUMI_VERSION in $work (first run only; about 10 minutes on 2 cores)"
  cat > "$work/go.mod" <<GOMOD
module gitlab-mirrors/pulumi-cli-build

go 1.25.11
GOMOD
  rm -f "$work/go.sum"
  cat > "$work/tools.go" <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GO
  log "step 1/4: resolving github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION"
  (cd "$work" && GOFLAGS=-mod=mod go get "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" \
      "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" >&2 && GOFLAGS=-mod=mod go mod tidy >&2) \
    || fail "could not fetch pulumi v$PULUMI_VERSION from the Go module proxy ($(go env GOPROXY)).
Install pulumi v$PULUMI_VERSION or newer by another route and put it on PATH."
  log "step 2/4: compiling pulumi"
  (cd "$work" && GOFLAGS=-mod=mod go build -trimpath -tags "osusergo grpcnotrace" -ldflags "$LDFLAGS" \
      -o "$BIN_DIR/pulumi.partial" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2)
  mv "$BIN_DIR/pulumi.partial" "$BIN_DIR/pulumi"
}

LANGUAGE_HOST_WORK="$CACHE_ROOT/build-language-host-v$PULUMI_VERSION"
UPSTREAM_REFUSED="$LANGUAGE_HOST_WORK/upstream-refused"

stand_in_digest() {
  (cd "$STAND_IN_SOURCE" && cat go.mod go.sum ./*.go | sha256sum | cut -d' ' -f1)
}

# True when the cached host is our stand-in, built from other source than the checkout's.
stand_in_is_stale() {
  [ -f "$UPSTREAM_REFUSED" ] && [ "$(cat "$STAND_IN_STAMP" 2>/dev/null)" != "$(stand_in_digest)" ]
}

build_language_host() {
  local work="$LANGUAGE_HOST_WORK"
  local refused="$UPSTREAM_REFUSED"
  mkdir -p "$work"
  log "step 3/4: building pulumi-language-nodejs"
  if [ ! -f "$refused" ]; then
    cat > "$work/go.mod" <<GOMOD
module gitlab-mirrors/pulumi-language-host-build

go 1.25.11
GOMOD
    rm -f "$work/go.sum"
    printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$LANGUAGE_HOST_MODULE" > "$work/tools.go"
    if (cd "$work" && GOFLAGS=-mod=mod go get "$LANGUAGE_HOST_MODULE@$PULUMI_LANGUAGE_NODEJS_VERSION" \
          "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" >&2 && GOFLAGS=-mod=mod go mod tidy >&2); then
      (cd "$work" && GOFLAGS=-mod=mod go build -trimpath -ldflags "$LDFLAGS" \
          -o "$BIN_DIR/pulumi-language-nodejs" "$LANGUAGE_HOST_MODULE" >&2)
      return
    fi
    touch "$refused"
  fi
  log "the module proxy does not serve the upstream language host ($LANGUAGE_HOST_MODULE@$PULUMI_LANGUAGE_NODEJS_VERSION);"
  log "building the project's own stand-in from devtools/pulumi-language-nodejs instead"
  rm -f "$STAND_IN_STAMP"
  (cd "$STAND_IN_SOURCE" && GOFLAGS=-mod=mod go build -trimpath -ldflags "$LDFLAGS" \
      -o "$BIN_DIR/pulumi-language-nodejs.partial.$$" . >&2)
  mv "$BIN_DIR/pulumi-language-nodejs.partial.$$" "$BIN_DIR/pulumi-language-nodejs"
  stand_in_digest > "$STAND_IN_STAMP"
}

build_yaml_language_host() {
  log "step 4/4: building pulumi-language-yaml v$PULUMI_YAML_VERSION (first run only; a few minutes)"
  rm -f "$YAML_HOST_STAMP"
  # pulumi-yaml's go.mod has no replace directives, so a plain `go install mod@version` works;
  # the ldflag is the version its releases stamp.
  (cd / && GOFLAGS= GOBIN="$BIN_DIR" go install -trimpath \
      -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$PULUMI_YAML_VERSION" \
      "$YAML_HOST_PACKAGE@v$PULUMI_YAML_VERSION" >&2) \
    || fail "could not build pulumi-language-yaml v$PULUMI_YAML_VERSION from the Go module proxy ($(go env GOPROXY)).
Install pulumi-language-yaml by another route and put it on PATH."
  echo "$PULUMI_YAML_VERSION" > "$YAML_HOST_STAMP"
}

# 1. A pulumi on PATH that is recent enough, with its Node.js and YAML language hosts beside it or
#    on PATH (as a usual installation has them), wins.
if existing="$(command -v pulumi 2>/dev/null)" && [ "$(dirname "$(readlink -f "$existing")")" != "$BIN_DIR" ]; then
  have="$(pulumi version 2>/dev/null | sed 's/^v//')"
  dir="$(dirname "$(readlink -f "$existing")")"
  if [ -n "$have" ] && version_at_least "$have" "$PULUMI_VERSION" \
     && { [ -x "$dir/pulumi-language-nodejs" ] || command -v pulumi-language-nodejs >/dev/null; } \
     && { [ -x "$dir/pulumi-resource-pulumi-nodejs" ] || command -v pulumi-resource-pulumi-nodejs >/dev/null; } \
     && { [ -x "$dir/pulumi-language-yaml" ] || command -v pulumi-language-yaml >/dev/null; }; then
    log "using pulumi v$have at $existing"
    echo "$dir"
    exit 0
  fi
  log "pulumi on PATH is v${have:-unknown}; need v$PULUMI_VERSION or newer with its Node.js and YAML plugins: using a cached build"
fi

# 2. The cache, built on first use.
started=$SECONDS
if [ ! -x "$BIN_DIR/pulumi" ] || [ "$("$BIN_DIR/pulumi" version 2>/dev/null)" != "v$PULUMI_VERSION" ]; then
  require_go
  build_cli
fi
if [ ! -x "$BIN_DIR/pulumi-language-nodejs" ] || stand_in_is_stale; then
  require_go
  build_language_host
fi
if yaml_host="$(command -v pulumi-language-yaml 2>/dev/null)" && [ "$(dirname "$(readlink -f "$yaml_host")")" != "$BIN_DIR" ]; then
  log "using pulumi-language-yaml at $yaml_host"
elif [ ! -x "$BIN_DIR/pulumi-language-yaml" ] || [ "$(cat "$YAML_HOST_STAMP" 2>/dev/null)" != "$PULUMI_YAML_VERSION" ]; then
  require_go
  build_yaml_language_host
fi
place_dynamic_provider_shim "$BIN_DIR"
if [ $((SECONDS - started)) -gt 1 ]; then
  log "built $("$BIN_DIR/pulumi" version) in $((SECONDS - started)) s into $BIN_DIR"
else
  log "using cached pulumi $("$BIN_DIR/pulumi" version) in $BIN_DIR"
fi
echo "$BIN_DIR"
