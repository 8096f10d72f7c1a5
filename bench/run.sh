#!/usr/bin/env bash
# Runs the FastHook benchmarks: bench/run.sh [full|quick|smoke] (default quick).
# It runs on a fresh Debian 12 machine with only the .NET SDK, as root. First it installs what the harness needs:
# wrk, redis-server and redis-tools, Node.js and npm, and the relay's npm packages. Then it builds the gateway and
# the bench projects and runs every measurement. Results go to bench/results/TIMESTAMP.{json,md,png}.
# Arguments after the mode go to the harness, such as --only fasthook,memory.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-quick}"
case "$mode" in
  full|quick|smoke) ;;
  *) echo "Invalid mode '$mode': use full, quick or smoke." >&2; exit 2 ;;
esac

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-benchmark >/dev/null 2>&1 || missing+=(redis-tools)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]} > 0)); then
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [[ ! -d bench/relay/node_modules ]]; then
  echo "Installing the BullMQ relay's npm packages (npm ci)"
  (cd bench/relay && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "Building the gateway and the bench projects (Release)"
dotnet build src/FastHook.Cli/FastHook.Cli.csproj -c Release -o bin --nologo -v quiet
dotnet build bench/Receiver/FastHook.Bench.Receiver.csproj -c Release -o bench/bin/receiver --nologo -v quiet
dotnet build bench/BareEndpoint/FastHook.Bench.BareEndpoint.csproj -c Release -o bench/bin/bare-endpoint --nologo -v quiet
dotnet build bench/Harness/FastHook.Bench.csproj -c Release -o bench/bin/harness --nologo -v quiet

# bench/profile.sh sets SKIP_RUN to reuse the installation and build steps above.
if [[ -n "${SKIP_RUN:-}" ]]; then
  exit 0
fi

exec bench/bin/harness/fasthook-bench run --mode "$mode" --out bench/results "${@:2}"
