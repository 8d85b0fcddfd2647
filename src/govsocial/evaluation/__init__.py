"""Measuring govsocial against labelled data (``govsocial eval``) and against baselines.

```
metrics.py   pure functions: label scores (P/R/F1, macro-F1, macro-recall), span matching (IoU ≥ 0.5), F2
tasks.py     the tasks, the rows they read, govsocial's system for each, timing and scoring a run
baselines.py alt-profanity-check, VADER, TF-IDF + LR, Presidio (optional packages, requirements/bench.txt)
report.py    the report as tables or JSON
command.py   evaluate() for scripts, eval_main() for the command line
```
"""

from govsocial.evaluation.command import eval_main, evaluate
from govsocial.evaluation.tasks import TASKS

__all__ = ["TASKS", "eval_main", "evaluate"]
