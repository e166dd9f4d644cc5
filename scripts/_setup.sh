# Shared by scripts/start, scripts/test and scripts/bundle: a virtual environment in .venv with the app
# installed (editable), re-installed only when pyproject.toml or setup.py changed. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Ontkoppel Desktop heeft Python 3.11 of nieuwer nodig ($PYTHON is te oud of ontbreekt)." >&2
    exit 1
fi

# Qt's libraries need a few system libraries on Linux (also offscreen), and the tests read PDFs back with
# pdftotext. Install what is missing when we may (root, Debian/Ubuntu), otherwise say which command does it.
system_packages() {
    [ "$(uname -s)" = "Linux" ] && command -v dpkg-query >/dev/null || return 0
    local wanted missing=()
    wanted=$(sed 's/#.*//' "$ROOT/scripts/debian-packages.txt")
    for pkg in $wanted; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
        echo "Systeempakketten installeren: ${missing[*]}"
        apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || {
            apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null
        }
    else
        echo "Let op: er ontbreken systeempakketten (voor Qt en de tests). Installeer ze met:" >&2
        echo "  sudo apt-get install ${missing[*]}" >&2
    fi
}

# ensure_venv "[test]": the app with those extras. One stamp per set of extras, named after pyproject.toml
# and setup.py as they were installed, so scripts/test and scripts/bundle do not re-install after each other.
ensure_venv() {
    local extras="$1"
    local config label
    config="$(cat pyproject.toml setup.py | sha256sum | cut -c1-16)"
    label="${extras//[^a-z,]/}"
    local stamp=".venv/.installed-$config-${label:-app}"
    if [ ! -x .venv/bin/python ]; then
        echo "Virtuele omgeving maken in .venv …"
        "$PYTHON" -m venv .venv
    fi
    if [ ! -f "$stamp" ]; then
        echo "Ontkoppel Desktop en benodigde pakketten installeren${label:+ (ook: $label)} …"
        .venv/bin/python -m pip install --quiet --upgrade pip
        # setuptools notes on every editable install of a package whose folders are not all under src/
        # that a folder named like the package in the working directory could shadow it (there is none).
        # It is information, not a problem; silenced by its exact text so that real warnings still show.
        PYTHONWARNINGS="${PYTHONWARNINGS:+$PYTHONWARNINGS,}ignore:Editable installation" .venv/bin/python -m pip install --quiet -e ".$extras"
        find .venv -maxdepth 1 -name '.installed-*' ! -name ".installed-$config-*" -delete
        touch "$stamp"
    fi
}
