#!/usr/bin/env bash
# Publishes expt as a native executable (NativeAOT): no .NET runtime is needed to run it.
#   scripts/publish-native.sh [RID] [OUT]     defaults: this machine's RID, native/RID
# Trimming and AOT warnings are errors: each one is a code path that could fail in the native build only.
# Prints the wall time and the size; the executable is OUT/expt (with the native SQLite and Skia libraries beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

rid=${1:-$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)}
out=${2:-native/$rid}

# NativeAOT links with the platform's clang (and zlib on Linux).
if [ "$(uname -s)" = Linux ] && ! command -v clang >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends clang zlib1g-dev >/dev/null
  else
    echo "error: NativeAOT needs clang and zlib's headers (Debian/Ubuntu: sudo apt-get install clang zlib1g-dev)" >&2
    exit 1
  fi
fi

start=$(date +%s)
dotnet publish src/Expt.Cli -c Release -r "$rid" -p:PublishAot=true -p:TrimmerSingleWarn=false -warnaserror -o "$out"
# The managed assembly keeps its name (Expt.Cli: the library's InternalsVisibleTo names it); the command is expt.
mv -f "$out/Expt.Cli" "$out/expt"
rm -f "$out/Expt.Cli.dbg"
echo "native expt: $out/expt ($(du -sh "$out" | cut -f1) in $out), published in $(( $(date +%s) - start )) s"
