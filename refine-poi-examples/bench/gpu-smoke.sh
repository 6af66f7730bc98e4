#!/usr/bin/env bash
# GPU smoke test of the CUDA SOM backend: the first thing to run on a new GPU machine (under five
# minutes on an H100/H200). From the repository root, with .jre/ and the bundle of
# `gpu-bench.sh prepare` carried over (on a machine with Maven and no bundle yet, it prepares them):
#
#   bash refine-poi-examples/bench/gpu-smoke.sh
#
# Steps, each stopping the script loudly on failure:
#   0. (CPU) the carried runtime and bundle, the machine;
#   1. every CUDA mode (cuda = TF32 with an FP32 re-rank, cuda-3xtf32, cuda-fp32) must be
#      available: none may be skipped, so `auto` cannot fall back to the CPU unnoticed;
#   2. registers and local memory (spills) of every kernel as NVRTC compiled them for this device;
#   3. compute-sanitizer memcheck and racecheck on a tiny case of each mode, when it is installed;
#   4. the CUDA JUnit package (correctness against the Java backend and an exact oracle);
#   5. 1M x 64 samples on a 64 x 64 map (4096 units): every mode against the Java backend, and the
#      PyTorch anchor (../shared/bench/torch_batch_som.py) in the same run.
# Output goes to $OUT (or results/gpu-smoke/); the last lines printed are the timing table.
# Knobs: GPU_SMOKE_EPOCHS (3), GPU_SMOKE_REPS (3), GPU_SMOKE_SKIP_TORCH=1, GPU_BENCH_XMX (24g).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=gpu-bench.sh
source "$here/gpu-bench.sh"

out="${OUT:-$repo/results/gpu-smoke}"
mkdir -p "$out"
modes="cuda-fp32,cuda,cuda-3xtf32"

step() { printf '\n== step %s: %s\n' "$1" "$2"; }
stop() {
  local code="$1"
  shift
  printf '\nSTOP: %s\n' "$*" | tee -a "$out/smoke.txt" >&2
  exit "$code"
}

step 0 "runtime, bundle and machine (CPU)"
if [[ ! -x "$jre/bin/java" || ! -f "$bundle/refine-poi.jar" ]] && command -v mvn >/dev/null \
  && [[ -n "${JAVA_HOME:-}" ]]; then
  prepare
fi
require_bundle
{
  date -u
  nproc
  "$jre/bin/java" -version 2>&1 | head -1
  echo "REFINEPOI_CUDA_LIBDIR=$REFINEPOI_CUDA_LIBDIR"
} | tee "$out/machine.txt"
app=("${java_cmd[@]}" -jar "$bundle/refine-poi.jar")

step 1 "every CUDA mode available (first GPU step)"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv \
    | tee -a "$out/machine.txt" || true
else
  echo "nvidia-smi: not found" | tee -a "$out/machine.txt"
fi
if ! "${app[@]}" bench cuda --backends "$modes" --require-all 2>"$out/probe.txt" \
  --kernel-report >"$out/kernels.txt"; then
  cat "$out/probe.txt" "$out/kernels.txt" >&2
  if grep -q "CUDA backend unavailable" "$out/probe.txt"; then
    stop 2 "step 1, the first GPU step: a CUDA mode is unavailable on this machine (reasons above)." \
      "No GPU step ran; run this script on a machine with an NVIDIA GPU (compute capability 8.0+)," \
      "its driver, and NVRTC and cuBLAS 12 or 13 (REFINEPOI_CUDA_LIBDIR names their directories)."
  fi
  stop 3 "step 1/2: the kernel report failed or a kernel spills (see $out/kernels.txt)"
fi
echo "all CUDA modes available: $modes"

step 2 "registers and spills per kernel, as NVRTC compiled them"
cat "$out/kernels.txt"

step 3 "compute-sanitizer memcheck and racecheck on tiny cases"
if command -v compute-sanitizer >/dev/null; then
  for tool in memcheck racecheck; do
    timeout 240 compute-sanitizer --tool "$tool" --error-exitcode 9 "${app[@]}" bench cuda \
      --sizes 3001 --dims 37 --rows 9 --cols 11 --epochs 1 --reps 1 --java-max-n 0 \
      --check-rows 300 --skip-sgemm --backends "$modes" >"$out/sanitizer-$tool.txt" 2>&1 \
      || { tail -40 "$out/sanitizer-$tool.txt" >&2; stop 4 "step 3: compute-sanitizer $tool failed"; }
    grep -E "ERROR SUMMARY|RACECHECK SUMMARY" "$out/sanitizer-$tool.txt" || true
  done
else
  echo "compute-sanitizer not installed: memcheck and racecheck not run" | tee "$out/sanitizer.txt"
fi

step 4 "CUDA JUnit package"
if ! run_cuda_tests "$out" >/dev/null; then
  grep -E "✘|MethodSource|tests (successful|failed|skipped)" "$out/junit.txt" | tail -30 >&2
  stop 5 "step 4: CUDA tests failed (see $out/junit.txt)"
fi
# Skips left here are the compile checks that need nvcc or NVRTC on the PATH / loader path.
grep -E 'tests (successful|failed|skipped)' "$out/junit.txt"

step 5 "1M x 64 on 64 x 64: every mode, the Java backend and the PyTorch anchor"
"${app[@]}" bench cuda --sizes 1000000 --backends "$modes,java" \
  --epochs "${GPU_SMOKE_EPOCHS:-3}" --reps "${GPU_SMOKE_REPS:-3}" --require-all \
  --out "$out/refine.jsonl" 2>&1 | tee "$out/bench-cuda.txt"
if [[ "${GPU_SMOKE_SKIP_TORCH:-0}" != 1 ]]; then
  anchor="$bundle/torch_batch_som.py"
  [[ -f "$anchor" ]] || anchor="$repo/../shared/bench/torch_batch_som.py"
  if [[ -f "$anchor" ]] && python3 -c 'import torch' 2>/dev/null; then
    OUT="$out" timeout 240 python3 "$anchor" 2>&1 | tee "$out/torch.txt" || true
  else
    echo "PyTorch anchor not run (no torch_batch_som.py or no torch)" | tee "$out/torch.txt"
  fi
fi
echo "smoke test passed; results in $out"
