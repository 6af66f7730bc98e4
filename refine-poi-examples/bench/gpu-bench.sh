#!/usr/bin/env bash
# GPU check and benchmark of the CUDA SOM backend, in two steps.
#
#   bash refine-poi-examples/bench/gpu-bench.sh prepare
#       On the development machine (JDK 25 in JAVA_HOME, Maven, dependencies cached): builds the
#       jars, jlinks a JDK 25 runtime into .jre/ (git-ignored) and collects a thin bundle (app jar,
#       the few runtime jars the SOM code needs, the som test classes and the JUnit console) into
#       refine-poi-examples/target/gpu-bundle/. Both fit the device tool's 64 MiB carry limit.
#
#   bash refine-poi-examples/bench/gpu-bench.sh run
#       On the GPU machine (no Maven, no network), from the repository root, with .jre/ and the
#       bundle carried over: runs the CUDA correctness tests (JUnit, org.refinepoi.som.cuda), the
#       timings of every size (N = 100k, 1M, 10M at D = 64, 64 x 64 lattice; FP32, 3xTF32, TF32,
#       plus the Java backend up to 1M), the docs/benchmarks.md `bench som --backend cuda` line when that
#       command exists, and the PyTorch anchor (torch_batch_som.py) in the same run for the ratio.
#       Everything goes to $OUT (or results/gpu-bench/); the last lines printed are the table.
#
# Environment knobs (run): GPU_BENCH_SIZES (default 100000,1000000,10000000), GPU_BENCH_BACKENDS
# (default cuda-fp32,cuda,cuda-3xtf32,java), GPU_BENCH_EPOCHS (5), GPU_BENCH_REPS (5),
# GPU_BENCH_SKIP_TESTS=1, GPU_BENCH_SKIP_TORCH=1, GPU_BENCH_XMX (24g). Prepare: MAVEN_REPO_LOCAL
# (default ~/.m2/repository) is the local Maven repository to build from.
# gpu-smoke.sh sources this file for its functions (nothing runs then).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bundle="$repo/refine-poi-examples/target/gpu-bundle"
jre="$repo/.jre"
m2="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
cd "$repo"

