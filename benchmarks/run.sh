#!/usr/bin/env bash
# Builds the benchmark component sets and runs every scenario of docs/benchmarks.md, then
# rewrites that file. About 15 minutes on a 2-core machine.
#
#   benchmarks/run.sh                 # everything, 10,000 components per system; the flat scenario
#                                     # measures N = 100, 1,000 and 10,000 (the first N classes of the set)
#   benchmarks/run.sh --quick         # smoke run: 100 components, short warm-up (not figures to quote)
#   benchmarks/run.sh --only flat,dag # some scenarios: flat chain dag heap process processor jmh;
#                                     # the others' figures are kept from the report being replaced
#   benchmarks/run.sh --report-only   # rewrite the report from its figures (after editing analysis.md)
#
# Environment: JAVA_HOME (else java on the PATH), MVN_ARGS (e.g. -o for offline),
# BENCH_COMPONENTS (override the number of classes per system), BENCH_OUT (default docs/benchmarks.md),
# BENCH_JMH_INCLUDE (a regex of the JMH benchmarks to run, e.g. 'Resource.*Benchmark'; the others' figures are kept).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"

quick=""
only=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick="--quick"; shift ;;
    --only) only=(--only "$2"); shift 2 ;;
    --report-only) only=(--report-only); shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

components="${BENCH_COMPONENTS:-$([[ -n "$quick" ]] && echo 100 || echo 10000)}"
out="${BENCH_OUT:-$root/docs/benchmarks.md}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
started=$(date +%s)

echo "== building: $components component classes per system (mvn -Pfull, into benchmarks/target/full)"
# -am builds the runtime and the processors first; no 'clean' of them (other builds may be using them).
# shellcheck disable=SC2086
mvn -B -q ${MVN_ARGS:-} -pl benchmarks -am -Pfull -DskipTests -Dbench.components="$components" package

# Run from a copy, so that a concurrent build of the tree cannot change what is being measured.
work="$(mktemp -d "${TMPDIR:-/tmp}/ordo-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
full="$here/target/full"
cp -r "$full/classes" "$work/classes"
cp -r "$full/ordo-units" "$work/units"
cp -r "$full/lib" "$work/lib"
cp "$here/src/gen/GenerateComponents.java" "$work/"
cp "$(ls "$root"/annotations/target/ordo-annotations-*.jar | grep -v sources | head -1)" "$work/lib/" 2>/dev/null || true

cp_units=""
for unit in "$work"/units/*/; do
  # process-00 (issue 11's assembly) runs only in its own JVMs of the process scenario: kept off
  # the in-JVM scenarios' class path, where its registry would be one more for .component(foo).
  [[ "$unit" == */process-*/ ]] && continue
  cp_units="$cp_units:${unit%/}"
done
echo "== built in $(( $(date +%s) - started )) s; running the scenarios (logs in $work/logs)"

"$java" -Xmx1g -cp "$work/classes$cp_units:$work/lib/*" dev.ordo.bench.RunAll \
  --classes "$work/classes" --units "$work/units" --lib "$work/lib" \
  --generator "$work/GenerateComponents.java" --work "$work" --out "$out" \
  --analysis "$here/analysis.md" $quick "${only[@]}"

if [[ -n "${BENCH_KEEP_LOGS:-}" ]]; then
  rm -rf "$BENCH_KEEP_LOGS" && cp -r "$work/logs" "$BENCH_KEEP_LOGS"
fi
echo "== done in $(( $(date +%s) - started )) s: $out"
