#!/usr/bin/env bash
# Profiles the gateway under fixed-rate end-to-end load: bench/profile.sh [RATE] [SECONDS] [CONNECTIONS].
# RATE is requests per second (default 1000). It installs dotnet-trace and dotnet-counters into bench/.tools as
# .NET tools from NuGet and builds like run.sh. It writes the trace, the top methods, the runtime counters, Redis
# command stats and, when Debian's linux-perf is installed, perf's CPU profile to bench/profiles/.
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
