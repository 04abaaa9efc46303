"""Name matching: normalisation, token equivalence keys, pair scoring, candidate index and
in-context verification of name hits.

Public entry points (stable signatures, used by the scanning engine):
`name_tokens`, `name_keys`, `token_key`, `compare_names`, `compare_entity`,
`verify_in_context`, `NameIndex`.
"""

from flagger.names.chunk import find_chunk, verify_in_context
from flagger.names.compare import NameComparison, compare_entity, compare_names
from flagger.names.normalize import fold, name_tokens
from flagger.names.phonetic import token_key
from flagger.names.variants import name_keys

__all__ = [
    "NameComparison", "compare_entity", "compare_names", "find_chunk", "fold", "name_keys",
    "name_tokens", "token_key", "verify_in_context",
]
