# Build the one-folder frozen app on Windows (PyInstaller does not cross-compile: build.sh on Linux).
#
#   powershell -ExecutionPolicy Bypass -File packaging\build.ps1
#
# Needs Python 3.11+ from python.org (the "py" launcher) or on PATH. Output:
# packaging\dist\<project name>\inspector-app.exe (the command line and, without arguments, the
# window; its console is hidden when started from a shortcut), with _internal\ and LICENSES\.
# Environment: PYTHON (e.g. "py -3.12"), REUSE_VENV=1 keeps packaging\build\venv between builds.
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Here = Split-Path -Parent $MyInvocation.MyCommand.Path
$Root = Split-Path -Parent $Here
$Build = Join-Path $Here "build"
$Venv = Join-Path $Build "venv"
$Dist = Join-Path $Here "dist"
$VenvPython = Join-Path $Venv "Scripts\python.exe"
# Tested with PyInstaller 6.22.3; move the range only after a build + smoke test with the new one.
$PyInstallerReq = if ($env:PYINSTALLER_REQ) { $env:PYINSTALLER_REQ } else { "pyinstaller>=6.22.3,<6.23" }

function Invoke-Checked([string]$What, [scriptblock]$Block) {
    & $Block
    if ($LASTEXITCODE -ne 0) { throw "build.ps1: $What failed (exit code $LASTEXITCODE)" }
}

# The interpreter: $env:PYTHON, else the py launcher, else python on PATH.
if ($env:PYTHON) { $Py = $env:PYTHON -split " " }
elseif (Get-Command py -ErrorAction SilentlyContinue) { $Py = @("py", "-3") }
else { $Py = @("python") }
$PyExe, $PyArgs = $Py[0], @($Py | Select-Object -Skip 1)
Invoke-Checked "Python 3.11+ check" { & $PyExe @PyArgs -c "import sys; sys.exit(sys.version_info < (3, 11))" }

$Start = Get-Date
if ($env:REUSE_VENV -ne "1" -or -not (Test-Path $VenvPython)) {
    Write-Host "== clean build venv: $Venv"
    if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }
    Invoke-Checked "venv" { & $PyExe @PyArgs -m venv $Venv }
    Invoke-Checked "pip upgrade" { & $VenvPython -m pip install -q --upgrade pip }
}
Write-Host "== pip install $Root $PyInstallerReq (runtime dependencies only: no office, no test extras)"
Invoke-Checked "pip install" { & $VenvPython -m pip install -q $Root $PyInstallerReq }
Invoke-Checked "pip check" { & $VenvPython -m pip check }
& $VenvPython -m pip freeze --exclude-editable | Set-Content -Encoding utf8 (Join-Path $Build "requirements-frozen.txt")
$Installed = Get-Date

Write-Host "== PyInstaller $(& $VenvPython -m PyInstaller --version)"
foreach ($dir in @($Dist, (Join-Path $Build "pyinstaller"))) {
    if (Test-Path $dir) { Remove-Item -Recurse -Force $dir }
}
# From inside packaging\ so the checkout's top folder is not on sys.path: the build must use the
# installed package, as the user's machine will.
Push-Location $Here
try {
    Invoke-Checked "PyInstaller" {
        & $VenvPython -m PyInstaller --noconfirm --clean --log-level WARN `
            --distpath $Dist --workpath (Join-Path $Build "pyinstaller") (Join-Path $Here "inspector-app.spec")
    }
} finally { Pop-Location }
$Built = Get-Date

$Name = & $VenvPython -c "import sys, tomllib; print(tomllib.load(open(sys.argv[1], 'rb'))['project']['name'])" (Join-Path $Root "pyproject.toml")
$Bundle = Join-Path $Dist $Name
$Exe = Join-Path $Bundle "inspector-app.exe"
if (-not (Test-Path $Exe)) { throw "build.ps1: no executable at $Exe" }
Copy-Item (Join-Path $Build "requirements-frozen.txt") (Join-Path $Bundle "LICENSES\requirements-frozen.txt")

# A first check that the bundle starts (the full smoke test is packaging/smoke.sh on Linux).
$env:QT_QPA_PLATFORM = "offscreen"
Invoke-Checked "inspector-app --version" { & $Exe --version }
Remove-Item Env:QT_QPA_PLATFORM

$Files = Get-ChildItem -Recurse -File $Bundle
$SizeMB = [math]::Round(($Files | Measure-Object -Property Length -Sum).Sum / 1MB)
Write-Host "== bundle: $Bundle"
Write-Host "   size:  $SizeMB MB ($($Files.Count) files)"
Write-Host "   times: venv + pip $([int]($Installed - $Start).TotalSeconds) s, PyInstaller $([int]($Built - $Installed).TotalSeconds) s"
