#!/usr/bin/env bash
# Writes the Python, Go and Node.js SDKs from a package schema into OUT/python, OUT/go and OUT/nodejs/plugin.
#   scripts/generate-sdks.sh SCHEMA_FILE OUT
# `make sdks` runs it on the schema printed by the provider plugin, with OUT=sdk; the SDK
# test runs it into a temporary directory and compares the result with the committed SDKs.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 SCHEMA_FILE OUT" >&2; exit 2; }
here="$(dirname "${BASH_SOURCE[0]}")"
sdkgen="$(bash "$here/setup-sdks.sh" sdkgen | tail -n1 | sed -n 's/.*"sdkgen": "\([^"]*\)".*/\1/p')"
[ -x "$sdkgen" ] || { echo "[generate-sdks] the SDK generator was not built" >&2; exit 1; }
"$sdkgen" -schema "$1" -out "$2"
