#!/usr/bin/env bash
# Installs everything warraq needs on Debian: system packages (when apt is
# available and we are root; otherwise prints the one line to run), then a
# virtual environment in .venv with warraq, machine translation and the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  fonts-hosny-amiri      # Amiri, the Arabic face
  fonts-ebgaramond       # EB Garamond, the French and English face
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  # WeasyPrint
  gettext                # msgfmt --check on the catalogs
  poppler-utils          # pdftoppm, to look at pages
  chromium               # the browser the EPUB layout tests run in
  default-jre-headless   # EPUBCheck runs on Java
  libreoffice-writer-nogui  # the reader tests convert documents with a real word processor
)
PYTHON=${PYTHON:-python3}

missing=()
for package in "${APT_PACKAGES[@]}"; do
  case "$package" in \#*) continue ;; esac
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "setup: these Debian packages are missing; install them, then run make again:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: warraq needs Python 3.11 or newer; set PYTHON=python3.11" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip setuptools wheel
echo "setup: installing warraq and its Python dependencies into .venv (torch is large: a few minutes the first time)"
.venv/bin/python -m pip install --quiet -e ".[argos,dev]"
echo "setup: done"
