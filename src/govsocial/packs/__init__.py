"""Policy packs: data that selects rules, sets severities per context and cites clauses.

See :mod:`govsocial.packs.loader` for the file format and :func:`load_pack`.
"""

from govsocial.packs.loader import Pack, PackError, RuleEntry, builtin_packs, load_pack

__all__ = ["Pack", "PackError", "RuleEntry", "builtin_packs", "load_pack"]
