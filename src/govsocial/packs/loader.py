"""Load, merge and validate policy packs.

A pack is a YAML file::

    id: my-agency                 # letters, digits, hyphens
    version: "2026.11.0"
    title: My Agency
    extends: nz                   # a built-in pack or a path relative to this file
    include_options: [staff.yml]  # YAML mappings merged into options (paths relative to this file)
    options:                      # read by rules; lists extend the parent's, mappings merge
      agency_names: [My Agency]
    reset_options: [parties]      # drop the parent's value of these options first
    rules:                        # code → how this pack uses it
      PRIV101:
        clauses: [NZPSC-OFF-6]
        official: block           # info | warn | high | block | off
        personal: warn
        linked: 1                 # personal severity steps up when the profile names the employer
        election: {official: block}
        options: {…}
    disable: [STY1]               # codes, prefixes or families to drop from the parent
    data_rules:                   # rules written as data (existence, substitution, occurrence)
      STY201: {type: substitution, name: jargon, swap: {utilise: use}, …}
    house_rules:                  # inbox moderation (govsocial.inbox): published community rules
      strikes_to_block: 3         # suggest a block at this many strikes (IN-13)
      block_review_days: 90       # a block's default review date
      political_scope: electioneering   # IN-07 covers electioneering | parties (and personalities)
      thresholds: {abuse: 0.9}    # classifier bars of the triage (see govsocial.inbox.triage)
      rules:                      # code → the rule as published; a child overrides fields by code
        IN-01: {title: Personal information, text: …, action: hide, strike: false, serves: [IN-01]}

Errors name the file, the line and the problem (:class:`PackError`). A loaded pack is
immutable and carries ``ref`` = ``id@version#sha256`` of its resolved content, so any stored
review can be reproduced against the exact pack that produced it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from govsocial.model import Context, Severity
from govsocial.rules.base import CODE_RE, NAME_RE, Rule

__all__ = ["Pack", "PackError", "RuleEntry", "builtin_packs", "load_pack"]

BUILTIN_DIR = "data"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_SEVERITIES = {"info", "warn", "high", "block", "off"}
_TOP_KEYS = {
    "id",
    "version",
    "title",
    "description",
    "jurisdiction",
    "locale",
    "extends",
    "abstract",
    "include_options",
    "options",
    "reset_options",
    "rules",
    "disable",
    "data_rules",
    "house_rules",
}
_RULE_KEYS = {"clauses", "official", "personal", "linked", "election", "options"}
_HOUSE_KEYS = {"strikes_to_block", "block_review_days", "political_scope", "thresholds", "rules"}
_HOUSE_RULE_KEYS = {"title", "text", "action", "strike", "serves"}
_HOUSE_ACTIONS = ("hide", "queue", "leave")
_POLITICAL_SCOPES = ("electioneering", "parties")
#: Classifier bars the inbox triage reads (probabilities, see govsocial.inbox.triage).
HOUSE_THRESHOLDS = ("abuse", "abuse_alone", "complaint", "complaint_protect", "crisis", "misinformation", "partisan")
_HOUSE_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{0,9}-[0-9]{1,3}$")
#: House rules that promise what is never hidden: their action must stay ``leave``.
_PROTECTIONS = {
    "IN-14": "legitimate questions and complaints are never hidden",
    "IN-15": "criticism is never a reason to hide",
}


class PackError(ValueError):
    """A pack that cannot be loaded. The message names the file, line and problem."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[type[PackError], tuple[str, int | None, str]]:
        return (PackError, (self.source, self.line, self.problem))


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleEntry:
    """How a pack uses one rule."""

    code: str
    rule: Rule
    clauses: tuple[str, ...]
    severity: Mapping[Context, Severity | None]
    election: Mapping[Context, Severity | None]
    linked: int = 0

    @property
    def name(self) -> str:
        return self.rule.name

    def severity_for(self, context: Context, *, election: bool, linked: bool) -> Severity | None:
        sev = self.severity.get(context)
        if election and context in self.election:
            sev = self.election[context]
        if sev is not None and linked and context is Context.PERSONAL and self.linked:
            sev = sev.shifted(self.linked)
        return sev


