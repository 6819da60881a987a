#!/usr/bin/env bash
# The whole test command (npm test): OS tools, typecheck, lint, layering, unit and interop tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-os-tools.sh

echo "== typecheck"
npx tsc -p tsconfig.json --noEmit
npx tsc -p renderer/tsconfig.json
echo "== lint"
npx biome check .
echo "== layering"
npx depcruise --config .dependency-cruiser.cjs server-core app main renderer bench test
echo "== build (browser console UI, desktop main bundle)"
npm run build:renderer -- --logLevel warn
npm run build:main
echo "== tests"
npx vitest run "$@"
