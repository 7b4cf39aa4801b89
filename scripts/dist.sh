#!/usr/bin/env bash
# Builds every release artifact of one version into release/<version>/ (ignored by git):
#   scripts/dist.sh VERSION          (`make dist VERSION=<semver>`)
#
#   pulumi-resource-gitlab-mirrors-v<version>-<os>-<arch>.tar.gz   the provider plugin, for
#       `pulumi plugin install resource gitlab-mirrors <version> --file <archive>` or the engine's own
#       download. linux-amd64: a Node.js single executable application (no Node.js needed).
#       linux-arm64, darwin-amd64, darwin-arm64: the same bundled plugin as one JavaScript file and a
#       launcher script, run by the `node` (20.18.1 or newer) on PATH. windows-amd64: the same with a .cmd launcher.
#   gitlab-mirrors-<version>.tgz                   the npm package
#   pulumi_gitlab_mirrors-<pep440>-py3-none-any.whl, pulumi_gitlab_mirrors-<pep440>.tar.gz   the Python SDK
#   gitlab-mirrors-sdk-go-v<version>.zip          the Go SDK as a Go module zip (module@v<version>/...)
#   schema.json                                    the package schema
#   SHA256SUMS
#
# The version is written in one place in the sources, package.json; this script writes VERSION there in
# a copy of the checkout (.tmp/dist-<version>), then everything else takes it from the schema printed
# from that copy: the Python and Go SDKs (regenerated), the npm package, the plugin. The checkout itself
# is not changed (`make version VERSION=...` writes it into the checkout, for a release commit).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${1:-}"
SEMVER='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$'
CACHE_ROOT="${GITLAB_MIRRORS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gitlab-mirrors}"
PLUGIN=pulumi-resource-gitlab-mirrors
GO_MODULE=github.com/gitlab-mirrors/gitlab-mirrors/sdk/go
# Platforms without a single executable built here get the bundle and a launcher (see above).
SCRIPT_PLATFORMS=(linux-arm64 darwin-amd64 darwin-arm64 windows-amd64)

log() { echo "[dist] $*" >&2; }
fail() { log "$*"; exit 1; }
step_started=$SECONDS
step() { log "$* (+$((SECONDS - step_started)) s)"; }

[[ "$VERSION" =~ $SEMVER ]] || fail "VERSION must be a semantic version such as 1.2.3 or 1.2.3-rc.1; got '${VERSION}'"

OUT="$REPO_ROOT/release/$VERSION"
STAGE="$REPO_ROOT/.tmp/dist-$VERSION"
cd "$REPO_ROOT"

# 1. Tools: npm packages (esbuild, postject, TypeScript), the SDK generator and a Python with setuptools.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing npm packages from package-lock.json"
  # Without scripts: the package's own prepare (a compile) would be wasted, the copy below is compiled.
  npm ci --ignore-scripts --no-audit --no-fund >&2
fi
tools="$(bash scripts/setup-sdks.sh python sdkgen | tail -n1)"
PYTHON="$(node -e 'process.stdout.write(JSON.parse(process.argv[1]).python)' "$tools")"
ESBUILD="$REPO_ROOT/node_modules/.bin/esbuild"
POSTJECT="$REPO_ROOT/node_modules/.bin/postject"

# 2. A copy of the checkout as a fresh clone has it, with VERSION written into package.json.
step "copying the checkout into $STAGE"
rm -rf "$STAGE" "$OUT"
mkdir -p "$STAGE" "$OUT"
git ls-files -z --cached --others --exclude-standard \
  | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$STAGE"
ln -s "$REPO_ROOT/node_modules" "$STAGE/node_modules"
# Our TypeScript build tools run from one esbuild pass each, without compiling the whole checkout.
run_ts() { # run_ts FILE.ts ARGS...
  local out="$STAGE/.tmp/tools/$(basename "$1" .ts).js"
  "$ESBUILD" "$STAGE/$1" --bundle --platform=node --target=node20 --external:esbuild --log-level=warning --outfile="$out"
  node "$out" "${@:2}"
}
run_ts scripts/release/set-version.ts "$STAGE" "$VERSION"

