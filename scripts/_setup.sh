# Shared by scripts/start and scripts/test: a virtual environment in .venv with the app installed,
# re-installed only when pyproject.toml or setup.py changed. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Ontkoppel Desktop heeft Python 3.11 of nieuwer nodig ($PYTHON is te oud of ontbreekt)." >&2
    exit 1
fi

# Qt's libraries need a few system libraries on Linux (also offscreen). Install what is missing when we
# may (root, Debian/Ubuntu), otherwise say which command does it.
qt_system_packages() {
    [ "$(uname -s)" = "Linux" ] && command -v dpkg-query >/dev/null || return 0
    local wanted missing=()
    wanted=$(grep -v '^#' "$ROOT/scripts/debian-packages.txt")
    for pkg in $wanted; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        echo "Systeempakketten voor Qt installeren: ${missing[*]}"
        apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || {
            apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null
        }
    else
        echo "Let op: Qt mist systeempakketten. Installeer ze met:" >&2
        echo "  sudo apt-get install ${missing[*]}" >&2
    fi
}

ensure_venv() {
    local extras="$1"
    local stamp_source
    stamp_source="$(cat pyproject.toml setup.py)$extras"
    local stamp=".venv/.installed-$(printf '%s' "$stamp_source" | sha256sum | cut -c1-16)"
    if [ ! -x .venv/bin/python ]; then
        echo "Virtuele omgeving maken in .venv …"
        "$PYTHON" -m venv .venv
    fi
    if [ ! -f "$stamp" ]; then
        echo "Ontkoppel Desktop en benodigde pakketten installeren …"
        .venv/bin/python -m pip install --quiet --upgrade pip
        .venv/bin/python -m pip install --quiet -e ".$extras"
        rm -f .venv/.installed-*
        touch "$stamp"
    fi
}
