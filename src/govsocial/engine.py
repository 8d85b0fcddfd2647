"""The review engine: a post and a pack in, a :class:`~govsocial.model.ReviewResult` out.

``review()`` resolves the pack (cached), works out the period (election or not), whether a
personal account is linked to the employer, and the post's language; then it runs every rule
the pack selects for the post's context. Detectors run lazily, once per post, through
:class:`~govsocial.rules.base.CheckEnv`. Findings are sorted worst first, then by position.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from govsocial import __version__
from govsocial.detectors import load_all
from govsocial.detectors.language import detect_language
from govsocial.model import Context, Finding, Post, ReviewResult, Severity, Verdict
from govsocial.packs import Pack, RuleEntry, load_pack
from govsocial.rules.base import CheckEnv
from govsocial.text import term_matcher

__all__ = ["ENGINE", "review", "review_many"]

ENGINE = f"govsocial {__version__}"


def _selected(code: str, select: Sequence[str] | None, ignore: Sequence[str] | None) -> bool:
    if select and not any(code.startswith(s.upper()) for s in select):
        return False
    return not (ignore and any(code.startswith(s.upper()) for s in ignore))


def _linked_to_employer(post: Post, pack: Pack) -> bool:
    """A personal account is linked to the employer when its profile names the agency."""
    if post.context is not Context.PERSONAL or not post.profile_bio:
        return False
    names = [*pack.options.get("agency_names", ()), *pack.options.get("agency_handles", ())]
    if post.author and post.author.agency:
        names.append(post.author.agency)
    if not names:
        return False
    return term_matcher(tuple(names)).search(post.profile_bio) is not None


def _in_election(post: Post, pack: Pack, today: dt.date | None) -> bool:
    if post.election_period is not None:
        return post.election_period
    day = post.date or today or dt.date.today()
    return pack.in_election(day)


_Plan = tuple[tuple[RuleEntry, Severity, bool], ...]
_PLANS: dict[tuple[str, Context, bool, bool, tuple[str, ...], tuple[str, ...]], _Plan] = {}


def _plan(
    pack: Pack,
    context: Context,
    election: bool,
    linked: bool,
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
) -> _Plan:
    """The rules that apply, with their severities: the same for every post of a kind, so worked
    out once per pack, context, period and selection rather than once per post."""
    key = (pack.ref, context, election, linked, tuple(select or ()), tuple(ignore or ()))
    plan = _PLANS.get(key)
    if plan is None:
        rows = []
        for entry in pack.entries:
            if not _selected(entry.code, select, ignore):
                continue
            severity = entry.severity_for(context, election=election, linked=linked)
            if severity is not None:
                rows.append((entry, severity, entry.rule.english_only))
        plan = tuple(rows)
        if len(_PLANS) > 256:
            _PLANS.clear()
        _PLANS[key] = plan
    return plan


def review(
    post: Post | str,
    pack: str | Path | Pack = "nz",
    context: Context | str | None = None,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> ReviewResult:
    """Review a draft post or reply against a policy pack.

    ``post`` may be plain text (an official post) or a :class:`Post`; ``context`` overrides
    the post's context. ``select``/``ignore`` take codes, prefixes or families (``PRIV``,
    ``SEC1``, ``ACC101``).
    """
    load_all()
    if isinstance(post, str):
        post = Post(text=post)
    if context is not None:
        post = dataclasses.replace(post, context=Context(context))
    loaded = load_pack(pack)
    language = detect_language(post.text)
    env = CheckEnv(
        post=post,
        options=loaded.options,
        election=_in_election(post, loaded, today),
        linked_to_employer=_linked_to_employer(post, loaded),
        language=language,
    )
    findings: list[Finding] = []
    seen: set[tuple[str, int | None, int | None, str]] = set()
    plan = _plan(loaded, post.context, env.election, env.linked_to_employer, select, ignore)
    english = language == "en"
    for entry, severity, english_only in plan:
        if english_only and not english:
            continue
        rule = entry.rule
        for hit in rule.check(post, env):
            key = (entry.code, hit.start, hit.end, hit.field)
            if key in seen:
                continue
            seen.add(key)
            findings.append(
                Finding(
                    code=entry.code,
                    name=rule.name,
                    severity=severity.shifted(hit.shift) if hit.shift else severity,
                    message=hit.message,
                    fix=hit.fix or rule.fix,
                    start=hit.start,
                    end=hit.end,
                    field=hit.field,
                    clauses=entry.clauses,
                    evidence=hit.evidence,
                )
            )
    findings.sort(key=lambda f: (-f.severity.rank, f.start if f.start is not None else -1, f.code))
    worst = findings[0].severity if findings else None
    return ReviewResult(
        verdict=Verdict.from_worst(worst),
        findings=tuple(findings),
        pack=loaded.ref,
        engine=ENGINE,
        context=post.context,
        language=language,
    )


def review_many(
    posts: Sequence[Post | str],
    pack: str | Path | Pack = "nz",
    *,
    workers: int = 1,
    chunk_size: int = 200,
    **kwargs: Any,
) -> list[ReviewResult]:
    """Review several posts against one pack, in order.

    With ``workers`` > 1 the posts are shared among that many processes (each loads the pack
    once), which is how a batch uses every core of the machine.
    """
    loaded = load_pack(pack)
    if workers <= 1 or len(posts) < 2 * chunk_size:
        return [review(p, loaded, **kwargs) for p in posts]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _WORKER_PACK
    _WORKER_PACK = loaded  # forked workers inherit the loaded pack: nothing to pickle or re-read
    chunks = [list(posts[i : i + chunk_size]) for i in range(0, len(posts), chunk_size)]
    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            parts = pool.map(_review_chunk, [(chunk, kwargs) for chunk in chunks])
            return [r for part in parts for r in part]
    finally:
        _WORKER_PACK = None


_WORKER_PACK: Pack | None = None


def _review_chunk(job: tuple[list[Post | str], dict[str, Any]]) -> list[ReviewResult]:
    chunk, kwargs = job
    assert _WORKER_PACK is not None
    return [review(p, _WORKER_PACK, **kwargs) for p in chunk]