# 3. The schema at this version, and the SDKs generated from it.
step "printing the schema and generating the SDKs"
run_ts scripts/release/bundle-plugin.ts --root "$STAGE" --version "$VERSION" --entry schema --out "$STAGE/.tmp/print-schema.js"
node "$STAGE/.tmp/print-schema.js" > "$OUT/schema.json"
bash "$STAGE/scripts/generate-sdks.sh" "$OUT/schema.json" "$STAGE/sdk" >&2

# 4. The npm package, compiled from the copy with its SDKs.
step "building the npm package"
(cd "$STAGE" && npm run --silent build:package >&2 && npm pack --ignore-scripts --silent --pack-destination "$OUT" >/dev/null)
[ -f "$OUT/gitlab-mirrors-$VERSION.tgz" ] || fail "npm pack did not write gitlab-mirrors-$VERSION.tgz"

# 5. The plugin, bundled into one file, and its archives.
step "bundling the provider plugin"
bundle_dir="$STAGE/.tmp/plugin"
mkdir -p "$bundle_dir"
run_ts scripts/release/bundle-plugin.ts --root "$STAGE" --version "$VERSION" --entry plugin \
  --out "$bundle_dir/gitlab-mirrors-plugin.js" --notices "$bundle_dir/THIRD-PARTY-NOTICES.txt"

# A reproducible gzip'd tar of the files in $2.. (relative to directory $1), as $OUT/$3.
archive() { # archive DIR NAME FILES...
  tar -C "$1" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - "${@:3}" | gzip -n > "$OUT/$2"
}

common_files() { # the license and notices every archive carries
  cp "$STAGE/LICENSE" "$bundle_dir/THIRD-PARTY-NOTICES.txt" "$1/"
}

# linux-amd64: a single executable application: this Node.js with the bundle (and V8's code cache for
# it) injected. Cached by what it is built from: the bundle, the Node.js binary and postject.
build_single_executable() { # build_single_executable TARGET
  local node_bin; node_bin="$(node -p process.execPath)"
  local key; key="$( { sha256sum < "$bundle_dir/gitlab-mirrors-plugin.js"; node --version; sha256sum < "$node_bin";
    node -p 'require(process.argv[1]).version' "$REPO_ROOT/node_modules/postject/package.json"; command -v strip || true; } | sha256sum | cut -c1-16)"
  local cached="$CACHE_ROOT/sea/$key/$PLUGIN"
  if [ ! -x "$cached" ]; then
    step "building the single executable (Node.js $(node --version); cached as sea/$key)"
    local work; work="$(mktemp -d)"
    cp "$bundle_dir/gitlab-mirrors-plugin.js" "$work/plugin.js"
    printf '{"main": "plugin.js", "output": "sea.blob", "disableExperimentalSEAWarning": true, "useCodeCache": true}\n' > "$work/sea.json"
    (cd "$work" && node --experimental-sea-config sea.json >&2)
    cp "$node_bin" "$work/$PLUGIN"
    chmod u+w "$work/$PLUGIN"
    # Node.js ships its symbols; without them the executable is 12 MB smaller and starts the same.
    if command -v strip >/dev/null; then strip "$work/$PLUGIN"; fi
    "$POSTJECT" "$work/$PLUGIN" NODE_SEA_BLOB "$work/sea.blob" \
      --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2 >/dev/null 2>&1 \
      || fail "postject could not inject the plugin into $node_bin"
    mkdir -p "$(dirname "$cached")"
    mv "$work/$PLUGIN" "$cached.partial.$$" && mv "$cached.partial.$$" "$cached"
    rm -rf "$work"
    # Each is 90 MB and every change of the sources makes a new one: keep the three newest.
    find "$CACHE_ROOT/sea" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' | sort -rn | tail -n +4 | cut -d' ' -f2- \
      | while read -r old; do rm -rf "$old"; done
  fi
  cp "$cached" "$1/$PLUGIN"
  # The executable is Node.js: its license (with those of the libraries it contains) goes along.
  local node_license
  for node_license in "$(dirname "$node_bin")/../share/doc/node/LICENSE" /usr/share/doc/nodejs/LICENSE ""; do
    [ -f "$node_license" ] && break
  done
  if [ -n "$node_license" ]; then
    cp "$node_license" "$1/NODEJS-LICENSE.txt"
  else
    echo "The executable contains Node.js $(node --version): https://github.com/nodejs/node/blob/$(node --version)/LICENSE" > "$1/NODEJS-LICENSE.txt"
  fi
}