@dataclass(frozen=True, slots=True, kw_only=True)
class Pack:
    """A loaded, validated, fully resolved pack."""

    id: str
    version: str
    title: str
    jurisdiction: str
    source: str
    sha256: str
    options: Mapping[str, Any]
    entries: tuple[RuleEntry, ...]
    description: str = ""
    extends: tuple[str, ...] = ()
    #: Validated ``house_rules`` (inbox moderation); empty when no pack in the chain has them.
    house_rules: Mapping[str, Any] = dc_field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}#{self.sha256}"

    def entry(self, code: str) -> RuleEntry | None:
        return next((e for e in self.entries if e.code == code), None)

    def in_election(self, day: dt.date) -> bool:
        """Whether ``day`` falls in one of the pack's election or caretaker periods."""
        return any(period["start"] <= day <= period["end"] for period in self.options.get("election_periods", ()))


# --------------------------------------------------------------------------- reading


# libyaml's parser when PyYAML has it (about ten times faster; packs load on every start-up).
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[valid-type,misc]
    """SafeLoader that keeps dates as strings (we parse them where we expect them)."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}


def _compose(text: str, source: str) -> yaml.Node:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise PackError(source, line, f"not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise PackError(source, None, f"not valid YAML: {exc}") from None
    if node is None:
        raise PackError(source, 1, "the pack is empty")
    return node


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _plain(node: yaml.Node, source: str) -> Any:
    """Convert a node to Python data (the safe constructor, dates as strings)."""
    loader = _Loader("")
    try:
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise PackError(source, _line(node), f"cannot read value: {exc}") from None
    finally:
        loader.dispose()


def _mapping(node: yaml.Node, source: str, what: str) -> dict[str, yaml.Node]:
    return {key: value for key, (_, value) in _keyed(node, source, what).items()}


def _keyed(node: yaml.Node, source: str, what: str) -> dict[str, tuple[int, yaml.Node]]:
    """A mapping node's entries as key → (line of the key, value node)."""
    if not isinstance(node, yaml.MappingNode):
        raise PackError(source, _line(node), f"{what} must be a mapping")
    out: dict[str, tuple[int, yaml.Node]] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str):
            raise PackError(source, _line(key_node), f"{what} keys must be text")
        if key in out:
            raise PackError(source, _line(key_node), f"{what} has {key!r} twice")
        out[key] = (_line(key_node), value_node)
    return out


@dataclass(slots=True)
class _Raw:
    """One pack file's content, validated for shape, before merging with its parents."""

    source: str
    path: Path | None
    data: dict[str, Any]
    lines: dict[str, int]


def _read(text: str, source: str, path: Path | None) -> _Raw:
    root = _compose(text, source)
    top = _keyed(root, source, "the pack")
    # Lines are those of the keys, so an error points at the line that names the problem.
    lines: dict[str, int] = {}
    for key, (line, _) in top.items():
        if key not in _TOP_KEYS:
            raise PackError(source, line, f"unknown key {key!r} (expected one of {', '.join(sorted(_TOP_KEYS))})")
        lines[key] = line
    data: dict[str, Any] = {}
    for key, (_, node) in top.items():
        if key == "rules":
            rules = _keyed(node, source, "rules")
            data[key] = {}
            for code, (line, rnode) in rules.items():
                code = code.strip().upper()
                lines[f"rules.{code}"] = line
                if isinstance(rnode, yaml.ScalarNode) and rnode.value in ("", "~", "null"):
                    entry: Any = {}
                else:
                    if not isinstance(rnode, yaml.MappingNode):
                        raise PackError(source, line, f"rules.{code} must be a mapping")
                    for k, (kline, _) in _keyed(rnode, source, f"rules.{code}").items():
                        if k not in _RULE_KEYS:
                            raise PackError(
                                source,
                                kline,
                                f"rules.{code}: unknown key {k!r} (expected {', '.join(sorted(_RULE_KEYS))})",
                            )
                        lines[f"rules.{code}.{k}"] = kline
                    entry = _plain(rnode, source)
                data[key][code] = entry
        elif key == "data_rules":
            drules = _keyed(node, source, "data_rules")
            data[key] = {}
            for code, (line, rnode) in drules.items():
                code = code.strip().upper()
                lines[f"data_rules.{code}"] = line
                data[key][code] = _plain(rnode, source)
        elif key == "house_rules":
            data[key] = _read_house_rules(node, source, lines)
        elif key == "options":
            opts = _keyed(node, source, "options")
            for name, (line, onode) in opts.items():
                lines[f"options.{name}"] = line
                if name == "election_periods" and isinstance(onode, yaml.SequenceNode):
                    for item in onode.value:
                        lines[_period_key(_plain(item, source))] = _line(item)
            data[key] = _plain(node, source)
        else:
            data[key] = _plain(node, source)
    if "id" not in data:
        raise PackError(source, 1, "the pack has no id")
    if not isinstance(data["id"], str) or not _ID_RE.match(data["id"]):
        raise PackError(source, lines["id"], "id must be lower-case letters, digits and hyphens")
    if "version" in data and not isinstance(data["version"], (str, int, float)):
        raise PackError(source, lines["version"], 'version must be text such as "2026.11.0"')
    return _Raw(source=source, path=path, data=data, lines=lines)


