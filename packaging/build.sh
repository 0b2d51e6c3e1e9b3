#!/usr/bin/env bash
# Build the one-folder frozen app on Linux (PyInstaller does not cross-compile: build.ps1 on Windows).
#
#   bash packaging/build.sh            # clean venv → pip install . pyinstaller → spec → bundle size
#
# Output: packaging/dist/<project name>/inspector-app (then run packaging/smoke.sh).
# Environment: PYTHON (default python3, 3.11+), REUSE_VENV=1 keeps packaging/build/venv between
# builds (faster when iterating; CI and releases build from a clean venv).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
PYTHON="${PYTHON:-python3}"
# Tested with PyInstaller 6.22.3 (+ pyinstaller-hooks-contrib 2026.x); a new minor gets hook changes,
# so move this range only after a build + smoke test with it.
PYINSTALLER_REQ="${PYINSTALLER_REQ:-pyinstaller>=6.22.3,<6.23}"
BUILD="$HERE/build"
VENV="$BUILD/venv"
DIST="$HERE/dist"

die() { echo "build.sh: $*" >&2; exit 1; }

"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "$PYTHON is older than 3.11 (tomllib, the app's minimum)"

start=$(date +%s)
if [[ "${REUSE_VENV:-0}" != 1 || ! -x "$VENV/bin/python" ]]; then
    echo "== clean build venv: $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
fi
echo "== pip install $ROOT $PYINSTALLER_REQ (runtime dependencies only: no office, no test extras)"
"$VENV/bin/python" -m pip install -q "$ROOT" "$PYINSTALLER_REQ"
"$VENV/bin/python" -m pip check || die "the build venv has broken dependencies"
"$VENV/bin/python" -m pip freeze --exclude-editable > "$BUILD/requirements-frozen.txt"
installed=$(date +%s)

echo "== PyInstaller $("$VENV/bin/python" -m PyInstaller --version)"
rm -rf "$DIST" "$BUILD/pyinstaller"
# From inside packaging/ so the checkout's top folder is not on sys.path: the build must use the
# installed package, as the user's machine will.
(cd "$HERE" && "$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$BUILD/pyinstaller" "$HERE/inspector-app.spec")
built=$(date +%s)

name=$("$VENV/bin/python" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["name"])' "$ROOT/pyproject.toml")
bundle="$DIST/$name"
[[ -x "$bundle/inspector-app" ]] || die "no executable at $bundle/inspector-app"
cp "$BUILD/requirements-frozen.txt" "$bundle/LICENSES/requirements-frozen.txt"

echo "== bundle: $bundle"
echo "   size:  $(du -sh "$bundle" | cut -f1) ($(find "$bundle" -type f | wc -l) files; $(tar -C "$DIST" -czf - "$name" | wc -c | awk "{printf \"%.0f MB\", \$1 / 1048576}") as .tar.gz)"
echo "   largest parts:"
du -sh "$bundle/_internal/"* 2>/dev/null | sort -rh | sed -n "1,8s/^/     /p"
echo "   times: venv + pip $((installed - start)) s, PyInstaller $((built - installed)) s"
echo "Next: bash packaging/smoke.sh"
