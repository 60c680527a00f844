"""CUDA kernels (numba-cuda) for batched hashing and Merkle trees.

Nothing here is imported by ``import chaincrypto``: the backend registry imports
:mod:`chaincrypto.backends.cuda` on first use, which imports these modules, and numba compiles
each kernel on its first launch (``cache=True`` keeps the result on disk).

Modules, one job each:

* :mod:`.primitives` -- 32-bit word helpers (rotations, byte swap, truncation) with plain-Python
  twins under the CUDA simulator (``NUMBA_ENABLE_CUDASIM=1``);
* :mod:`.launch` -- launch configuration, kernel/device-function decorators, device buffers;
* :mod:`.message` -- Merkle-Damgard padding and big-endian block loading, shared by both hashes;
* :mod:`.sm3`, :mod:`.sha256` -- the compression functions and initial values;
* :mod:`.hashing` -- batch kernels over equal-length messages and flat buffers with offsets;
* :mod:`.merkle` -- Merkle level kernels and the host drivers that keep a tree on the device.

Device node format: a digest is 8 ``uint32`` words whose memory bytes are the digest bytes
(so on the little-endian host ``words.view(np.uint8)`` is the digest); kernels byte-swap on
load and store.
"""
