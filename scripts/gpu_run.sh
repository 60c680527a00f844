#!/usr/bin/env bash
# One call on a lent GPU host (see ../shared/device/README.md): install the carried wheels,
# build the C extension in place, compile the kernels in parallel, run the CUDA benchmarks and
# the product timings of scripts/mont_bench.py,
# the GPU tests (pytest -m cuda) and chaincrypto calibrate,
# keep full logs under $OUT, and print a short table last.
#
# Here, once, from the repository root:  bash scripts/gpu_wheels.sh   (fills .whl/, about 26 MB)
# Then the device run:  carry [".whl"], command "bash scripts/gpu_run.sh"
# Environment: OUT (log folder; a temporary one if unset), QUICK=1 for small benchmark batches.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1
PY=${PYTHON:-python3}
status=0

setup() {
  echo "== $(date -u +%FT%TZ) $(hostname)"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 || true
  if compgen -G ".whl/*.whl" >/dev/null; then
    echo "== installing carried wheels into /tmp/site"
    "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
      --target /tmp/site .whl/*.whl || return 1
    export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
  else
    echo "== no .whl/ carried: using the image's packages (numpy >= 2.5 breaks numba-cuda 0.30)"
  fi
  "$PY" -c "import numpy, numba, numba_cuda, cffi; print('numpy', numpy.__version__, '| numba', numba.__version__, '| numba-cuda', numba_cuda.__version__, '| cffi', cffi.__version__)"
  echo "== building the C extension in place"
  "$PY" setup.py build_ext --inplace -q -j "$(nproc)" || return 1
}
setup >"$OUT/setup.log" 2>&1 || { cat "$OUT/setup.log"; exit 1; }
export PYTHONPATH=$PWD/src${PYTHONPATH:+:$PYTHONPATH}

timeout 30 "$PY" -m chaincrypto info >"$OUT/info.txt" 2>&1 || status=1

# Every kernel is compiled first, in parallel processes, into numba's on-disk cache: compiled
# one after another the SM2/ECDSA kernels alone take minutes. Each later step has its own time
# limit so that a slow one still leaves the others' results; with setup and info they stay under
# the 600 s a device call may run (the limits add up to 545 s, info included).
echo "== compiling the kernels in parallel (numba cache)" >&2
timeout 130 "$PY" scripts/cuda_warm.py >"$OUT/warm.log" 2>&1 || status=1
bench_args=()
[ "${QUICK:-0}" = 1 ] && bench_args+=(--quick)
echo "== benchmark: hashing and Merkle" >&2
timeout 90 "$PY" benches/bench_cuda.py --json "$OUT/bench_cuda.json" "${bench_args[@]}" \
  >"$OUT/bench_cuda.log" 2>&1 || status=1
echo "== benchmark: SM2 and ECDSA" >&2
timeout 110 "$PY" benches/bench_cuda_ec.py --json "$OUT/bench_cuda_ec.json" "${bench_args[@]}" \
  >"$OUT/bench_cuda_ec.log" 2>&1 || status=1

echo "== the product mod p three ways (scripts/mont_bench.py)" >&2
timeout 45 "$PY" scripts/mont_bench.py >"$OUT/mont_bench.txt" 2>&1 || status=1

echo "== pytest -m cuda" >&2
timeout 100 "$PY" -m pytest -m cuda -ra -p no:cacheprovider tests/test_cuda_*.py \
  >"$OUT/pytest_cuda.log" 2>&1 || status=1

echo "== calibrate (crossover cache under \$OUT/cache)" >&2
CHAINCRYPTO_CACHE_DIR="$OUT/cache" timeout 40 "$PY" -m chaincrypto calibrate \
  >"$OUT/calibrate.txt" 2>&1 || status=1

echo
grep -E "^backend cuda|cuda" "$OUT/info.txt" | head -3
tail -n 12 "$OUT/warm.log"
cat "$OUT/calibrate.txt"
cat "$OUT/mont_bench.txt"
tail -n 12 "$OUT/pytest_cuda.log"
echo
tail -n 8 "$OUT/bench_cuda.log"
tail -n 16 "$OUT/bench_cuda_ec.log"
exit $status