prepare() {
  : "${JAVA_HOME:?set JAVA_HOME to a JDK 25}"
  export JAVA_HOME
  mvn -B -q -o "-Dmaven.repo.local=$m2" -pl refine-poi-examples -am package -DskipTests
  if [[ ! -x "$jre/bin/java" ]]; then
    "$JAVA_HOME/bin/jlink" \
      --add-modules java.base,java.logging,java.management,jdk.unsupported,jdk.incubator.vector \
      --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output "$jre"
  fi
  rm -rf "$bundle"
  mkdir -p "$bundle/lib" "$bundle/test-lib"
  cp refine-poi-examples/target/refine-poi.jar "$bundle/"
  # Only what the SOM, CUDA and bench code load (the app's manifest skips absent jars).
  local keep='^(refine-poi-(core|som)-|guava-[0-9][0-9]|failureaccess|jspecify|error_prone|j2objc|slf4j-|jackson-(core|databind|annotations)-2|picocli-)'
  for j in refine-poi-examples/target/lib/*.jar; do
    if [[ "$(basename "$j")" =~ $keep ]]; then cp "$j" "$bundle/lib/"; fi
  done
  cp -r refine-poi-som/target/test-classes "$bundle/som-test-classes"
  # Test runtime: the JUnit console plus jqwik and AssertJ (the surefire test class path, thinned).
  mvn -B -q -o "-Dmaven.repo.local=$m2" -pl refine-poi-som dependency:build-classpath \
    -Dmdep.includeScope=test \
    -Dmdep.outputFile="$bundle/test-classpath.txt" >/dev/null
  tr ':' '\n' <"$bundle/test-classpath.txt" \
    | grep -E '/(jqwik|assertj|opentest4j|apiguardian|junit-jupiter-params)[^/]*\.jar$' \
    | while read -r j; do cp "$j" "$bundle/test-lib/"; done
  local console
  console="$(find "$m2/org/junit/platform/junit-platform-console-standalone" \
    -name 'junit-platform-console-standalone-1.14*.jar' 2>/dev/null | sort | tail -1 || true)"
  if [[ -z "$console" ]]; then
    mvn -B -q "-Dmaven.repo.local=$m2" dependency:get \
      -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1
    console="$(find "$m2/org/junit/platform/junit-platform-console-standalone" \
      -name '*.jar' | sort | tail -1)"
  fi
  cp "$console" "$bundle/junit-console.jar"
  for anchor in ../shared/bench/torch_batch_som.py shared/bench/torch_batch_som.py; do
    if [[ -f "$anchor" ]]; then cp "$anchor" "$bundle/"; break; fi
  done
  du -sh "$jre" "$bundle"
  echo "prepared: carry .jre and refine-poi-examples/target/gpu-bundle"
}

cuda_lib_dirs() {
  # Directories holding libnvrtc / libcublas (toolkit, or the NVIDIA wheels next to PyTorch).
  local dirs=()
  for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib; do
    [[ -d "$d" ]] && dirs+=("$d")
  done
  if command -v python3 >/dev/null; then
    while read -r d; do [[ -n "$d" ]] && dirs+=("$d"); done < <(python3 - <<'EOF' 2>/dev/null
import glob, os, site
roots = site.getsitepackages() + [site.getusersitepackages()]
seen = set()
for r in roots:
    for pat in ("nvidia/*/lib", "nvidia/cu13/lib", "nvidia/cuda_nvrtc/lib", "nvidia/cublas/lib"):
        for d in glob.glob(os.path.join(r, pat)):
            if d not in seen and (glob.glob(d + "/libnvrtc.so*") or glob.glob(d + "/libcublas.so*")):
                seen.add(d); print(d)
EOF
)
  fi
  local IFS=:
  echo "${dirs[*]}"
}

# The carried runtime and bundle must be there; sets the java command line in $java_cmd.
require_bundle() {
  [[ -x "$jre/bin/java" ]] || { echo "missing $jre: run 'prepare' and carry .jre" >&2; exit 2; }
  [[ -f "$bundle/refine-poi.jar" ]] || { echo "missing $bundle: run 'prepare'" >&2; exit 2; }
  java_cmd=("$jre/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector
    "-Xmx${GPU_BENCH_XMX:-24g}")
  export REFINEPOI_CUDA_LIBDIR="${REFINEPOI_CUDA_LIBDIR:-$(cuda_lib_dirs)}"
}

