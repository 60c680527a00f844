"""CUDA kernels (numba-cuda) for batched hashing, Merkle trees, SM2 and ECDSA.

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
* :mod:`.merkle` -- Merkle level kernels and the host drivers that keep a tree on the device;
* :mod:`.bigint`, :mod:`.field`, :mod:`.curves`, :mod:`.point`, :mod:`.scalarmul` -- 256-bit
  integers (Montgomery products mod n), arithmetic mod p by each prime's special form, curve
  tables, Jacobian points and scalar multiplication for the EC kernels;
* :mod:`.ec_kernels`, :mod:`.ec_ops` -- SM2/ECDSA kernels (one or several items a thread) and
  their host drivers;
* :mod:`.streaming` -- large row-wise batches in chunks on two streams, copies overlapping
  compute;
* :mod:`.known_answer` -- each op checked against the C backend before its first run on a
  device.

Device node format: a digest is 8 ``uint32`` words whose memory bytes are the digest bytes
(so on the little-endian host ``words.view(np.uint8)`` is the digest); kernels byte-swap on
load and store.
"""