def _read_house_rules(node: yaml.Node, source: str, lines: dict[str, int]) -> dict[str, Any]:
    """Shape of ``house_rules`` (values are checked after merging, in :func:`_build_house_rules`)."""
    out: dict[str, Any] = {"settings": {}, "rules": {}}
    for key, (line, value) in _keyed(node, source, "house_rules").items():
        if key not in _HOUSE_KEYS:
            raise PackError(
                source, line, f"house_rules: unknown key {key!r} (expected one of {', '.join(sorted(_HOUSE_KEYS))})"
            )
        lines[f"house_rules.{key}"] = line
        if key == "rules":
            for code, (rline, rnode) in _keyed(value, source, "house_rules.rules").items():
                code = code.strip().upper()
                if not _HOUSE_CODE_RE.match(code):
                    raise PackError(
                        source, rline, f"house rule code {code!r} must look like IN-01 (letters, hyphen, number)"
                    )
                lines[f"house_rules.rules.{code}"] = rline
                if not isinstance(rnode, yaml.MappingNode):
                    raise PackError(source, rline, f"house_rules.rules.{code} must be a mapping")
                for field, (fline, _) in _keyed(rnode, source, f"house_rules.rules.{code}").items():
                    if field not in _HOUSE_RULE_KEYS:
                        raise PackError(
                            source,
                            fline,
                            f"house_rules.rules.{code}: unknown key {field!r} (expected {', '.join(sorted(_HOUSE_RULE_KEYS))})",
                        )
                    lines[f"house_rules.rules.{code}.{field}"] = fline
                out["rules"][code] = _plain(rnode, source)
        elif key == "thresholds":
            for name, (tline, _) in _keyed(value, source, "house_rules.thresholds").items():
                if name not in HOUSE_THRESHOLDS:
                    raise PackError(
                        source,
                        tline,
                        f"house_rules.thresholds: unknown bar {name!r} (expected {', '.join(HOUSE_THRESHOLDS)})",
                    )
                lines[f"house_rules.thresholds.{name}"] = tline
            out["settings"][key] = _plain(value, source)
        else:
            out["settings"][key] = _plain(value, source)
    return out


# --------------------------------------------------------------------------- merging


def _builtin_text(name: str) -> str | None:
    res = resources.files("govsocial.packs").joinpath(BUILTIN_DIR, f"{name}.yml")
    return res.read_text(encoding="utf-8") if res.is_file() else None


def _builtin_path(name: str) -> Path:
    return Path(str(resources.files("govsocial.packs").joinpath(BUILTIN_DIR, f"{name}.yml")))


_Stamp = tuple[int, int] | None
#: Files a pack was built from, each with its stamp when it was read.
_Deps = list[tuple[Path, _Stamp]]


