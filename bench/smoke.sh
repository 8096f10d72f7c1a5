#!/usr/bin/env bash
# CI check of the benchmark harness: every measurement at a tiny size, in about three minutes. Its numbers are
# not meaningful; it proves that the harness, the gateway, the relay and the tools still work together.
set -euo pipefail
exec "$(dirname "$0")/run.sh" smoke
