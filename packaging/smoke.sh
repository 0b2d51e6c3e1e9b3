#!/usr/bin/env bash
# Smoke test of the frozen app (after packaging/build.sh): does the *bundle* start and work?
#
#   bash packaging/smoke.sh [BUNDLE_DIR]     # default: packaging/dist/<project name>
#
# Runs the frozen binary, offscreen, in a fresh temporary data folder and HOME: demo, visits list,
# export minutes of a signed visit, sign it with a throwaway PKCS#12, verify it (trusted and
# untrusted root), db check, forms check, screenshots of every screen, and the GUI for a few
# seconds (it must still be running, with no traceback). Exits non-zero at the first failure.
# Environment: PKI_PYTHON — a Python with the app installed, to make the throwaway PKI
# (default: the build venv); KEEP_SMOKE=1 keeps the temporary folder; GUI_SECONDS (default 8).
set -uo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
NAME="$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$ROOT/pyproject.toml" | head -1)"
VERSION="$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$ROOT/pyproject.toml" | head -1)"
BUNDLE="${1:-$HERE/dist/$NAME}"
APP="$BUNDLE/inspector-app"
PKI_PYTHON="${PKI_PYTHON:-$HERE/build/venv/bin/python}"
GUI_SECONDS="${GUI_SECONDS:-8}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/inspector-smoke.XXXXXX")"
cleanup() { if [[ "${KEEP_SMOKE:-0}" == 1 ]]; then echo "smoke: kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

fail() {
    echo "SMOKE FAILED: $*" >&2
    for f in "$WORK/out" "$WORK/err"; do
        [[ -s "$f" ]] && { echo "--- ${f##*/} (last 40 lines)" >&2; tail -n 40 "$f" >&2; }
    done
    exit 1
}

# run NAME EXPECTED_RC CMD... : runs CMD with stdout/stderr to $WORK/out|err, checks the exit code
# and that nothing printed a Python traceback.
run() {
    local name="$1" want="$2"; shift 2
    local t0 t1 rc
    t0=$(date +%s%N)
    "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
    rc=$?
    t1=$(date +%s%N)
    [[ "$rc" == "$want" ]] || fail "$name: exit code $rc, expected $want ($*)"
    if grep -q "Traceback (most recent call last)" "$WORK/err"; then fail "$name: traceback on stderr"; fi
    local ms=$(( (t1 - t0) / 1000000 ))
    printf 'smoke: %-38s ok  (%d.%02d s)\n' "$name" $((ms / 1000)) $((ms % 1000 / 10))
}

[[ -x "$APP" ]] || fail "no frozen app at $APP (run packaging/build.sh first)"
[[ -x "$PKI_PYTHON" ]] || fail "no Python for the test PKI at $PKI_PYTHON (set PKI_PYTHON)"

# Nothing of the machine's: fresh data folder, HOME and XDG folders; no display.
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_DATA_HOME="$WORK/home/.local/share" \
    XDG_CACHE_HOME="$WORK/home/.cache" XDG_RUNTIME_DIR="$WORK/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export QT_QPA_PLATFORM=offscreen
unset INSPECTOR_HOME INSPECTOR_LANG DISPLAY WAYLAND_DISPLAY
# No system time-zone database: the bundle's tzdata must be enough, as on Windows.
export PYTHONTZPATH=""
DATA="$WORK/data"
cd "$WORK" || exit 1

echo "smoke: $APP ($(du -sh "$BUNDLE" | cut -f1))"

# --- the bundle's contents: what a missing hook or a wrong filter would lose ------------------------
INT="$BUNDLE/_internal"
for f in inspector_app/forms/one_stop_centre.yaml inspector_app/resources/tokens.yaml \
         inspector_app/resources/locale/vi/LC_MESSAGES/inspector.po \
         inspector_app/resources/fonts/LiberationSerif-Regular.ttf inspector_app/resources/fonts/LICENSE-LiberationSerif.txt \
         inspector_app/core/migrations/env.py inspector_app/core/migrations/script.py.mako \
         qt_material/themes/light_blue.xml qt_material/material.qss.template \
         PySide6/Qt/plugins/platforms/libqoffscreen.so PySide6/Qt/plugins/platforms/libqxcb.so \
         PySide6/Qt/plugins/imageformats/libqjpeg.so PySide6/Qt/plugins/imageformats/libqsvg.so; do
    [[ -f "$INT/$f" ]] || fail "bundle: missing _internal/$f"
done
ls "$INT"/inspector_app/core/migrations/versions/*.py >/dev/null 2>&1 || fail "bundle: no migration versions"
for f in LICENSES/README.txt LICENSES/LGPL-3.0.txt LICENSES/PyInstaller-bootloader/COPYING.txt; do
    [[ -f "$BUNDLE/$f" ]] || fail "bundle: missing $f"
done
for office in fastapi uvicorn starlette psycopg psycopg_binary argon2 inspector_app/office; do
    [[ ! -e "$INT/$office" ]] || fail "bundle: office-only $office is in the bundle"
done
printf 'smoke: %-38s ok\n' "bundle contents"

# --- command line -----------------------------------------------------------------------------------
run "--version" 0 "$APP" --version
grep -q "$VERSION" "$WORK/out" || fail "--version does not say $VERSION"
run "demo (creates + migrates the DB)" 0 "$APP" --data-dir "$DATA" demo
run "visits list --json" 0 "$APP" --data-dir "$DATA" visits list --json
cp "$WORK/out" visits.json
VISIT="$("$PKI_PYTHON" -c '
import json, sys
visits = json.load(open(sys.argv[1], encoding="utf-8"))
print(next((v["id"] for v in visits if v["status"] == "signed"), ""))' visits.json)" \
    || fail "visits list --json: not JSON"
[[ -n "$VISIT" ]] || fail "visits list --json: no signed visit after demo"
run "visits list (start time)" 0 "$APP" --data-dir "$DATA" visits list
grep -q "$(echo "${VISIT:0:8}")" "$WORK/out" || fail "visits list does not show $VISIT"
run "db check" 0 "$APP" --data-dir "$DATA" db check
run "forms check (shipped forms)" 0 "$APP" forms check "$INT"/inspector_app/forms/*.yaml

run "export minutes (signed visit)" 0 "$APP" --data-dir "$DATA" export minutes "$VISIT" -o x.pdf
[[ "$(head -c 5 x.pdf)" == "%PDF-" ]] || fail "export minutes: x.pdf is not a PDF"

# A throwaway PKI: root CA → signer in a password-protected PKCS#12, and a second, untrusted root.
run "throwaway PKI (demo_pki)" 0 "$PKI_PYTHON" -c '
from pathlib import Path
from inspector_app.documents import demo_pki
root = demo_pki.make_root()
signer = demo_pki.issue_signer(root, "Nguyễn Văn Kiểm (SMOKE)")
demo_pki.write_pkcs12(signer, root, Path("signer.p12"), b"smoke-pw")
root.write_pem(Path("ca.pem"))
demo_pki.make_root("Some other root").write_pem(Path("other-ca.pem"))
'
export SMOKE_P12_PASSWORD="smoke-pw"
run "sign (PKCS#12)" 0 "$APP" sign x.pdf -o x-signed.pdf --p12 signer.p12 --password-env SMOKE_P12_PASSWORD
run "verify --trust ca.pem" 0 "$APP" verify x-signed.pdf --trust ca.pem
grep -q "Nguyễn Văn Kiểm" "$WORK/out" || fail "verify: signer name not shown"
run "verify --trust other root (refused)" 1 "$APP" verify x-signed.pdf --trust other-ca.pem

# --- the GUI (STYLE "Don't": a frozen app that builds but does not start) ----------------------------
run "screenshots of every screen" 0 "$APP" --data-dir "$DATA" shots shots
n=$(find shots -name '*.png' -size +10k | wc -l)
[[ "$n" -ge 4 ]] || fail "shots: only $n screenshots"

gui() {  # gui NAME DATA_DIR: the window must still be up after GUI_SECONDS (timeout's 124)
    run "$1" 124 timeout "$GUI_SECONDS" "$APP" --data-dir "$2"
    if grep -Eiq "could not (find|load) the qt platform plugin|qt.qpa.plugin|Fatal Python error" "$WORK/err"; then
        fail "$1: Qt could not start"
    fi
}
gui "GUI with the demo data (${GUI_SECONDS} s)" "$DATA"
gui "GUI on a first run (${GUI_SECONDS} s)" "$WORK/fresh"
[[ -e "$HOME/.qt_material" ]] && fail "qt-material wrote into HOME (~/.qt_material)"

echo "smoke: all checks passed ($n screenshots, $(stat -c %s x-signed.pdf) byte signed PDF)"
