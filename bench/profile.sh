#!/usr/bin/env bash
# Profiles the gateway under fixed-rate end-to-end load: bench/profile.sh [RATE] [SECONDS] [CONNECTIONS].
# Installs dotnet-trace and dotnet-counters into bench/.tools (as .NET tools from NuGet), builds like run.sh,
# and writes the trace, the top methods, the runtime counters and Redis command stats to bench/profiles/.
set -euo pipefail
cd "$(dirname "$0")/.."
rate="${1:-1000}"
seconds="${2:-20}"
connections="${3:-1}"

for tool in dotnet-trace dotnet-counters; do
  if [[ ! -x "bench/.tools/$tool" ]]; then
    dotnet tool install --tool-path bench/.tools "$tool"
  fi
done

SKIP_RUN=1 bench/run.sh smoke
exec bench/bin/harness/fasthook-bench profile --rate "$rate" --duration "$seconds" --connections "$connections" --out bench/profiles