if [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] && [ "$(node -p process.arch)" = x64 ]; then
  dir="$STAGE/.tmp/archive-linux-amd64"
  mkdir -p "$dir"
  build_single_executable "$dir"
  common_files "$dir"
  step "archiving linux-amd64 (single executable)"
  archive "$dir" "$PLUGIN-v$VERSION-linux-amd64.tar.gz" "$PLUGIN" LICENSE THIRD-PARTY-NOTICES.txt NODEJS-LICENSE.txt
else
  log "not on linux-amd64: its single executable is not built (the other archives are)"
  SCRIPT_PLATFORMS+=(linux-amd64)
fi

for platform in "${SCRIPT_PLATFORMS[@]}"; do
  dir="$STAGE/.tmp/archive-$platform"
  mkdir -p "$dir"
  cp "$bundle_dir/gitlab-mirrors-plugin.js" "$dir/"
  common_files "$dir"
  if [ "${platform%%-*}" = windows ]; then
    launcher="$PLUGIN.cmd"
    printf '@echo off\r\nnode "%%~dp0gitlab-mirrors-plugin.js" %%*\r\n' > "$dir/$launcher"
  else
    launcher="$PLUGIN"
    printf '#!/bin/sh\n# The gitlab-mirrors provider plugin, run by the Node.js (20.18.1 or newer) on PATH.\nexec node "$(dirname "$0")/gitlab-mirrors-plugin.js" "$@"\n' > "$dir/$launcher"
    chmod 0755 "$dir/$launcher"
  fi
  archive "$dir" "$PLUGIN-v$VERSION-$platform.tar.gz" "$launcher" gitlab-mirrors-plugin.js LICENSE THIRD-PARTY-NOTICES.txt
done

# 6. The Python SDK's wheel and sdist, built from a copy (setuptools writes build/ and *.egg-info beside it).
step "building the Python wheel and sdist"
# Each from a copy of its own: setuptools leaves build directories in the source tree.
for kind in sdist wheel; do
  python_src="$STAGE/.tmp/python-sdk-$kind"
  cp -R "$STAGE/sdk/python" "$python_src"
  cp "$STAGE/LICENSE" "$python_src/"
  (cd "$python_src" && "$PYTHON" -W ignore -c '
import sys
from setuptools import build_meta
getattr(build_meta, "build_" + sys.argv[1])(sys.argv[2])
' "$kind" "$OUT" > "$STAGE/.tmp/python-$kind.log" 2>&1) || { cat "$STAGE/.tmp/python-$kind.log" >&2; fail "the Python $kind did not build"; }
done

# 7. The Go SDK as a Go module zip: every file under module@version/, as the module proxy serves it.
step "zipping the Go SDK module"
go_src="$STAGE/.tmp/go-sdk"
cp -R "$STAGE/sdk/go" "$go_src"
cp "$STAGE/LICENSE" "$go_src/"
"$PYTHON" - "$go_src" "$GO_MODULE@v$VERSION" "$OUT/gitlab-mirrors-sdk-go-v$VERSION.zip" <<'PY'
import os, sys, zipfile
source, prefix, target = sys.argv[1:]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(source):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            info = zipfile.ZipInfo(prefix + "/" + os.path.relpath(path, source).replace(os.sep, "/"), (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read())
PY

# The staged archives' contents (the executable is 90 MB) are in the archives now; the rest of the copy
# stays for inspection (the release workflow compares its sdk/go with the committed one).
rm -rf "$STAGE"/.tmp/archive-*

# 8. Checksums of everything above.
(cd "$OUT" && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%f\n' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)
step "wrote release/$VERSION:"
(cd "$OUT" && ls -l | tail -n +2 >&2)
