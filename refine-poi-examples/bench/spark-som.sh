#!/usr/bin/env bash
# The Spark benchmark (not a test): a hierarchical SOM fit (first level 64x64: timed batch-map
# epochs; second level 4x4: every TREE child) through refine-poi-spark in Spark local[2], against
# the single-JVM Java backend on the same generated rows, each in its own JVM, interleaved round by
# round. Prints one JSON line per run (also appended to $OUT, default spark-som.jsonl) and a
# summary table: median seconds per epoch [min, max], the Spark/Java ratio, the children phase,
# heap and cache sizes, and whether the two models are bit-identical (model file SHA-256).
#
#   refine-poi-examples/bench/spark-som.sh ROWS [ROUNDS] [benchmark options...]
#   e.g. refine-poi-examples/bench/spark-som.sh 1000000 3 --epochs 3 --child-epochs 5
#
# Needs `mvn install -DskipTests` first (or run from a built tree). Environment: MAVEN_ARGS (extra
# Maven flags, e.g. -Dmaven.repo.local=...), JAVA_HOME (a JDK 25), ERR (where the JVMs' stderr
# goes, default /dev/null), JAVA_XMX_JAVA / JAVA_XMX_SPARK (heaps, default 8g and
# 10g), OUT, BENCH_CLASSES (the module's classes, default refine-poi-spark/target/classes: point it
# at a copy to keep building while a long run goes on).
set -euo pipefail
rows=${1:?usage: spark-som.sh ROWS [ROUNDS] [options]}
rounds=${2:-3}
shift $(( $# >= 2 ? 2 : 1 ))
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-spark-som.jsonl}
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
# Compile and provided scopes: the module, its dependencies and Spark itself (as a cluster has it).
mvn -q -B ${MAVEN_ARGS:-} -f "$root/pom.xml" -pl refine-poi-spark dependency:build-classpath \
  -Dmdep.includeScope=compile -Dmdep.outputFile="$cpfile" >&2
cp="${BENCH_CLASSES:-$root/refine-poi-spark/target/classes}:$(cat "$cpfile")"
# What spark-submit's launcher adds on JDK 17+, plus the Vector API module the SOM kernels use.
opens="--add-modules jdk.incubator.vector -XX:+IgnoreUnrecognizedVMOptions"
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
  java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
  sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
opens="$opens -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
main=org.refinepoi.spark.bench.SparkSomBenchmark
java=${JAVA_HOME:+$JAVA_HOME/bin/}java  # JDK 25
for r in $(seq 1 "$rounds"); do
  "$java" -Xmx"${JAVA_XMX_JAVA:-8g}" $opens -cp "$cp" $main --impl java --rows "$rows" --round "$r" "$@" \
    2>>"${ERR:-/dev/null}" | tee -a "$out"
  "$java" -Xmx"${JAVA_XMX_SPARK:-10g}" $opens -cp "$cp" $main --impl spark --rows "$rows" --round "$r" "$@" \
    2>>"${ERR:-/dev/null}" | tee -a "$out"
done
python3 - "$out" "$rows" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
runs = [r for r in runs if r['n'] == int(sys.argv[2])]
def med(xs):
    return "%.3f [%.3f, %.3f]" % (statistics.median(xs), min(xs), max(xs))
by = {}
for r in runs:
    by.setdefault(r['impl'], []).append(r)
java = {r['round']: r for r in by.get('java', [])}
print("| impl | runs | s/epoch (64x64) | children s | load s | init s | heap after GC MB | cache MB | load avg |")
print("|---|---|---|---|---|---|---|---|---|")
for impl, rs in by.items():
    heap = [r.get('heap_after_level0_mb', r.get('heap_after_load_mb', 0)) for r in rs]
    print("| %s | %d | %s | %s | %s | %s | %s | %s | %s |" % (
        impl, len(rs), med([r['s_per_epoch'] for r in rs]),
        med([r['phases_s'].get('children', 0) for r in rs]),
        med([r['phases_s'].get('load', r['phases_s'].get('generate', 0)) for r in rs]),
        med([r['phases_s'].get('init', 0) for r in rs]),
        med(heap), med([r.get('storage_mb', 0) for r in rs]),
        " ".join("%.1f" % r['load_start'] for r in rs)))
for impl, rs in by.items():
    if impl == 'java':
        continue
    ratio = [r['s_per_epoch'] / java[r['round']]['s_per_epoch'] for r in rs if r['round'] in java]
    child = [r['phases_s']['children'] / java[r['round']]['phases_s']['children'] for r in rs if r['round'] in java]
    same = all(r['model_sha256'] == java[r['round']]['model_sha256'] for r in rs if r['round'] in java)
    if ratio:
        print("%s / java per epoch: %s; children: %s; models bit-identical: %s" % (impl, med(ratio), med(child), same))
PY
