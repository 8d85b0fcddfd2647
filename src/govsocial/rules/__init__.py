"""Rules: one concern each. See :mod:`govsocial.rules.base` and :mod:`govsocial.rules.registry`."""

from govsocial.rules.base import FAMILIES, CheckEnv, Hit, Rule

__all__ = ["FAMILIES", "CheckEnv", "Hit", "Rule"]
