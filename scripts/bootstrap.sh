#!/usr/bin/env bash
# Prepare this machine to run the suite: system packages, Python environment,
# Odoo 18.0 itself (from ODOO_SRC, else fetched from Odoo, when it is not importable) and PostgreSQL.
# Sourced by run.sh and test.sh; every step is skipped when already done.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${AFTERSALES_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"

# The Python that already has Odoo (installed by hand into the machine's python3),
# whatever PATH this shell was given; else the first python3.
find_base_python() {
    local candidate
    for candidate in python3 python3.12 python3.11 python3.10 "$HOME/.pyenv/shims/python3" \
        /usr/local/bin/python3 /usr/bin/python3; do
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import odoo' >/dev/null 2>&1; then
            echo "$candidate"
            return
        fi
    done
    echo python3
}
BASE_PYTHON="${AFTERSALES_PYTHON:-$(find_base_python)}"

say() { printf '[bootstrap] %s\n' "$*" >&2; }
die() { printf '[bootstrap] ERROR: %s\n' "$*" >&2; exit 1; }

# -- Debian packages: browser for tours, wkhtmltopdf + CJK font for PDFs,
#    headers for python-ldap / psycopg2 when Odoo is built from source.
system_packages() {
    local wanted=(chromium wkhtmltopdf fonts-noto-cjk libldap2-dev libsasl2-dev libpq-dev)
    local missing=()
    for pkg in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        say "missing Debian packages: ${missing[*]} (install them as root); continuing"
        return 0
    fi
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# -- The project's virtual environment sees the machine's site-packages,
#    where a hand-installed Odoo lives.
make_venv() {
    if [ ! -x "$PY" ]; then
        say "creating virtual environment $VENV"
        "$BASE_PYTHON" -m venv --system-site-packages "$VENV"
    fi
}

# -- Odoo 18.0: importable already, else installed from ODOO_SRC (folder, archive or URL),
#    else from the official source fetched here (nightly archive, else a shallow clone).
ensure_odoo() {
    if "$PY" -c 'import odoo, sys; sys.exit(0 if odoo.release.version_info[0] == 18 else 1)' 2>/dev/null; then
        return 0
    fi
    local src fetch="$ROOT/scripts/fetch_odoo.sh" cache="$ROOT/.build/odoo-src"
    if [ -n "${ODOO_SRC:-}" ]; then
        src="$(bash "$fetch" "$cache" "$ODOO_SRC")" \
            || die "ODOO_SRC=$ODOO_SRC does not hold an Odoo source tree (a folder, a .tar.gz/.zip archive or its URL)"
    else
        say "Odoo 18.0 is not importable by $PY and ODOO_SRC is not set: fetching Odoo 18.0 Community"
        src="$(bash "$fetch" "$cache")" || die "Odoo 18.0 is not importable by $PY, ODOO_SRC is not set, and
    Odoo's source could not be fetched from ${AFTERSALES_ODOO_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}
    nor cloned from ${AFTERSALES_ODOO_GIT:-https://github.com/odoo/odoo.git} (no internet here?).
    Get Odoo 18.0 Community in one of these ways, then run the same command again:
      - download Odoo's nightly source archive elsewhere and point ODOO_SRC at it:
            ODOO_SRC=/path/to/odoo_18.0.latest.tar.gz make test
      - or use a checkout of your own:
            git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git ../odoo-18.0
            ODOO_SRC=../odoo-18.0 make test
      - or install Odoo 18.0 into the Python you run this with (Debian/Ubuntu packages from
        https://nightly.odoo.com/18.0/nightly/deb/, or pip install -e on a checkout), or point
        AFTERSALES_PYTHON at a Python that can already 'import odoo'.
    ODOO_SRC accepts a source folder, a .tar.gz/.zip archive or its URL (see README, Installation)."
    fi
    [ -f "$src/setup.py" ] && [ -d "$src/odoo" ] || die "no Odoo source tree in $src"
    say "installing Odoo from $src"
    # cbor2 5.4.2 (pinned by Odoo) does not build with current setuptools.
    sed 's/^cbor2==5\.4\.2.*/cbor2==5.6.5/' "$src/requirements.txt" > "$ROOT/.build/odoo-requirements.txt"
    "$PY" -m pip install -q 'setuptools<70' wheel
    "$PY" -m pip install -q -r "$ROOT/.build/odoo-requirements.txt"
    # compat mode keeps odoo.cli visible next to odoo-addon-* wheels.
    "$PY" -m pip install -q --no-deps -e "$src" --config-settings editable_mode=compat
    "$PY" -c 'import odoo' || die "Odoo still not importable after installing $src"
}

# -- Our own Python dependencies (test runner, tours, gevent pins).
python_packages() {
    local stamp="$VENV/.requirements.sha"
    local want
    want="$(sha1sum "$ROOT/requirements-dev.txt" | cut -d' ' -f1)"
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
    say "installing Python dependencies"
    "$PY" -m pip install -q -r "$ROOT/requirements-dev.txt"
    echo "$want" > "$stamp"
}

# -- PostgreSQL: start the local cluster when it is down.
ensure_postgres() {
    if pg_isready -q -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" 2>/dev/null; then
        return 0
    fi
    if command -v pg_lsclusters >/dev/null; then
        local version
        version="$(pg_lsclusters -h | awk 'NR==1 {print $1}')"
        if [ -n "$version" ]; then
            say "starting PostgreSQL $version"
            pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        fi
    fi
    for _ in $(seq 1 30); do
        pg_isready -q -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" && return 0
        sleep 1
    done
    die "PostgreSQL is not reachable on ${PGHOST:-127.0.0.1}:${PGPORT:-5432} and no local cluster could be started"
}

# AFTERSALES_BOOTSTRAP_STEPS runs some steps only (e.g. "make_venv ensure_odoo").
for step in ${AFTERSALES_BOOTSTRAP_STEPS:-system_packages make_venv ensure_odoo python_packages ensure_postgres}; do
    case "$step" in
        system_packages|make_venv|ensure_odoo|python_packages|ensure_postgres) "$step" ;;
        *) die "unknown bootstrap step: $step" ;;
    esac
done
export PY ROOT
