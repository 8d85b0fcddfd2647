"""The ``govsocial`` command line.

    govsocial check [TEXT | - | --file PATH] [--pack nz|uk|nsw|PATH] [--context official|personal]
                    [--platform P] [--format human|json|jsonl|sarif] [--input text|json|jsonl]
                    [--fail-on info|warn|high|block] [--select CODES] [--ignore CODES] [--jobs N] [--exit-zero]
    govsocial rules [--pack P] [--format human|json]
    govsocial rule CODE [--pack P]
    govsocial packs [--format human|json]
    govsocial eval --task TASK --data FILE.jsonl [--format human|json] [--predictions OUT] [--tier fast|accurate]
    govsocial train --task TASK --data FILE.jsonl [--out DIR] [--tier fast|accurate] [--seed N]

The agency workspace (needs the ``web`` extra; Django is imported only by these commands):

    govsocial serve [--host 127.0.0.1] [--port 8000] [--demo]
    govsocial demo
    govsocial migrate
    govsocial audit verify
    govsocial channels list [--format human|json]
    govsocial inbox import --channel NAME FILE [--format csv|json|jsonl] [--map id=Col,text=Col,...] [--no-progress]
    govsocial inbox export [--status S ...] [--channel NAME] [--format jsonl|json]
    govsocial inbox poll [--connector NAME ...]

``inbox import`` reads and checks the whole file before storing anything (a bad row: exit 2, nothing
stored), then triages and stores it in batches; messages already stored (same id in the channel)
are skipped, so importing a file again prints ``0 new, N already there``. A line needs ``id`` and
``text``; ``author``, ``author_name``, ``created_at``, ``in_reply_to``, ``thread_id``, ``url`` and
``kind`` are optional; ``--map`` names another tool's columns. ``inbox export`` streams every
message with its triage. ``inbox poll`` polls the connectors that are due (for cron without Celery).

Exit status: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage or input errors
(one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NoReturn

from govsocial import __version__
from govsocial.errors import UsageError

__all__ = ["main"]

CONTEXTS = ("official", "personal")
PLATFORMS = ("x", "bluesky", "mastodon", "facebook", "instagram", "linkedin", "threads")
SEVERITIES = ("info", "warn", "high", "block")
TASKS = ("abuse", "partisan", "complaint", "misinformation", "crisis", "sentiment", "names", "pii", "official_posts")
TRAIN_TASKS = ("abuse", "partisan", "complaint", "misinformation", "crisis", "sentiment", "names")


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"govsocial: {message} (see `{self.prog} --help`)\n")


def _split_codes(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="govsocial", description="Check social media posts against public-sector guidance.")
    parser.add_argument("--version", action="version", version=f"govsocial {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser("check", help="review a draft post or reply", description="Review a draft post or reply.")
    check.add_argument("text", nargs="?", help="the post text, or - to read standard input")
    check.add_argument("--file", "-f", help="read the post (or posts, with --input jsonl) from a file")
    check.add_argument("--pack", "-p", help="built-in pack (nz, uk, nsw) or a pack file; default nz")
    check.add_argument("--context", "-c", help="official (default) or personal")
    check.add_argument("--platform", help=f"one of {', '.join(PLATFORMS)}")
    check.add_argument("--format", dest="fmt", help="human (default), json, jsonl or sarif")
    check.add_argument("--input", dest="input_kind", default="text", help="text (default), json or jsonl")
    check.add_argument("--fail-on", help="exit 1 on a finding at or above this severity (default high)")
    check.add_argument("--select", action="append", help="only these codes, prefixes or families (comma-separated)")
    check.add_argument("--ignore", action="append", help="skip these codes, prefixes or families")
    check.add_argument("--evidence", action="store_true", help="include detector evidence in JSON output")
    check.add_argument(
        "--jobs", "-j", type=int, default=1, help="worker processes for --input jsonl (0: one per CPU core)"
    )
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings (errors still exit 2)"
    )

    rules = sub.add_parser("rules", help="list the rules", description="List the rules of a pack.")
    rules.add_argument("--pack", "-p", default=None)
    rules.add_argument("--format", dest="fmt", default="human", choices=("human", "json"))

    rule = sub.add_parser("rule", help="explain one rule", description="Explain one rule.")
    rule.add_argument("code")
    rule.add_argument("--pack", "-p", default=None)

    packs = sub.add_parser("packs", help="list the built-in packs", description="List the built-in packs.")
    packs.add_argument("--format", dest="fmt", default="human", choices=("human", "json"))

    ev = sub.add_parser(
        "eval", help="measure detection quality on labelled data", description="Measure detection quality."
    )
    ev.add_argument("--task", required=True)
    ev.add_argument("--data", required=True)
    ev.add_argument("--format", dest="fmt", default="human", choices=("human", "json"))
    ev.add_argument("--predictions")
    ev.add_argument("--tier", default="fast", choices=("fast", "accurate"))
    ev.add_argument("--baseline", action="store_true", help="add the baselines' figures in the same run")
    ev.add_argument("--split", default="all", choices=("all", "test", "train"), help="rows to evaluate (by hash of id)")

    tr = sub.add_parser("train", help="train a classifier", description="Train a classifier from labelled JSONL.")
    tr.add_argument("--task", required=True)
    tr.add_argument("--data", required=True)
    tr.add_argument("--out")
    tr.add_argument("--tier", default="fast", choices=("fast", "accurate"))
    tr.add_argument("--seed", type=int, default=0)

    serve = sub.add_parser(
        "serve",
        help="run the agency workspace (web)",
        description="Migrate the configured database and serve the agency workspace.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--demo", action="store_true", help="load the demo agency first and print its sign-ins")
    sub.add_parser(
        "demo", help="load the demo agency (web)", description="Load the demo agency and print its sign-ins."
    )
    sub.add_parser("migrate", help="create or update the workspace database (web)", description="Migrate the database.")
    sub.add_parser(
        "publish-due",
        help="publish scheduled drafts whose time has come (web; for cron)",
        description="Publish scheduled drafts that are due through their channel's adapter. Exit 1 if a platform refused one.",
    )
    audit = sub.add_parser("audit", help="the workspace's audit log (web)", description="Work with the audit log.")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", parser_class=_Parser)
    audit_sub.add_parser(
        "verify",
        help="re-walk the hash chain",
        description="Re-walk the audit log's hash chain. Exit 0 intact, 1 broken (names the first broken link).",
    )

    channels = sub.add_parser("channels", help="the workspace's channels (web)", description="Work with channels.")
    channels_sub = channels.add_subparsers(dest="channels_command", metavar="ACTION", parser_class=_Parser)
    channels_list = channels_sub.add_parser("list", help="list the channels", description="List every channel.")
    channels_list.add_argument("--format", dest="fmt", default="human", choices=("human", "json"))

    inbox = sub.add_parser(
        "inbox", help="the engagement inbox (web)", description="Import, export and poll inbox messages."
    )
    inbox_sub = inbox.add_subparsers(dest="inbox_command", metavar="ACTION", parser_class=_Parser)
    imp = inbox_sub.add_parser(
        "import",
        help="import messages from a CSV, JSON or JSONL file",
        description="Check the whole file, then triage and store its messages for a channel. "
        "Messages already stored (same id) are skipped. Exit 2 on a bad row, with nothing stored.",
    )
    imp.add_argument("file", help="the export to import")
    imp.add_argument("--channel", required=True, help="channel name, handle or id (see `govsocial channels list`)")
    imp.add_argument("--format", dest="fmt", choices=("csv", "json", "jsonl"), help="default: from the file suffix")
    imp.add_argument("--map", dest="mapping", default="", help="our field=their column, comma-separated")
    imp.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on standard error (default: when it is a terminal)",
    )
    exp = inbox_sub.add_parser(
        "export",
        help="export messages with their triage",
        description="Stream messages with their triage, oldest first.",
    )
    exp.add_argument("--status", action="append", help="only messages in this status (repeatable, or comma-separated)")
    exp.add_argument("--channel", help="only this channel (name, handle or id)")
    exp.add_argument("--format", dest="fmt", default="jsonl", choices=("jsonl", "json"))
    poll = inbox_sub.add_parser(
        "poll",
        help="poll the connectors that are due (for cron)",
        description="Poll the inbox connectors that are due now, or the named ones. Exit 1 if one failed.",
    )
    poll.add_argument("--connector", action="append", help="poll this connector now, due or not (repeatable)")
    return parser


# --------------------------------------------------------------------------- check


def _read_bytes(args: argparse.Namespace) -> tuple[bytes, str]:
    if args.file and args.text is not None:
        raise UsageError("give the post as TEXT or with --file, not both")
    if args.file:
        path = Path(args.file)
        try:
            return path.read_bytes(), str(path)
        except FileNotFoundError:
            raise UsageError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise UsageError(f"{path}: is a folder, not a file") from None
        except OSError as exc:
            raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    if args.text is None or args.text == "-":
        if args.text is None and sys.stdin.isatty():
            raise UsageError("no post given: pass TEXT, - for standard input, or --file PATH")
        return sys.stdin.buffer.read(), "stdin"
    return args.text.encode("utf-8", "surrogateescape"), "argument"


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{where}: not valid UTF-8 (byte {exc.start})") from None


def _posts(args: argparse.Namespace, settings: dict[str, Any]) -> Iterator[tuple[str, Any, str | None]]:
    """Yield (label, Post, pack override) for each post of the input."""
    from govsocial.io import InputError, post_from_dict
    from govsocial.model import Post

    kind = args.input_kind
    if kind not in ("text", "json", "jsonl"):
        raise UsageError(f"unknown --input {kind!r}: use text, json or jsonl")
    raw, where = _read_bytes(args)
    text = _decode(raw, where)
    if not text.strip():
        raise UsageError(f"{where}: the input is empty")
    context = settings.get("context") or "official"
    platform = settings.get("platform")
    if kind == "text":
        doc = {"text": text.rstrip("\n") if where != "argument" else text, "context": context}
        if platform:
            doc["platform"] = platform
        try:
            yield where, post_from_dict(doc), None
        except InputError as exc:
            raise UsageError(f"{where}: {exc}") from None
        return
    if kind == "json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{where}: malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
        try:
            post = post_from_dict(doc, default_context=context, default_platform=platform)
        except InputError as exc:
            raise UsageError(f"{where}: {exc}") from None
        yield where, _override(post, args), doc.get("pack") if isinstance(doc, dict) else None
        return
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    # Validate every line before reviewing any, so a bad line never leaves half the output written.
    parsed: list[tuple[str, Post, str | None]] = []
    for n, line in lines:
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{where}:{n}: malformed JSON ({exc.msg})") from None
        try:
            post = post_from_dict(doc, default_context=context, default_platform=platform)
        except InputError as exc:
            raise UsageError(f"{where}:{n}: {exc}") from None
        label = str(doc.get("id", n)) if isinstance(doc, dict) else str(n)
        parsed.append((label, _override(post, args), doc.get("pack") if isinstance(doc, dict) else None))
    yield from parsed


def _override(post: Any, args: argparse.Namespace) -> Any:
    """Command-line --context/--platform win over the document's own fields."""
    import dataclasses

    from govsocial.model import Context, Platform

    changes: dict[str, Any] = {}
    if args.context:
        changes["context"] = Context(args.context)
    if args.platform:
        changes["platform"] = Platform(args.platform)
    return dataclasses.replace(post, **changes) if changes else post


