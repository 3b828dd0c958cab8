# Shared set-up for the scripts in this folder: find Python 3.12+, keep .venv and node_modules
# current, and install Debian's Chromium when the browser tests need it. Sourced, never run.
# Each step is idempotent and skips itself when its inputs have not changed, so every script can
# call what it needs and a fresh clone still sets itself up.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
export NO_MKDOCS_2_WARNING=1
export PIP_DISABLE_PIP_VERSION_CHECK=1

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Prints the path of a Python >= 3.12 interpreter, or fails saying what to install.
find_python() {
  local candidates=() c
  [ -n "${PRODREADY_PYTHON:-}" ] && candidates+=("$PRODREADY_PYTHON")
  candidates+=(python3.14 python3.13 python3.12 python3)
  for c in "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
    [ -x "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    if "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
      command -v "$c" || echo "$c"
      return 0
    fi
  done
  die "Python 3.12 or newer is needed (pyodide-build requires it). Install it, e.g.
  Debian/Ubuntu: apt-get install python3.12 python3.12-venv
  pyenv:         pyenv install 3.12
then run this script again, or point PRODREADY_PYTHON at the interpreter."
}

# Creates .venv and installs the project (editable) with the given dependency groups.
# Re-installs only when pyproject.toml changed since the last install.
ensure_venv() {
  local groups=("$@") stamp="$VENV/.prodready-stamp" want
  want="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1) ${groups[*]}"
  if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && grep -qxF "$want" "$stamp"; then
    return 0
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    local py; py="$(find_python)"
    log "creating .venv with $("$py" --version)"
    "$py" -m venv "$VENV"
  fi
  log "installing Python packages (${groups[*]:-runtime only})"
  "$VENV/bin/python" -m pip install -q --upgrade 'pip>=25.1'
  local args=(-e "$ROOT")
  for g in "${groups[@]}"; do args+=(--group "$ROOT/pyproject.toml:$g"); done
  "$VENV/bin/python" -m pip install -q "${args[@]}"
  # Keep every group installed so far: a later call with fewer groups must not look stale.
  { [ -f "$stamp" ] && grep -v '^#' "$stamp" || true; echo "$want"; } | sort -u > "$stamp.new"
  mv "$stamp.new" "$stamp"
}

# Installs the pinned npm packages (Pyodide, Lighthouse) from package-lock.json.
ensure_node() {
  command -v npm >/dev/null || die "Node.js 20+ and npm are needed (Debian: apt-get install nodejs npm)."
  local stamp="$ROOT/node_modules/.prodready-stamp" want
  want="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log "installing npm packages (npm ci)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
}

# Finds Chromium for Playwright; installs Debian's package when running as root and it is missing.
ensure_chromium() {
  if [ -n "${PRODREADY_CHROMIUM:-}" ]; then
    [ -x "$PRODREADY_CHROMIUM" ] || die "PRODREADY_CHROMIUM=$PRODREADY_CHROMIUM is not executable."
    return 0
  fi
  local c
  for c in /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
    if [ -x "$c" ]; then export PRODREADY_CHROMIUM="$c"; return 0; fi
  done
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Chromium from Debian (apt-get install chromium)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    export PRODREADY_CHROMIUM=/usr/bin/chromium
    return 0
  fi
  die "Chromium is needed for the browser tests: install it (Debian: apt-get install chromium) or set PRODREADY_CHROMIUM to its binary."
}
