# Builds the Windows installer on a Windows 10/11 x64 machine (or a hosted GitHub runner):
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# Result: dist\counter-app\ (the one-folder program) and dist\installer\counter-app-<version>-setup.exe.
# Needs: Python 3.11+ as `python` on PATH (python.org installer, or actions/setup-python),
# Inno Setup 6.3+ (installed with Chocolatey when missing), and the network for pip, WinSW and
# Inno Setup's Vietnamese messages.
param(
    [string]$BasePython = "python",
    [switch]$SkipSmoke
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

# Pinned downloads. WinSW runs the hub as a Windows service (counter-app.exe is a console
# program, not a service). Vietnamese.isl is Inno Setup's unofficial Vietnamese translation.
$WinSWUrl = "https://github.com/winsw/winsw/releases/download/v2.12.0/WinSW-x64.exe"
$WinSWSha256 = ""  # fill in after the first trusted download: the script prints the hash
$IslUrl = "https://raw.githubusercontent.com/jrsoftware/issrc/7e4637c5ba4c1fdd7f9e67214d0a8cc83ad692ac/Files/Languages/Unofficial/Vietnamese.isl"

function Invoke-Checked([string]$What, [scriptblock]$Command) {
    Write-Host "==> $What"
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit $LASTEXITCODE)" }
}

$Root = (Resolve-Path "$PSScriptRoot\..\..").Path
Set-Location $Root
$Work = Join-Path $Root "build\windows"
New-Item -ItemType Directory -Force -Path $Work | Out-Null
$Started = Get-Date

# 1. A fresh virtual environment with the program and its packaging tools.
$Venv = Join-Path $Work "venv"
if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }
Invoke-Checked "Python 3.11+" { & $BasePython -c "import sys; sys.exit(sys.version_info < (3, 11))" }
Invoke-Checked "venv" { & $BasePython -m venv $Venv }
$Python = Join-Path $Venv "Scripts\python.exe"
Invoke-Checked "pip" { & $Python -m pip install --quiet --upgrade pip }
Invoke-Checked "install" { & $Python -m pip install --quiet -e ".[package,test]" }
$Version = & $Python -c "import tomllib; print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])"

# 2. The one-folder program (fails over the size budget), then its smoke test.
Invoke-Checked "PyInstaller" { & $Python packaging\build.py }
if (-not $SkipSmoke) {
    $env:QT_QPA_PLATFORM = "offscreen"
    Invoke-Checked "smoke test" { & $Python packaging\smoke.py }
    Remove-Item Env:\QT_QPA_PLATFORM
}

# 3. WinSW for the hub service, and the Vietnamese messages of the installer.
$WinSW = Join-Path $Work "WinSW-x64.exe"
if (-not (Test-Path $WinSW)) { Invoke-WebRequest -Uri $WinSWUrl -OutFile $WinSW -UseBasicParsing }
$Hash = (Get-FileHash -Algorithm SHA256 $WinSW).Hash
Write-Host "WinSW SHA256: $Hash"
if ($WinSWSha256 -and $Hash -ne $WinSWSha256) { throw "WinSW download does not match its pinned hash" }
$Isl = Join-Path $Work "Vietnamese.isl"
if (-not (Test-Path $Isl)) { Invoke-WebRequest -Uri $IslUrl -OutFile $Isl -UseBasicParsing }

# 4. Inno Setup: on PATH, in Program Files, or installed now.
$Found = Get-Command ISCC.exe -ErrorAction SilentlyContinue
$Iscc = if ($Found) { $Found.Source } else { $null }
if (-not $Iscc) {
    $Iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe") |
        Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $Iscc) {
    Invoke-Checked "Inno Setup" { choco install innosetup --yes --no-progress }
    $Iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe"
}
Invoke-Checked "installer" {
    & $Iscc "/DAppVersion=$Version" "/DDist=$Root\dist\counter-app" "/DWinSW=$WinSW" `
        "/DVietnameseIsl=$Isl" "$Root\packaging\windows\counter-app.iss"
}

$Setup = Join-Path $Root "dist\installer\counter-app-$Version-setup.exe"
$Minutes = [math]::Round(((Get-Date) - $Started).TotalMinutes, 1)
Write-Host ("Installer: {0} ({1:N1} MB) in {2} min" -f $Setup, ((Get-Item $Setup).Length / 1MB), $Minutes)
