#!/usr/bin/env bash
# Fill .whl/ (ignored by git) with every wheel a GPU host (Python 3.12, no network) needs to build
# chaincrypto and run scripts/gpu_run.sh, beyond the numba and numba-cuda it already has: numpy
# older than 2.5 (numba-cuda 0.30 fails to compile kernels with numpy 2.5), setuptools >= 77 (the
# PEP 639 license field) and cffi to build the C backend, the runtime dependencies, pytest with
# the plugins pyproject.toml's addopts name, and the reference libraries that the GPU tests
# (tests/test_cuda_*.py) import; the 30 MB Wycheproof vectors stay here (carry limit 64 MiB).
# Usage, here, from the repository root:  bash scripts/gpu_wheels.sh   then carry [".whl"].
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
mkdir -p .whl
plat=()
# Oldest glibc first among equals: pip takes the first tag that matches, and a 2_34 wheel would
# not install on a host with an older glibc (cryptography ships both).
for p in manylinux_2_28_x86_64 manylinux_2_27_x86_64 manylinux_2_17_x86_64 manylinux2014_x86_64 \
  manylinux1_x86_64 manylinux_2_34_x86_64; do
  plat+=(--platform "$p")
done
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
  --implementation cp --abi cp312 --abi abi3 --abi none "${plat[@]}" --platform any -d .whl \
  "numpy==2.4.6" "setuptools>=77" wheel "cffi>=1.17" pycparser asn1crypto tqdm \
  pytest pluggy iniconfig packaging pygments hypothesis attrs sortedcontainers pytest-benchmark \
  py-cpuinfo py-cpuinfo2 cryptography coincurve \
  2>&1 | grep -v '^WARNING' || true
ls -1 .whl
du -sh .whl
# The host has no index: check here that the set resolves on its own (a missing dependency,
# such as pytest's pygments once, would cost the GPU run its tests).
python3 -m pip install -q --dry-run --no-index --find-links .whl --ignore-installed \
  --python-version 3.12 --only-binary=:all: --target /tmp/gpu-wheels-check "${plat[@]}" \
  --platform any .whl/*.whl
