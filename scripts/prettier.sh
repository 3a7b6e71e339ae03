#!/usr/bin/env bash
# Install prettier and its XML plugin (the versions of .pre-commit-config.yaml) into
# .build/node once; `--path` prints the prettier executable, or nothing when it cannot be had.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_DIR="$ROOT/.build/node"
BIN="$NODE_DIR/node_modules/.bin/prettier"
WANT="$(grep -oE '"(prettier|@prettier/plugin-xml)@[0-9.]+"' "$ROOT/.pre-commit-config.yaml" | tr -d '"' | sort | tr '\n' ' ')"
STAMP="$NODE_DIR/.versions"
if ! { [ -x "$BIN" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$WANT" ]; }; then
    command -v npm >/dev/null || exit 1
    mkdir -p "$NODE_DIR"
    # shellcheck disable=SC2086 # one package per word
    (cd "$NODE_DIR" && timeout 300 npm install --silent --no-audit --no-fund --no-save $WANT >/dev/null 2>&1) || exit 1
    echo "$WANT" > "$STAMP"
fi
[ "${1:-}" = --path ] && echo "$BIN"
exit 0
