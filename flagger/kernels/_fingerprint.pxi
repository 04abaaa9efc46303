# Included by every flagger/kernels/_<name>.pyx: the module's SOURCE_SHA256 is the sha256 of the .pyx it
# was built from, which setup.py passes to the C compiler as FLAGGER_SOURCE_SHA256 (empty when the
# module was built some other way). flagger/kernels/__init__.py compares it with the .pyx beside the
# module, where there is one (a checkout, an editable install), and does not load a kernel built from
# other source: it is stale, and the pure-Python path runs, as for a missing kernel.
cdef extern from *:
    """
    #ifndef FLAGGER_SOURCE_SHA256
    #define FLAGGER_SOURCE_SHA256 ""
    #endif
    """
    const char *FLAGGER_SOURCE_SHA256

SOURCE_SHA256 = FLAGGER_SOURCE_SHA256.decode("ascii")
