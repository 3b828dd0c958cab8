# Shared set-up for the scripts in this folder: find Python 3.12+, keep .venv and node_modules
# current, and install Debian's Chromium when the browser tests need it. Sourced, never run.
# Each step is idempotent and skips itself when its inputs have not changed, so every script can
# call what it needs and a fresh clone still sets itself up.
set -euo pipefail
# Python keeps the bytecode of what it imports, as it does by default, even where
# PYTHONDONTWRITEBYTECODE is set (as on the CI machine): otherwise every process started from here
# (each test process, mkdocs build, mike deploy, the runtime's build) compiles again what it
# imports. The first process to import a module writes its bytecode, so .venv is not compiled
# whole when it is made (that was 7 to 13 s of a fresh clone's first 20 s here, for some 580 MB of
# packages, of which the scripts and the tests import about 600 modules).
unset PYTHONDONTWRITEBYTECODE

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
export NO_MKDOCS_2_WARNING=1

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

# uv (https://docs.astral.sh/uv/) at the release pinned in uv.lock, installed once into
# .cache/uv/VERSION/ with pip, every wheel hash-checked against the lock. Sets UV.
# pip installs it straight into that folder (--target: the binary lands in bin/): a virtual
# environment made only to hold it took more than half of this step (ensurepip), on the path of
# every fresh clone. Where the interpreter has no pip (Debian's python3 without python3-pip), a
# virtual environment's pip does the same.
ensure_uv() {
  local py version dir pip
  py="$(find_python)"
  version="$("$py" -c 'import sys, tomllib
lock = tomllib.load(open(sys.argv[1], "rb"))
print(next(p["version"] for p in lock["package"] if p["name"] == "uv"))' "$ROOT/uv.lock")" \
    || die "uv.lock names no uv release: run scripts/lock"
  dir="$ROOT/.cache/uv/$version"
  UV="$dir/bin/uv"
  if [ -x "$UV" ]; then return 0; fi
  log "installing uv $version (hash-checked against uv.lock)"
  rm -rf "$dir"
  mkdir -p "$dir"
  "$py" -c 'import sys, tomllib
lock = tomllib.load(open(sys.argv[1], "rb"))
uv = next(p for p in lock["package"] if p["name"] == "uv")
hashes = " ".join("--hash=" + w["hash"] for w in uv["wheels"])
print("uv==" + uv["version"], hashes)' "$ROOT/uv.lock" > "$dir/requirements.txt"
  pip="$py"
  if ! "$py" -m pip --version >/dev/null 2>&1; then
    "$py" -m venv "$dir/pip" || { rm -rf "$dir"; die "could not make a virtual environment to install uv"; }
    pip="$dir/pip/bin/python"
  fi
  PIP_ROOT_USER_ACTION=ignore "$pip" -m pip install -q --disable-pip-version-check --no-deps \
    --only-binary=:all: --require-hashes --target "$dir" -r "$dir/requirements.txt" \
    && [ -x "$UV" ] || { rm -rf "$dir"; die "could not install uv $version"; }
  rm -rf "$dir/pip"  # the virtual environment, if one was made, was needed only for that
}

# Whether .venv was synced from this pyproject.toml and uv.lock (its stamp names them).
venv_is_current() {
  local stamp="$VENV/.prodready-stamp"
  [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(venv_stamp)" ]
}

venv_stamp() {
  cat "$ROOT/pyproject.toml" "$ROOT/uv.lock" | sha256sum | cut -d' ' -f1
}

# Makes .venv exactly what uv.lock says (the project, editable, with every dependency group),
# with the Python 3.12+ that find_python chooses. Nothing is resolved here: `uv sync --locked`
# fails when uv.lock no longer matches pyproject.toml (then run scripts/lock). Skipped when
# neither file changed since the last sync. Bytecode is written as modules are first imported
# (see PYTHONDONTWRITEBYTECODE above).
ensure_venv() {
  if venv_is_current; then
    return 0
  fi
  ensure_uv
  log "installing Python packages from uv.lock"
  (cd "$ROOT" && UV_PROJECT_ENVIRONMENT="$VENV" UV_PYTHON_DOWNLOADS=never \
    "$UV" sync --quiet --locked --all-groups --python "$(find_python)")
  venv_stamp > "$VENV/.prodready-stamp"
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

# Both of the above, side by side: each mostly waits on downloads and the disk (on a fresh clone
# this saves the few seconds of the shorter one).
ensure_venv_and_node() {
  local node_setup
  ensure_node &
  node_setup=$!
  ensure_venv
  wait "$node_setup" || die "the npm packages could not be installed (see above)"
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

# The tests drive Chromium's headless shell, the same release without the browser's interface
# (prodready_tools.browser.chromium_for_tests); PRODREADY_TEST_CHROMIUM chooses another binary.
ensure_headless_shell() {
  local shell
  if [ -n "${PRODREADY_TEST_CHROMIUM:-}" ]; then
    [ -x "$PRODREADY_TEST_CHROMIUM" ] || die "PRODREADY_TEST_CHROMIUM=$PRODREADY_TEST_CHROMIUM is not executable."
    return 0
  fi
  shell="$("$VENV/bin/python" -c 'from prodready_tools.browser import HEADLESS_SHELL as s; print(s)')"
  [ -x "$shell" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Chromium's headless shell from Debian (apt-get install chromium-headless-shell)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null \
      || { apt-get update -qq >/dev/null &&
           DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null; }
    [ -x "$shell" ] && return 0
  fi
  die "The browser tests drive Chromium's headless shell: install it (Debian: apt-get install chromium-headless-shell) or set PRODREADY_TEST_CHROMIUM to a Chromium binary."
}
