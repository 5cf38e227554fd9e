"""The memory pool of the cue kernels: ``pc`` is ``pyarrow.compute`` with that pool on every kernel call.

The cue computation makes dozens of large short-lived arrays (each rewrite of the texts, each
look-up), one after another. pyarrow's default allocator (mimalloc) returns freed memory to the
operating system within milliseconds, so each new array is fresh memory that the kernel maps
page by page: on the 1M-message cue table that system time was about as large as the user time
(benchmarks/RESULTS.md, session 8). Arrow's jemalloc pool keeps freed pages for reuse a while
(its decay), so the next array of the same size reuses them. The pool is passed per call
(``memory_pool=``): nothing global changes (not the process's default pool, not the
environment), and arrays handed out are ordinary Arrow arrays whatever pool holds them.

Without jemalloc in the pyarrow build, or when the user chose a pool for the process
(``ARROW_DEFAULT_MEMORY_POOL``), the kernels use the default pool.
"""

from __future__ import annotations

import inspect
import os
from functools import partial
from typing import Any

import pyarrow as pa
import pyarrow.compute as _pc

__all__ = ["POOL", "pc"]


def _choose_pool() -> pa.MemoryPool | None:
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL", "").strip():
        return None
    try:
        return pa.jemalloc_memory_pool()
    except (NotImplementedError, pa.ArrowException):
        return None


#: The pool the cue kernels allocate from (None: pyarrow's default pool).
POOL: pa.MemoryPool | None = _choose_pool()


def _takes_pool(fn: Any) -> bool:
    try:
        return "memory_pool" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


class _PooledCompute:
    """``pyarrow.compute``, with ``memory_pool=POOL`` on every function that takes one."""

    def __init__(self, pool: pa.MemoryPool | None) -> None:
        self._pool = pool

    def __getattr__(self, name: str) -> Any:
        attr = getattr(_pc, name)
        if self._pool is not None and callable(attr) and not isinstance(attr, type) and _takes_pool(attr):
            attr = partial(attr, memory_pool=self._pool)
        setattr(self, name, attr)  # looked up once
        return attr


pc: Any = _PooledCompute(POOL)
