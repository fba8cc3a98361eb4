@echo off
rem flashtok one-click benchmark on Windows: best effort, not tested in CI.
rem flashtok uses POSIX APIs (mkstemp, clock_gettime, getrusage), so on Windows it runs under
rem WSL (Windows Subsystem for Linux) with a Debian or Ubuntu distribution.
where wsl >nul 2>nul
if errorlevel 1 (
  echo WSL is not installed. Install it with: wsl --install -d Debian
  echo then run this script again, or run ./run_benchmark.sh inside WSL.
  exit /b 2
)
wsl bash -lc "cd \"$(wslpath -a \"%~dp0\")\" && sudo ./run_benchmark.sh %*"
exit /b %errorlevel%
