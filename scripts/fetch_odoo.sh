#!/usr/bin/env bash
# Get Odoo 18.0 Community's source tree into DEST and print its path (the folder holding
# setup.py and odoo/). Called by bootstrap.sh when Odoo is not importable.
#
#   fetch_odoo.sh DEST SOURCE   SOURCE is ODOO_SRC: a source folder, a .tar.gz/.zip archive or its URL
#   fetch_odoo.sh DEST          Odoo's nightly source archive, else a shallow clone of the 18.0 branch
#
# AFTERSALES_ODOO_URL and AFTERSALES_ODOO_GIT replace the two official addresses (a mirror, a
# proxy, a test server); AFTERSALES_FETCH_TIMEOUT bounds the connection attempt (seconds).
# Exits non-zero, saying why on stderr, when no source tree could be had.
set -euo pipefail

DEST="$1"
SOURCE="${2:-}"
URL="${AFTERSALES_ODOO_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}"
GIT="${AFTERSALES_ODOO_GIT:-https://github.com/odoo/odoo.git}"
TIMEOUT="${AFTERSALES_FETCH_TIMEOUT:-10}"

say() { printf '[fetch-odoo] %s\n' "$*" >&2; }

# The folder of an unpacked tree (archives hold one top folder, named by build).
tree_in() {
    local setup
    setup="$(find "$1" -maxdepth 3 -name setup.py 2>/dev/null | sort | head -n 1)"
    [ -n "$setup" ] && [ -d "$(dirname "$setup")/odoo" ] && (cd "$(dirname "$setup")" && pwd)
}

unpack() {
    local archive="$1" target="$DEST/tree"
    rm -rf "$target" && mkdir -p "$target"
    case "$archive" in
        *.zip) (cd "$target" && unzip -q "$archive") ;;
        *) tar -xf "$archive" -C "$target" ;;
    esac
    tree_in "$target"
}

download() {
    local url="$1" archive="$DEST/odoo-src.archive"
    case "$url" in *.zip) archive="$DEST/odoo-src.zip" ;; esac
    say "downloading $url"
    # A short connection timeout: a machine without internet fails fast, not after minutes.
    curl -fsSL --connect-timeout "$TIMEOUT" "$url" -o "$archive" || { say "cannot download $url"; return 1; }
    unpack "$archive"
}

clone() {
    local target="$DEST/git"
    rm -rf "$target"
    say "cloning the 18.0 branch of $GIT"
    GIT_TERMINAL_PROMPT=0 timeout "$((TIMEOUT * 60))" \
        git -c http.lowSpeedLimit=1000 -c http.lowSpeedTime="$TIMEOUT" \
        clone --quiet --depth 1 --branch 18.0 "$GIT" "$target" >&2 || { say "cannot clone $GIT"; return 1; }
    tree_in "$target"
}

mkdir -p "$DEST"
DEST="$(cd "$DEST" && pwd)"
if [ -n "$SOURCE" ]; then
    case "$SOURCE" in
        http://*|https://*) download "$SOURCE" ;;
        *) if [ -f "$SOURCE" ]; then unpack "$(cd "$(dirname "$SOURCE")" && pwd)/$(basename "$SOURCE")"; else tree_in "$SOURCE"; fi ;;
    esac
else
    download "$URL" || clone
fi