def _progress(stream: IO[str], done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        stream.write("\n")
    stream.flush()


def _cmd_check(args: argparse.Namespace) -> int:
    from govsocial.config import load_config
    from govsocial.engine import review
    from govsocial.model import Severity
    from govsocial.output import dumps, render_human, render_summary, result_json, sarif, use_colour

    settings = load_config()
    for key, value in (("context", args.context), ("platform", args.platform)):
        if value is not None:
            settings[key] = value
    context = settings.get("context", "official")
    if context not in CONTEXTS:
        raise UsageError(f"unknown context {context!r}: use official or personal")
    platform = settings.get("platform")
    if platform is not None and platform not in PLATFORMS:
        raise UsageError(f"unknown platform {platform!r}: use one of {', '.join(PLATFORMS)}")
    fmt = args.fmt or settings.get("format", "human")
    if fmt not in ("human", "json", "jsonl", "sarif"):
        raise UsageError(f"unknown format {fmt!r}: use human, json, jsonl or sarif")
    fail_on = args.fail_on or settings.get("fail_on", "high")
    if fail_on not in SEVERITIES:
        raise UsageError(f"unknown --fail-on {fail_on!r}: use one of {', '.join(SEVERITIES)}")
    threshold = Severity(fail_on)
    select = _split_codes(args.select) or settings.get("select")
    ignore = _split_codes(args.ignore) or settings.get("ignore")
    pack_ref = args.pack or settings.get("pack", "nz")

    default_pack = _load_pack_or_fail(pack_ref)
    posts = list(_posts(args, {**settings, "context": context}))
    if not posts:
        raise UsageError("the input has no posts")
    stdout = sys.stdout
    show_progress = args.input_kind == "jsonl" and sys.stderr.isatty() and len(posts) > 1
    results = []
    failed = False
    jobs = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
    precomputed: list[Any] | None = None
    if jobs > 1 and not any(override for _, _, override in posts):
        from govsocial.engine import review_many

        precomputed = review_many([p for _, p, _ in posts], default_pack, workers=jobs, select=select, ignore=ignore)
    for i, (label, post, pack_override) in enumerate(posts, start=1):
        pack = _load_pack_or_fail(pack_override) if pack_override and not args.pack else default_pack
        result = precomputed[i - 1] if precomputed is not None else review(post, pack, select=select, ignore=ignore)
        results.append((label, post.text, result))
        failed = failed or any(f.severity.at_least(threshold) for f in result.findings)
        if fmt == "jsonl" or (fmt == "json" and args.input_kind == "jsonl"):
            doc = result_json(result, include_evidence=args.evidence)
            if args.input_kind == "jsonl":
                doc = {"id": label, **doc}
            stdout.write(dumps(doc) + "\n")
        elif fmt == "human":
            multi = len(posts) > 1
            text = render_human(
                result, post.text, colour=use_colour(stdout), label=label if multi else None, footer=not multi
            )
            stdout.write(text + "\n")
        if show_progress:
            _progress(sys.stderr, i, len(posts))
    if fmt == "human" and len(results) > 1:
        stdout.write(render_summary([r for _, _, r in results], colour=use_colour(stdout)) + "\n")
    if fmt == "json" and args.input_kind != "jsonl":
        stdout.write(
            json.dumps(result_json(results[0][2], include_evidence=args.evidence), ensure_ascii=False, indent=2) + "\n"
        )
    elif fmt == "sarif":
        stdout.write(json.dumps(sarif(results), ensure_ascii=False, indent=2) + "\n")
    return 1 if failed and not args.exit_zero else 0


# --------------------------------------------------------------------------- rules and packs


def _load_pack_or_fail(ref: str | None) -> Any:
    from govsocial.config import load_config
    from govsocial.packs import PackError, load_pack

    try:
        return load_pack(ref or load_config().get("pack", "nz"))
    except PackError as exc:
        raise UsageError(str(exc)) from None


def _cmd_rules(args: argparse.Namespace) -> int:
    pack = _load_pack_or_fail(args.pack)
    rows = []
    for e in pack.entries:
        rows.append(
            {
                "code": e.code,
                "name": e.name,
                "summary": e.rule.summary(),
                **_severity_labels(e),
                "clauses": list(e.clauses),
            }
        )
    if args.fmt == "json":
        sys.stdout.write(json.dumps({"pack": pack.ref, "rules": rows}, ensure_ascii=False, indent=2) + "\n")
        return 0
    sys.stdout.write(f"{len(rows)} rules in {pack.id}@{pack.version} (severity official / personal)\n")
    for r in rows:
        sys.stdout.write(f"  {r['code']:<8} {r['official']:>5} / {r['personal']:<5}  {r['name']:<36} {r['summary']}\n")
    return 0


def _severity_labels(entry: Any) -> dict[str, str]:
    """A rule entry's severity per context as text, ``off`` where it does not apply."""
    return {str(ctx): str(sev) if sev else "off" for ctx, sev in entry.severity.items()}


def _cmd_rule(args: argparse.Namespace) -> int:
    from govsocial.clauses import clause
    from govsocial.rules.registry import CODES, get_rule, resolve

    code = resolve(args.code)
    pack = _load_pack_or_fail(args.pack)
    entry = pack.entry(code)
    if entry is not None:
        cls: Any = type(entry.rule)
    elif code in CODES:
        cls = get_rule(code)
    else:
        raise UsageError(f"unknown rule {args.code!r} (see `govsocial rules`)")
    doc = (cls.__doc__ or "").strip()
    import inspect

    sys.stdout.write(f"{code} {cls.name}\n\n{inspect.cleandoc(doc)}\n")
    if entry is not None:
        sev = _severity_labels(entry)
        sys.stdout.write(
            f"\n## In pack {pack.id}\n\nSeverity: official {sev['official']}, personal {sev['personal']}\n"
        )
        if entry.clauses:
            sys.stdout.write("Guidance:\n")
            for cid in entry.clauses:
                c = clause(cid)
                note = " (reconstructed: check against the original)" if c and c.reconstructed else ""
                sys.stdout.write(f"  {cid}{note}: {c.text if c else ''}\n")
    return 0


def _cmd_packs(args: argparse.Namespace) -> int:
    from govsocial.packs import builtin_packs, load_pack

    rows = []
    for name in builtin_packs():
        p = load_pack(name)
        rows.append({"id": p.id, "version": p.version, "title": p.title, "ref": p.ref, "rules": len(p.entries)})
    if args.fmt == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        for r in rows:
            sys.stdout.write(f"  {r['id']:<5} {r['version']:<10} {r['rules']:>3} rules  {r['title']}\n")
    return 0


# --------------------------------------------------------------------------- eval and train


def _cmd_eval(args: argparse.Namespace) -> int:
    if args.task not in TASKS:
        raise UsageError(f"unknown task {args.task!r}; tasks: {', '.join(TASKS)}")
    from govsocial.evaluation.command import eval_main

    return int(
        eval_main(
            task=args.task,
            data=args.data,
            fmt=args.fmt,
            predictions=args.predictions,
            tier=args.tier,
            baseline=args.baseline,
            split=args.split,
        )
    )


def _cmd_train(args: argparse.Namespace) -> int:
    if args.task not in TRAIN_TASKS:
        raise UsageError(f"unknown task {args.task!r}; trainable tasks: {', '.join(TRAIN_TASKS)}")
    if args.task == "names":
        from govsocial.classify.names import train_names

        report = train_names(args.data, args.out, args.seed)
        sys.stdout.write(json.dumps(report, indent=2, default=str) + "\n")
        return 0
    from govsocial.classify.training import train_main

    return int(train_main(args.task, args.data, args.out, args.tier, args.seed))


# --------------------------------------------------------------------------- web workspace


def _web() -> Any:
    """The web commands module; a clear usage error when the ``web`` extra is not installed."""
    try:
        import django  # noqa: F401
    except ImportError:
        raise UsageError('the agency workspace needs the web extra: pip install -e ".[web]"') from None
    from govsocial.web import commands

    return commands


def _cmd_serve(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535, not {args.port}")
    return int(_web().serve_command(host=args.host, port=args.port, demo=args.demo))


def _cmd_demo(args: argparse.Namespace) -> int:
    return int(_web().demo_command())


def _cmd_migrate(args: argparse.Namespace) -> int:
    return int(_web().migrate_command())


def _cmd_publish_due(args: argparse.Namespace) -> int:
    _web().setup()
    from govsocial.web.drafts.tasks import publish_due_command

    return int(publish_due_command())


def _cmd_audit(args: argparse.Namespace) -> int:
    if args.audit_command != "verify":
        raise UsageError("say what to do with the audit log: govsocial audit verify")
    return int(_web().audit_verify_command())


def _cmd_channels(args: argparse.Namespace) -> int:
    if args.channels_command != "list":
        raise UsageError("say what to do with the channels: govsocial channels list")
    return int(_web().channels_list_command(fmt=args.fmt))


def _cmd_inbox(args: argparse.Namespace) -> int:
    web = _web()
    if args.inbox_command == "import":
        return int(
            web.inbox_import_command(
                channel=args.channel, path=args.file, fmt=args.fmt, mapping=args.mapping, progress=args.progress
            )
        )
    if args.inbox_command == "export":
        return int(web.inbox_export_command(statuses=args.status, channel=args.channel, fmt=args.fmt))
    if args.inbox_command == "poll":
        return int(web.inbox_poll_command(names=args.connector))
    raise UsageError("say what to do with the inbox: govsocial inbox import, export or poll")


COMMANDS = {
    "check": _cmd_check,
    "rules": _cmd_rules,
    "rule": _cmd_rule,
    "packs": _cmd_packs,
    "eval": _cmd_eval,
    "train": _cmd_train,
    "serve": _cmd_serve,
    "demo": _cmd_demo,
    "migrate": _cmd_migrate,
    "publish-due": _cmd_publish_due,
    "audit": _cmd_audit,
    "channels": _cmd_channels,
    "inbox": _cmd_inbox,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        sys.stderr.write(f"govsocial: {exc}\n")
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("govsocial: interrupted\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
