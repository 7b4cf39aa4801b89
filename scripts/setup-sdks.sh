#!/usr/bin/env bash
# What the Python and Go SDKs need, cached outside the repository (reused by later runs):
#   python   a virtual environment with the `pulumi` package (the CLI's version) and the
#            dependencies of sdk/python, for the Python tests and demo;
#   sdkgen   tools/sdkgen, our SDK generator, built from the Go module proxy;
#   go       the Go modules of sdk/go and of the Go programs that test it, downloaded.
# With no argument it does all three. Progress goes to stderr; the last line on stdout is a
# JSON object with the paths: {"python": ".../bin/python", "sdkgen": ".../sdkgen"}.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# PULUMI_VERSION: the Python package installed is the CLI's version.
# shellcheck source=../pulumi-versions.env
. "$REPO_ROOT/pulumi-versions.env"
CACHE_ROOT="${GITLAB_MIRRORS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gitlab-mirrors}"
PYTHON="${PYTHON:-python3}"

log() { echo "[setup-sdks] $*" >&2; }
fail() { log "$*"; exit 1; }

# A key for what a cached artefact was built from: it is rebuilt when any of these files changes.
fingerprint() { (cd "$REPO_ROOT" && cat "$@") | sha256sum | cut -c1-16; }

mkdir -p "$CACHE_ROOT"
# Parallel test runs may set up at once: one at a time.
exec 9>"$CACHE_ROOT/setup-sdks.lock"
flock 9

setup_python() {
  command -v "$PYTHON" >/dev/null || fail "no $PYTHON on PATH: the Python SDK's tests need Python 3.9 or newer."
  "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' \
    || fail "$("$PYTHON" --version) is too old: the Python SDK needs 3.9 or newer."
  local py_version; py_version="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  local metadata="" file
  for file in sdk/python/pyproject.toml sdk/python/setup.py; do
    [ -f "$REPO_ROOT/$file" ] && metadata="$file"
  done
  [ -n "$metadata" ] || fail "sdk/python has neither pyproject.toml nor setup.py: run 'make sdks'"
  VENV="$CACHE_ROOT/python$py_version-pulumi-$PULUMI_VERSION-$(fingerprint "$metadata")"
  if [ -f "$VENV/.complete" ]; then return; fi
  log "creating $VENV with pulumi==$PULUMI_VERSION (first run only)"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "pulumi==$PULUMI_VERSION" setuptools wheel >&2
  # The SDK's own dependencies, from its package metadata. The SDK itself is installed afresh from the
  # checkout by each run (harness/sdk-stack.ts), so it is removed here: a cached copy would go
  # stale. pip builds a local project in its source tree (build/, *.egg-info): it gets a copy.
  local source; source="$(mktemp -d)"
  cp -R "$REPO_ROOT/sdk/python/." "$source"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-build-isolation "$source" >&2
  rm -rf "$source"
  "$VENV/bin/pip" uninstall --quiet --yes pulumi_gitlab_mirrors >&2
  touch "$VENV/.complete"
}

setup_sdkgen() {
  command -v go >/dev/null || fail "no Go toolchain on PATH: the SDK generator needs Go 1.25.11 or newer."
  local dir="$CACHE_ROOT/sdkgen-$(fingerprint tools/sdkgen/go.mod tools/sdkgen/go.sum tools/sdkgen/*.go)"
  SDKGEN="$dir/sdkgen"
  if [ -x "$SDKGEN" ]; then return; fi
  log "building tools/sdkgen into $dir (first run only)"
  mkdir -p "$dir"
  (cd "$REPO_ROOT/tools/sdkgen" && go build -trimpath -o "$SDKGEN.partial" . >&2)
  mv "$SDKGEN.partial" "$SDKGEN"
}

setup_go_modules() {
  command -v go >/dev/null || fail "no Go toolchain on PATH: the Go SDK needs Go 1.25.11 or newer."
  local module
  for module in sdk/go tests/sdk/go scripts/sdk-stacks/go; do
    log "downloading the Go modules of $module"
    (cd "$REPO_ROOT/$module" && go mod download >&2)
  done
}

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(python sdkgen go)
VENV=""
SDKGEN=""
for part in "${parts[@]}"; do
  case "$part" in
    python) setup_python ;;
    sdkgen) setup_sdkgen ;;
    go) setup_go_modules ;;
    *) fail "unknown part '$part': expected python, sdkgen or go" ;;
  esac
done
printf '{"python": "%s", "sdkgen": "%s"}\n' "${VENV:+$VENV/bin/python}" "$SDKGEN"