def _stamp(path: Path) -> _Stamp:
    """Modification time and size: what says a file has changed since it was read."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _is_builtin_ref(ref: str) -> bool:
    return bool(_ID_RE.match(ref)) and not ref.endswith((".yml", ".yaml"))


def _read_text(path: Path, what: str) -> str:
    """A file's text; errors name the file (and, for bytes that are not UTF-8, the line)."""
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        raise PackError(str(path), None, f"no such {what}") from None
    except OSError as exc:
        raise PackError(str(path), None, f"cannot read the {what}: {exc.strerror}") from None
    try:
        return raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw_bytes.count(b"\n", 0, exc.start) + 1
        raise PackError(str(path), line, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None


def _read_ref(ref: str, relative_to: Path | None, deps: _Deps | None = None) -> _Raw:
    """Read a pack by built-in name or path; pack files read are appended to ``deps``."""
    if _is_builtin_ref(ref):
        text = _builtin_text(ref)
        if text is None:
            raise PackError(ref, None, f"unknown pack {ref!r}; built-in packs: {', '.join(builtin_packs())}")
        return _read(text, f"{ref} (built-in)", _builtin_path(ref))
    path = Path(ref)
    if relative_to is not None and not path.is_absolute():
        path = relative_to.parent / path
    stamp = _stamp(path)  # before reading: an edit made while we read is seen next time
    text = _read_text(path, "pack file")
    if deps is not None:
        deps.append((path.absolute(), stamp))
    return _read(text, str(path), path)


def _merge_options(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        old = out.get(key)
        if isinstance(old, list) and isinstance(value, list):
            out[key] = old + [v for v in value if v not in old]
        elif isinstance(old, dict) and isinstance(value, dict):
            out[key] = _merge_options(old, value)
        else:
            out[key] = value
    return out


def _selected(code: str, patterns: Sequence[str]) -> bool:
    return any(code.startswith(p.strip().upper()) for p in patterns)


def _resolve(raw: _Raw, chain: tuple[str, ...] = (), deps: _Deps | None = None) -> dict[str, Any]:
    """The pack's data merged over its ancestors'; files read are appended to ``deps``."""
    pid = raw.data["id"]
    if pid in chain:
        raise PackError(raw.source, raw.lines.get("extends"), f"extends loops back to {pid!r}")
    merged: dict[str, Any] = {"options": {}, "rules": {}, "data_rules": {}, "extends": []}
    parent_ref = raw.data.get("extends")
    if parent_ref is not None:
        if not isinstance(parent_ref, str):
            raise PackError(raw.source, raw.lines["extends"], "extends must name one pack")
        try:
            parent = _read_ref(parent_ref, raw.path, deps)
        except PackError as exc:
            # A parent that does not exist is this file's mistake: point at its ``extends`` line.
            if exc.line is None and exc.problem.startswith(("no such pack file", "unknown pack")):
                raise PackError(raw.source, raw.lines["extends"], f"extends {parent_ref!r}: {exc.problem}") from None
            raise
        merged = _resolve(parent, (*chain, pid), deps)
        merged["extends"] = [*merged["extends"], parent.data["id"]]
    for key in raw.data.get("reset_options", []) or []:
        merged["options"].pop(key, None)
    includes = raw.data.get("include_options", []) or []
    if not isinstance(includes, list) or not all(isinstance(i, str) for i in includes):
        raise PackError(raw.source, raw.lines["include_options"], "include_options must be a list of file names")
    for inc in includes:
        inc_path = (raw.path.parent / inc) if raw.path else Path(inc)
        stamp = _stamp(inc_path)
        try:
            inc_text = _read_text(inc_path, "included options file")
        except PackError as exc:
            if exc.line is None:
                raise PackError(
                    raw.source, raw.lines["include_options"], f"include_options {inc!r}: {exc.problem}"
                ) from None
            raise
        if deps is not None:
            deps.append((inc_path.absolute(), stamp))
        inc_data = _plain(_compose(inc_text, str(inc_path)), str(inc_path))
        if not isinstance(inc_data, dict):
            raise PackError(str(inc_path), 1, "an included options file must be a mapping")
        merged["options"] = _merge_options(merged["options"], inc_data)
    merged["options"] = _merge_options(merged["options"], raw.data.get("options") or {})
    disable = raw.data.get("disable") or []
    if not isinstance(disable, list):
        raise PackError(raw.source, raw.lines["disable"], "disable must be a list of codes, prefixes or families")
    merged["rules"] = {c: e for c, e in merged["rules"].items() if not _selected(c, disable)}
    for code, entry in (raw.data.get("rules") or {}).items():
        old = merged["rules"].get(code, {})
        new = dict(old)
        for k, v in entry.items():
            if k == "options" and isinstance(v, dict):
                new["options"] = _merge_options(old.get("options", {}), v)
            elif k == "election" and isinstance(v, dict):
                new["election"] = {**old.get("election", {}), **v}
            else:
                new[k] = v
        merged["rules"][code] = new
    merged["data_rules"].update(raw.data.get("data_rules") or {})
    house = raw.data.get("house_rules")
    if house is not None:
        # A child overrides the scalar settings, single bars and single fields of a rule by code.
        old_house = merged.get("house_rules") or {"settings": {}, "rules": {}}
        settings = dict(old_house["settings"])
        for k, v in house["settings"].items():
            if k == "thresholds" and isinstance(v, dict) and isinstance(settings.get(k), dict):
                settings[k] = {**settings[k], **v}
            else:
                settings[k] = v
        rules = {code: dict(fields) for code, fields in old_house["rules"].items()}
        for code, fields in house["rules"].items():
            rules[code] = {**rules.get(code, {}), **fields}
        merged["house_rules"] = {"settings": settings, "rules": rules}
    for key in ("id", "version", "title", "description", "jurisdiction", "locale", "abstract"):
        if key in raw.data:
            merged[key] = raw.data[key]
    merged.setdefault("abstract", False)
    if "abstract" not in raw.data:
        merged["abstract"] = False
    merged["_lines"] = {**merged.get("_lines", {}), **{k: (raw.source, v) for k, v in raw.lines.items()}}
    return merged


# --------------------------------------------------------------------------- building


def _severity(value: Any, where: tuple[str, int | None], what: str) -> Severity | None:
    if value is None or value == "off" or value is False:
        return None
    if not isinstance(value, str) or value not in _SEVERITIES:
        raise PackError(
            where[0], where[1], f"{what}: severity must be one of info, warn, high, block, off (got {value!r})"
        )
    return Severity(value)


def _period_key(item: Any) -> str:
    """Where an election period was written (lists merge across packs, so not by index)."""
    return "options.election_periods@" + json.dumps(item, sort_keys=True, default=str)


def _dates(
    periods: Any, where: tuple[str, int | None], lines: Mapping[str, tuple[str, int]] | None = None
) -> list[dict[str, Any]]:
    if not isinstance(periods, list):
        raise PackError(where[0], where[1], "election_periods must be a list of {name, start, end}")
    out = []
    for p in periods:
        where = (lines or {}).get(_period_key(p), where)
        if not isinstance(p, dict) or "start" not in p or "end" not in p:
            raise PackError(where[0], where[1], "each election period needs start and end dates (YYYY-MM-DD)")
        try:
            start = dt.date.fromisoformat(str(p["start"]))
            end = dt.date.fromisoformat(str(p["end"]))
        except ValueError:
            raise PackError(
                where[0], where[1], f"election period dates must be YYYY-MM-DD (got {p['start']!r}, {p['end']!r})"
            ) from None
        if end < start:
            raise PackError(where[0], where[1], f"election period {p.get('name', '')!r} ends before it starts")
        out.append({**p, "start": start, "end": end})
    return out


def _build(merged: dict[str, Any], source: str) -> Pack:
    from govsocial.clauses import known_clause
    from govsocial.rules.data import make_data_rule
    from govsocial.rules.registry import CODES, get_rule, resolve

    lines: dict[str, tuple[str, int]] = merged.pop("_lines")

    def at(key: str) -> tuple[str, int | None]:
        return lines.get(key, (source, None))

    options = dict(merged["options"])
    if "election_periods" in options:
        options["election_periods"] = _dates(options["election_periods"], at("options.election_periods"), lines)

    data_classes: dict[str, type[Rule]] = {}
    for code, spec in merged["data_rules"].items():
        where = at(f"data_rules.{code}")
        if not CODE_RE.match(code):
            raise PackError(
                where[0], where[1], f"data rule code {code!r} must be a family and three digits, such as STY901"
            )
        if code in CODES:
            raise PackError(where[0], where[1], f"data rule {code} clashes with a built-in rule")
        try:
            data_classes[code] = make_data_rule(code, spec)
        except ValueError as exc:
            raise PackError(where[0], where[1], f"data rule {code}: {exc}") from None

    entries: list[RuleEntry] = []
    names: dict[str, str] = {}
    for code, spec in sorted(merged["rules"].items()):
        where = at(f"rules.{code}")

        def field(key: str, code: str = code, where: tuple[str, int | None] = where) -> tuple[str, int | None]:
            return lines.get(f"rules.{code}.{key}", where)

        code = resolve(code)
        if code in data_classes:
            cls: type[Rule] = data_classes[code]
        elif code in CODES:
            cls = get_rule(code)
        else:
            raise PackError(where[0], where[1], f"unknown rule code {code!r} (see `govsocial rules`)")
        clauses = spec.get("clauses", [])
        cwhere = field("clauses")
        if not isinstance(clauses, list) or not all(isinstance(c, str) for c in clauses):
            raise PackError(cwhere[0], cwhere[1], f"rules.{code}.clauses must be a list of guidance IDs")
        for c in clauses:
            if not known_clause(c):
                raise PackError(cwhere[0], cwhere[1], f"rules.{code}: unknown guidance clause {c!r}")
        severity = {
            ctx: _severity(spec[ctx.value], field(ctx.value), f"rules.{code}.{ctx.value}")
            if ctx.value in spec
            else cls.default_severity.get(ctx)
            for ctx in Context
        }
        election_spec = spec.get("election", {}) or {}
        ewhere = field("election")
        if not isinstance(election_spec, dict):
            raise PackError(ewhere[0], ewhere[1], f"rules.{code}.election must map contexts to severities")
        election = {}
        for k, v in election_spec.items():
            if k not in {c.value for c in Context}:
                raise PackError(ewhere[0], ewhere[1], f"rules.{code}.election: unknown context {k!r}")
            election[Context(k)] = _severity(v, ewhere, f"rules.{code}.election.{k}")
        linked = spec.get("linked", 0)
        if not isinstance(linked, int) or isinstance(linked, bool) or not 0 <= linked <= 3:
            lwhere = field("linked")
            raise PackError(lwhere[0], lwhere[1], f"rules.{code}.linked must be 0 to 3 steps")
        rule_options = spec.get("options", {}) or {}
        owhere = field("options")
        if not isinstance(rule_options, dict):
            raise PackError(owhere[0], owhere[1], f"rules.{code}.options must be a mapping")
        unknown = set(rule_options) - set(cls.options)
        if unknown:
            raise PackError(owhere[0], owhere[1], f"rules.{code}: unknown option(s) {', '.join(sorted(unknown))}")
        try:
            rule = cls({**options, **rule_options})
        except (ValueError, TypeError) as exc:
            raise PackError(where[0], where[1], f"rules.{code}: {exc}") from None
        if cls.name in names:
            raise PackError(where[0], where[1], f"rule name {cls.name!r} is used by {names[cls.name]} and {code}")
        names[cls.name] = code
        entries.append(
            RuleEntry(code=code, rule=rule, clauses=tuple(clauses), severity=severity, election=election, linked=linked)
        )

    house_rules = _build_house_rules(merged.get("house_rules"), at)

    canonical = json.dumps(
        {k: v for k, v in merged.items() if k != "extends"}, sort_keys=True, default=str, ensure_ascii=False
    )
    return Pack(
        id=merged["id"],
        version=str(merged.get("version", "0")),
        title=str(merged.get("title", merged["id"])),
        description=str(merged.get("description", "")),
        jurisdiction=str(merged.get("jurisdiction", "")),
        source=source,
        sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        options=options,
        entries=tuple(entries),
        extends=tuple(merged["extends"]),
        house_rules=house_rules,
    )


def _build_house_rules(house: Mapping[str, Any] | None, at: Callable[[str], tuple[str, int | None]]) -> dict[str, Any]:
    """Validated house rules: settings with their defaults and every rule complete."""
    from govsocial.clauses import known_clause

    if not house:
        return {}
    settings = house["settings"]

    def fail(key: str, problem: str) -> PackError:
        where = at(key)
        return PackError(where[0], where[1], problem)

    out: dict[str, Any] = {}
    for key, default, low, high in (("strikes_to_block", 3, 1, 100), ("block_review_days", 90, 1, 3650)):
        value = settings.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise fail(
                f"house_rules.{key}", f"house_rules.{key} must be a whole number from {low} to {high} (got {value!r})"
            )
        out[key] = value
    scope = settings.get("political_scope", "electioneering")
    if scope not in _POLITICAL_SCOPES:
        raise fail(
            "house_rules.political_scope",
            f"house_rules.political_scope must be one of {', '.join(_POLITICAL_SCOPES)} (got {scope!r})",
        )
    out["political_scope"] = scope
    thresholds = settings.get("thresholds") or {}
    if not isinstance(thresholds, dict):
        raise fail("house_rules.thresholds", "house_rules.thresholds must map bar names to probabilities")
    for name, value in thresholds.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0.0 < value <= 1.0:
            raise fail(
                f"house_rules.thresholds.{name}",
                f"house_rules.thresholds.{name} must be a probability above 0 and at most 1 (got {value!r})",
            )
    out["thresholds"] = {k: float(v) for k, v in sorted(thresholds.items())}
    rules: dict[str, Any] = {}
    for code, fields in sorted(house["rules"].items()):
        missing = [k for k in ("title", "text", "action") if k not in fields]
        if missing:
            raise fail(f"house_rules.rules.{code}", f"house rule {code} needs {', '.join(missing)}")
        for key in ("title", "text"):
            value = fields[key]
            if not isinstance(value, str) or not value.strip():
                raise fail(f"house_rules.rules.{code}.{key}", f"house rule {code}: {key} must be non-empty text")
        action = fields["action"]
        if action not in _HOUSE_ACTIONS:
            raise fail(
                f"house_rules.rules.{code}.action",
                f"house rule {code}: action must be one of {', '.join(_HOUSE_ACTIONS)} (got {action!r})",
            )
        if code in _PROTECTIONS and action != "leave":
            raise fail(
                f"house_rules.rules.{code}.action",
                f"house rule {code}: action must be leave ({_PROTECTIONS[code]})",
            )
        strike = fields.get("strike", False)
        if not isinstance(strike, bool):
            raise fail(f"house_rules.rules.{code}.strike", f"house rule {code}: strike must be true or false")
        serves = fields.get("serves", [])
        if not isinstance(serves, list) or not all(isinstance(c, str) for c in serves):
            raise fail(f"house_rules.rules.{code}.serves", f"house rule {code}: serves must be a list of guidance IDs")
        for cid in serves:
            if not known_clause(cid):
                raise fail(f"house_rules.rules.{code}.serves", f"house rule {code}: unknown guidance clause {cid!r}")
        rules[code] = {
            "title": " ".join(fields["title"].split()),
            "text": " ".join(fields["text"].split()),
            "action": action,
            "strike": strike,
            "serves": tuple(serves),
        }
    out["rules"] = rules
    return out


def _load(ref: str) -> tuple[Pack, _Deps]:
    """Load ``ref`` afresh; also return the files it was built from, with their stamps."""
    deps: _Deps = []
    raw = _read_ref(ref, None, deps)
    merged = _resolve(raw, (), deps)
    if merged.get("abstract"):
        raise PackError(
            raw.source, None, f"pack {merged['id']!r} is a base for other packs and cannot be used directly"
        )
    return _build(merged, raw.source), deps


@cache
def _load_builtin(ref: str) -> Pack:
    return _load(ref)[0]


#: Pack files by absolute path → (the files it was built from with their stamps, the pack).
_FILE_CACHE: dict[str, tuple[_Deps, Pack]] = {}


def load_pack(ref: str | Path | Pack) -> Pack:
    """Load a built-in pack by name (``nz``, ``uk``, ``nsw``) or a pack file by path.

    Loaded packs are cached. A pack file is built again when it, a pack file it extends or
    an options file it includes has changed (modification time or size), so an edited
    suppression or staff list takes effect without a restart.
    """
    if isinstance(ref, Pack):
        return ref
    ref = str(ref)
    if _is_builtin_ref(ref):
        return _load_builtin(ref)
    key = str(Path(ref).resolve())
    hit = _FILE_CACHE.get(key)
    if hit is not None and all(_stamp(path) == stamp for path, stamp in hit[0]):
        return hit[1]
    pack, deps = _load(ref)  # messages name the file as the caller wrote it
    _FILE_CACHE[key] = (deps, pack)
    return pack


def builtin_packs() -> list[str]:
    """Names of the built-in packs that can be used directly."""
    names = []
    for res in resources.files("govsocial.packs").joinpath(BUILTIN_DIR).iterdir():
        if not res.name.endswith(".yml"):
            continue
        text = res.read_text(encoding="utf-8")
        # Option files (included by packs) have no id; abstract bases cannot be used directly.
        if re.search(r"^id:", text, re.MULTILINE) and not re.search(r"^abstract: true", text, re.MULTILINE):
            names.append(res.name[:-4])
    return sorted(names)


__all__ += ["NAME_RE"]
