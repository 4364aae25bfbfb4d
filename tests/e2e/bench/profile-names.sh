#!/usr/bin/env bash
# Gives a trunk release build (DIST) .wasm files with function names, for profile.mjs:
# trunk's wasm-opt drops the name section, so this runs wasm-bindgen again on cargo's
# output of the same build (target/wasm32-unknown-unknown/{release,release-worker}) and
# wasm-opt with the same level plus -g (keep names), checks that the JS glue it makes is
# the one in DIST (else the cargo output is not that build's: stop), and replaces the
# .wasm files in DIST, fixing the integrity of their <link rel=preload>.
# Run it right after `trunk build --release --offline --dist DIST`.
#
# usage: tests/e2e/bench/profile-names.sh DIST
set -euo pipefail
dist=$(realpath "$1")
root=$(cd "$(dirname "$0")/../../.." && pwd)
export PATH="$root/tests/e2e/node_modules/.bin:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue"

page_js=$(cd "$dist" && ls kpi-dash-*.js)
page_name=${page_js%.js}
wasm-bindgen "$root/target/wasm32-unknown-unknown/release/kpi-dash.wasm" --target web --no-typescript \
  --out-dir "$tmp/page" --out-name "$page_name"
cmp "$tmp/page/$page_name.js" "$dist/$page_js" || { echo "page glue differs: cargo output is not DIST's build" >&2; exit 1; }
wasm-opt -Oz -g $features "$tmp/page/${page_name}_bg.wasm" -o "$dist/${page_name}_bg.wasm"

wasm-bindgen "$root/target/wasm32-unknown-unknown/release-worker/worker.wasm" --target no-modules --no-typescript \
  --out-dir "$tmp/worker" --out-name worker
if cmp -s "$tmp/worker/worker.js" "$dist/worker.js"; then
  wasm-opt -O3 -g $features "$tmp/worker/worker_bg.wasm" -o "$dist/worker_bg.wasm"
else
  echo "worker glue differs (trunk's loader shim?): worker .wasm left without names" >&2
fi

# The preload's integrity (sha384) must match the new page .wasm.
sri=$(openssl dgst -sha384 -binary "$dist/${page_name}_bg.wasm" | openssl base64 -A)
sed -i -E "s#(href=\"[^\"]*${page_name}_bg\.wasm\" crossorigin=\"anonymous\" integrity=\")[^\"]*#\1sha384-${sri}#" "$dist/index.html"
echo "names kept in $dist: $(ls -la "$dist"/*.wasm | awk '{print $5, $9}' | tr '\n' ' ')"
