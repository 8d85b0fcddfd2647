"""The classification tasks: labels, positive label, the metric that picks thresholds, defaults.

The settings per task (regularisation, source balancing) were chosen by measurement on the
training part of ``../shared/data/dev`` (cross-validated, never on held-out rows); the model
cards give the figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from govsocial.errors import UsageError

__all__ = ["TASKS", "TaskSpec", "task_spec"]


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskSpec:
    name: str
    labels: tuple[str, ...]
    #: For binary tasks, the label that ``score_text`` gives the probability of.
    positive: str | None
    #: The label whose probability ``score_text`` returns (the positive one, or ``negative``
    #: for sentiment); None where a single score makes no sense (crisis).
    score_label: str | None
    #: What the decision threshold (binary) or class offsets (multi-class) maximise on
    #: out-of-fold predictions: ``f1`` (of the positive label), ``macro_f1`` or ``macro_recall``.
    metric: str
    #: Inverse regularisation strength of the fast tier's logistic regression.
    c_fast: float
    #: Same, for the accurate tier's head on sentence embeddings.
    c_accurate: float
    #: Weight rows so that every source counts the same in training.
    balance_sources: bool = False
    #: Weight rows so that every label counts the same in training.
    balance_labels: bool = False
    #: Stack the fast tier's logits onto the sentence embedding in the accurate tier.
    stack_fast: bool = True
    #: Report figures per this extra field too (``domain`` for complaints).
    report_field: str | None = None
    description: str = ""
    #: Known limitations for the model card.
    limitations: tuple[str, ...] = ()

    @property
    def binary(self) -> bool:
        return len(self.labels) == 2


TASKS: dict[str, TaskSpec] = {
    spec.name: spec
    for spec in (
        TaskSpec(
            name="abuse",
            labels=("abusive", "ok"),
            positive="abusive",
            score_label="abusive",
            metric="macro_f1",
            c_fast=8.0,
            c_accurate=2.0,
            balance_sources=True,
            description="abusive or offensive language (insults, slurs, hate, profanity aimed at people)",
            limitations=(
                "Davidson counts profanity and slurs quoted in any sense as abusive; OLID counts any offence; HatEval only hate towards immigrants or women: a single threshold serves all three, so OLID-style mild offence is missed more often than profanity.",
                "Reclaimed or quoted slurs, and criticism of public figures, can score high.",
            ),
        ),
        TaskSpec(
            name="partisan",
            labels=("partisan", "neutral"),
            positive="partisan",
            score_label="partisan",
            metric="f1",
            c_fast=8.0,
            c_accurate=2.0,
            description="party-political or partisan framing",
            limitations=(
                "US members of Congress, 2013–2015; partisan framing in other countries uses other words and names.",
                "The labels are noisy (one annotator judgement per post); treat scores as weak evidence.",
            ),
        ),
        TaskSpec(
            name="complaint",
            labels=("complaint", "other"),
            positive="complaint",
            score_label="complaint",
            metric="f1",
            c_fast=16.0,
            c_accurate=2.0,
            report_field="domain",
            description="the message is a complaint",
            limitations=(
                "Complaints to companies on Twitter; complaints to a public agency look alike but name other services.",
            ),
        ),
        TaskSpec(
            name="misinformation",
            labels=("misinformation", "ok"),
            positive="misinformation",
            score_label="misinformation",
            metric="f1",
            c_fast=16.0,
            c_accurate=2.0,
            description="false or misleading health claims",
            limitations=(
                "COVID-19 claims of 2020; the model learns the topic and style of debunked claims, not the truth of new ones.",
            ),
        ),
        TaskSpec(
            name="crisis",
            labels=(
                "caution_and_advice",
                "displaced_people_and_evacuations",
                "infrastructure_and_utility_damage",
                "injured_or_dead_people",
                "missing_or_found_people",
                "not_humanitarian",
                "other_relevant_information",
                "requests_or_urgent_needs",
                "rescue_volunteering_or_donation_effort",
                "sympathy_and_support",
            ),
            positive=None,
            score_label=None,
            metric="macro_f1",
            c_fast=8.0,
            c_accurate=2.0,
            stack_fast=False,  # the head alone; stacking needs the ten-label fast fit five more times
            description="humanitarian information type during disasters (HumAID classes)",
            limitations=(
                "Events of 2016–2019; held-out events and other kinds of disaster score lower.",
                "missing_or_found_people is rare in training (about 130 rows).",
            ),
        ),
        TaskSpec(
            name="sentiment",
            labels=("negative", "neutral", "positive"),
            positive=None,
            score_label="negative",
            metric="macro_recall",
            c_fast=8.0,
            c_accurate=1.0,
            balance_labels=True,
            description="sentiment of the post",
            limitations=("Only about 1,600 training posts: figures are uncertain (±0.05) and sarcasm is missed.",),
        ),
    )
}


def task_spec(task: str) -> TaskSpec:
    """The task's settings; ``UsageError`` naming the known tasks otherwise."""
    spec = TASKS.get(task)
    if spec is None:
        raise UsageError(f"unknown task {task!r}; tasks: {', '.join(TASKS)}")
    return spec
