"""The engagement inbox engine: triage and house-rule moderation of incoming messages.

Pure Python (no web framework); the web app's inbox stores what this decides.

```
houserules.py  HouseRule, HouseRules, load_house_rules(pack_ref): the pack's ``house_rules``
language.py    detect_language(text) -> "en" | "mi" | "other"
triage.py      TriageInput -> Triage: triage_many(items, rules=...), fingerprint(text)
```

```python
from govsocial.inbox import TriageInput, load_house_rules, triage_many

rules = load_house_rules("nz")
[t] = triage_many([TriageInput(text="When does the pool reopen?")], rules=rules)
t.category, t.action, t.respond  # ("question", "leave", True)
```
"""

from govsocial.inbox.houserules import HouseRule, HouseRules, load_house_rules
from govsocial.inbox.language import detect_language
from govsocial.inbox.triage import CATEGORIES, ENGINE_VERSION, Triage, TriageInput, fingerprint, triage_many, triage_one

__all__ = [
    "CATEGORIES",
    "ENGINE_VERSION",
    "HouseRule",
    "HouseRules",
    "Triage",
    "TriageInput",
    "detect_language",
    "fingerprint",
    "load_house_rules",
    "triage_many",
    "triage_one",
]
