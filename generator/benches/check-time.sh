#!/usr/bin/env bash
# How long `cargo check` of the generated client takes, its dependencies already built:
# the whole crate, and the `marketplace` group alone. Also counts what was generated.
#
#   generator/benches/check-time.sh [document]   (default: the pinned document)
#
# The document is read from VERCEL_SPECS_DIR, ../shared/specs/vercel or (downloaded there
# first) target/vercel-documents. Each figure is
# the best of three runs, after touching the crate's sources.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p vercel-codegen --bin vercel-codegen
codegen="$root/target/release/vercel-codegen"
specs="${VERCEL_SPECS_DIR:-$root/../shared/specs/vercel}"
if [ -z "${VERCEL_SPECS_DIR:-}" ] && [ ! -d "$specs" ]; then
    # As the tests do: the cache, filled from the addresses in spec/documents.json.
    specs="$root/target/vercel-documents"
    "$codegen" fetch-documents --pinned --workspace "$root" --dir "$specs"
fi
spec="${1:-$specs/$(sed -n 's/.*"file": *"\([^"]*\)".*/\1/p' "$root/spec/pin.json")}"
out="${CHECK_TIME_DIR:-${TMPDIR:-/tmp}/vercel-check-time}"

rm -rf "$out/src"
start=$(date +%s%N)
"$codegen" generate --spec "$spec" --out "$out" 2>/dev/null
end=$(date +%s%N)
echo "generate (one run, whole process): $(( (end - start) / 1000000 )) ms"
echo "public types: $(cat "$out"/src/*.rs | grep -cE '^\s*pub (struct|enum|type) ')"
echo "lines: $(cat "$out"/src/*.rs "$out"/src/runtime/*.rs | wc -l)"
echo "type names ending in a digit: $(cat "$out"/src/*.rs | grep -cE '^\s*pub (struct|enum|type) [A-Za-z0-9_]*[0-9]\b' || true)"
echo "brand markers: $(cat "$out"/src/*.rs | grep -c 'BRAND' || true)"

best_check() {
    local best=""
    cargo check --quiet --manifest-path "$out/Cargo.toml" "$@" 2>/dev/null
    for _ in 1 2 3; do
        touch "$out/src/lib.rs"
        local s e ms
        s=$(date +%s%N)
        cargo check --quiet --manifest-path "$out/Cargo.toml" "$@" 2>/dev/null
        e=$(date +%s%N)
        ms=$(( (e - s) / 1000000 ))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    echo "$best"
}

echo "cargo check, whole crate: $(best_check) ms"
echo "cargo check, marketplace alone: $(best_check --no-default-features --features marketplace) ms"