# The CUDA JUnit package (org.refinepoi.som.cuda) on the bundle's test classes, into $1/junit.txt.
run_cuda_tests() {
  local cp="$bundle/som-test-classes"
  for j in "$bundle"/lib/*.jar "$bundle"/test-lib/*.jar; do cp="$cp:$j"; done
  "${java_cmd[@]}" -jar "$bundle/junit-console.jar" execute --class-path "$cp" \
    --select-package org.refinepoi.som.cuda --details=tree --disable-banner \
    2>&1 | tee "$1/junit.txt"
}

run() {
  local out="${OUT:-$repo/results/gpu-bench}"
  mkdir -p "$out"
  require_bundle
  local java=("${java_cmd[@]}")
  {
    date -u
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv || true
    nproc
    "$jre/bin/java" -version 2>&1
    echo "REFINEPOI_CUDA_LIBDIR=$REFINEPOI_CUDA_LIBDIR"
  } | tee "$out/machine.txt"

  local status=0
  if [[ "${GPU_BENCH_SKIP_TESTS:-0}" != 1 ]]; then
    run_cuda_tests "$out" || status=$?
    grep -E 'tests (successful|failed|skipped)' "$out/junit.txt" || true
  fi

  "${java[@]}" -jar "$bundle/refine-poi.jar" bench cuda \
    --sizes "${GPU_BENCH_SIZES:-100000,1000000,10000000}" \
    --backends "${GPU_BENCH_BACKENDS:-cuda-fp32,cuda,cuda-3xtf32,java}" \
    --epochs "${GPU_BENCH_EPOCHS:-5}" --reps "${GPU_BENCH_REPS:-5}" \
    --out "$out/refine.jsonl" 2>&1 | tee "$out/bench-cuda.txt" || status=$?

  # The contract line of docs/benchmarks.md, when the app has `bench som`.
  if "${java[@]}" -jar "$bundle/refine-poi.jar" bench --help 2>/dev/null | grep -qE '^ +som ' \
    && command -v python3 >/dev/null; then
    python3 -c "import numpy as np; np.save('$out/x1m.npy', np.random.default_rng(0).standard_normal((1000000, 64), dtype=np.float32))" \
      && "${java[@]}" -jar "$bundle/refine-poi.jar" bench som --vectors "$out/x1m.npy" \
        --rows 64 --cols 64 --epochs 5 --backend cuda --seed 7 2>&1 | tee "$out/bench-som.txt" \
      || status=$?
    rm -f "$out/x1m.npy"
  fi

  if [[ "${GPU_BENCH_SKIP_TORCH:-0}" != 1 ]]; then
    local anchor="$bundle/torch_batch_som.py"
    [[ -f "$anchor" ]] || anchor="$repo/../shared/bench/torch_batch_som.py"
    if [[ -f "$anchor" ]] && python3 -c 'import torch' 2>/dev/null; then
      OUT="$out" python3 "$anchor" 2>&1 | tee "$out/torch.txt" || status=$?
    else
      echo "PyTorch anchor not run (no torch_batch_som.py or no torch)" | tee "$out/torch.txt"
    fi
  fi

  python3 - "$out" <<'EOF' | tee "$out/table.md" || true
import json, os, sys
out = sys.argv[1]
def load(name):
    p = os.path.join(out, name)
    return [json.loads(l) for l in open(p)] if os.path.exists(p) else []
ours, torch = load("refine.jsonl"), load("torch_som.jsonl")
def torch_ms(n, tf32):
    for t in torch:
        if t["n"] == n and t["d"] == 64 and t["rows"] == 64 and t["cols"] == 64 and t["tf32"] == tf32:
            return t["s_per_epoch"] * 1e3
    return None
print("| impl | N | device ms/epoch | wall ms/epoch | torch fp32 ms | torch tf32 ms | torch/this (same precision) | BMU clear-agree | rel err vs fp32 | java/this |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in ours:
    if "n" not in r or r.get("skipped"):
        continue
    dev = r.get("device_s_per_epoch_median")
    dev_ms = dev * 1e3 if dev else None
    tf32 = r["impl"] == "refine-poi-cuda"  # the default cuda mode is TF32 (FP32 re-ranked)
    t = torch_ms(r["n"], tf32)
    ratio = f"{t / dev_ms:.2f}" if t and dev_ms else "-"
    f = lambda v, fmt: (fmt % v) if v is not None else "-"
    print(f"| {r['impl']} | {r['n']} | {f(dev_ms, '%.2f')} | {f(r.get('s_per_epoch', 0) * 1e3, '%.2f')} | "
          f"{f(torch_ms(r['n'], False), '%.2f')} | {f(torch_ms(r['n'], True), '%.2f')} | {ratio} | "
          f"{f(r.get('bmu_agree_clear'), '%.4f')} | {f(r.get('codebook_rel_err_vs_fp32'), '%.2e')} | "
          f"{f(r.get('java_over_this'), '%.1f')} |")
EOF
  echo "results in $out"
  return "$status"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  case "${1:-}" in
    prepare) prepare ;;
    run) run ;;
    *) echo "usage: $0 prepare|run" >&2; exit 2 ;;
  esac
fi
