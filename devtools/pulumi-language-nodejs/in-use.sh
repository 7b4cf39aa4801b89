#!/usr/bin/env bash
# Exits 0 when the pulumi-language-nodejs that the CLI in BIN_DIR runs is this stand-in, 1 when
# it is another one (the upstream host of a usual Pulumi installation). The engine takes a
# language host from beside its own executable first, then from PATH. The check reads the Go
# module path that every Go binary embeds, so it needs neither Go nor running the host.
# Usage: in-use.sh BIN_DIR
set -euo pipefail

bin_dir="${1:?usage: in-use.sh BIN_DIR}"
host="$bin_dir/pulumi-language-nodejs"
if [ ! -x "$host" ]; then
  host="$(command -v pulumi-language-nodejs 2>/dev/null)" || exit 1
fi
grep -aqF "gitlab-mirrors/devtools/pulumi-language-nodejs" "$host"
