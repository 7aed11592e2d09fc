"""Notation profiles: what each symbol of a derivation means, loaded from YAML.

Built-in profiles live in ``symsoft/models/softmax/profiles/``; a user passes a path to a YAML file of the
same form.

>>> from symsoft.models.softmax.profile import load_profile
>>> p = load_profile("softmax")
>>> p.name, p.vectors["z"]["index"], p.functions["\\\\sigma"]
('softmax', 'class', 'softmax')
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from symsoft.errors import ProfileError

_KINDS = {"class", "feature"}
_MEANINGS = {"logit", "feature", "label", "softmax", "weight", "loss", "classes", "features"}


@dataclass(frozen=True)
class Profile:
    """A notation profile: dimensions, vectors, matrices, deltas, functions, symbols and facts."""

    name: str
    description: str = ""
    dimensions: dict = field(default_factory=dict, hash=False)
    vectors: dict = field(default_factory=dict, hash=False)
    matrices: dict = field(default_factory=dict, hash=False)
    deltas: tuple = ()
    functions: dict = field(default_factory=dict, hash=False)
    symbols: dict = field(default_factory=dict, hash=False)
    facts: tuple = ()
    #: functions the document defines pointwise (``\\sigma(z) = 1/(1 + e^{-z})``): name -> a one-argument callable
    defined_functions: dict = field(default_factory=dict, hash=False)
    #: names the document defines in prose in a way not read (``M = \\max_k z_k``): never given a value
    opaque: frozenset = frozenset()
    #: what the document itself defined, in words, for the report (and so that memos keep documents apart)
    reading: tuple = ()


def builtin_profiles() -> list[str]:
    """Names of the profiles shipped with symsoft.

    >>> "softmax" in builtin_profiles()
    True
    """
    folder = resources.files("symsoft") / "models" / "softmax" / "profiles"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def _validate(data: object, origin: str) -> Profile:
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise ProfileError(f"profile {origin}: expected a mapping with a 'name'", origin)
    for key, spec in (data.get("vectors") or {}).items():
        if not isinstance(spec, dict) or spec.get("index") not in _KINDS or spec.get("means") not in _MEANINGS:
            raise ProfileError(f"profile {origin}: vector {key!r} needs index (class|feature) and means", origin)
    for key, spec in (data.get("matrices") or {}).items():
        if not isinstance(spec, dict) or spec.get("means") != "weight":
            raise ProfileError(f"profile {origin}: matrix {key!r} must mean weight", origin)
    for table in ("functions", "symbols"):
        for key, meaning in (data.get(table) or {}).items():
            if meaning not in _MEANINGS:
                raise ProfileError(f"profile {origin}: {table[:-1]} {key!r} has unknown meaning {meaning!r}", origin)
    return Profile(
        name=data["name"],
        description=str(data.get("description", "")),
        dimensions=dict(data.get("dimensions") or {"class": "C", "feature": "D"}),
        vectors=dict(data.get("vectors") or {}),
        matrices=dict(data.get("matrices") or {}),
        deltas=tuple(data.get("deltas") or ()),
        functions=dict(data.get("functions") or {}),
        symbols=dict(data.get("symbols") or {}),
        facts=tuple(data.get("facts") or ()),
    )


#: Ends the name of a profile a document defines in its front matter.
OWN_PROFILE = " (the document's own)"
#: Largest front-matter block read, in characters (checked before any YAML is parsed).
MAX_FRONT_MATTER_CHARS = 16_384


def split_front_matter(text: str) -> tuple[str | None, str]:
    r"""The YAML block between leading ``---`` lines (or None) and the text with it blanked out.

    The block is replaced by as many newlines, so that line numbers stay right. Nothing is parsed.

    >>> split_front_matter("---\nprofile: softmax\n---\n$$a=b$$")
    ('profile: softmax', '\n\n\n$$a=b$$')
    >>> split_front_matter("$$a=b$$")
    (None, '$$a=b$$')
    """
    if not text.startswith("---\n"):
        return None, text
    end = text.find("\n---", 3)
    if end < 0:
        return None, text
    block = text[4:end]
    return block, "\n" * (block.count("\n") + 2) + text[end + 4:]


def _refuse_aliases():
    import yaml

    class NoAliasLoader(yaml.SafeLoader):
        """A safe loader that refuses YAML aliases (``*a``): a few hundred bytes of them expand to gigabytes."""

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                raise ProfileError("the front matter uses a YAML alias (*name), which is not allowed")
            return super().compose_node(parent, index)

    return NoAliasLoader


def parse_front_matter(block: str) -> object:
    r"""Parse a front-matter block as YAML, within a size limit and without aliases.

    Raises :class:`~symsoft.errors.ProfileError` (one line) on a block that is too large, uses an
    alias, nests too deeply or is not YAML.

    >>> parse_front_matter("model: logistic")
    {'model': 'logistic'}
    >>> parse_front_matter("a: &x [1]\nb: *x")
    Traceback (most recent call last):
    ...
    symsoft.errors.ProfileError: the front matter uses a YAML alias (*name), which is not allowed
    """
    import yaml

    if len(block) > MAX_FRONT_MATTER_CHARS:
        raise ProfileError(f"the front matter is too long ({len(block)} characters; at most {MAX_FRONT_MATTER_CHARS})")
    try:
        return yaml.load(block, Loader=_refuse_aliases())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise ProfileError(f"the front matter is not valid YAML: {str(error).splitlines()[0]}") from None
    except RecursionError:
        raise ProfileError("the front matter nests too deeply") from None


def profile_from_front_matter(text: str) -> tuple[Profile | None, str]:
    r"""The profile a document names or defines in a YAML front-matter block, and the rest of the text.

    The block is ``---`` lines around YAML with a ``profile:`` key: a profile name, or a mapping
    in the form of a profile file. The block is blanked out so that line numbers stay right. A
    profile the document defines is named ``"<name> (the document's own)"``, so that no report can
    pass it off as the built-in profile of the same name.

    >>> p, rest = profile_from_front_matter("---\nprofile: softmax\n---\n$$a=b$$")
    >>> p.name, rest
    ('softmax', '\n\n\n$$a=b$$')
    >>> profile_from_front_matter("$$a=b$$")[0] is None
    True
    >>> profile_from_front_matter("---\nprofile: {name: softmax}\n---\n$$a=b$$")[0].name
    "softmax (the document's own)"
    """
    block, rest = split_front_matter(text)
    if block is None:
        return None, text
    return profile_in_front_matter(parse_front_matter(block)), rest


def _shown(value: object) -> str:
    """A profile entry in words, as YAML's flow style writes it (``{index: class, means: label}``)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_shown(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    return str(value)


def profile_changes(own: Profile, builtin: Profile | None) -> tuple[str, ...]:
    r"""What a profile a document defines changes against the built-in profile of its name, one line per entry.

    >>> base = load_profile("softmax")
    >>> own = replace(base, vectors={**base.vectors, "z": {"index": "class", "means": "label"}}, facts=())
    >>> profile_changes(own, base)
    ('vectors z: {index: class, means: label} (built-in: {index: class, means: logit})', 'facts: [] (built-in: [label_sum, label_nonnegative, logits_linear, classes_at_least_two])')
    """
    changes = []
    for table in ("dimensions", "vectors", "matrices", "functions", "symbols"):
        mine, theirs = getattr(own, table), getattr(builtin, table) if builtin else {}
        for key in list(mine) + [k for k in theirs if k not in mine]:
            if key not in theirs:
                changes.append(f"{table} {key}: {_shown(mine[key])} (not in the built-in profile)")
            elif key not in mine:
                changes.append(f"{table} {key}: removed (built-in: {_shown(theirs[key])})")
            elif mine[key] != theirs[key]:
                changes.append(f"{table} {key}: {_shown(mine[key])} (built-in: {_shown(theirs[key])})")
    for table in ("deltas", "facts"):
        mine, theirs = tuple(getattr(own, table)), tuple(getattr(builtin, table)) if builtin else ()
        if mine != theirs:
            changes.append(f"{table}: {_shown(mine)}" + (f" (built-in: {_shown(theirs)})" if builtin else ""))
    return tuple(changes)


def profile_in_front_matter(data: object) -> Profile | None:
    """The profile parsed front matter names (a built-in) or defines (a mapping), or None.

    >>> profile_in_front_matter({"title": "HW 1"}) is None
    True
    """
    spec = data.get("profile") if isinstance(data, dict) else None
    if spec is None:
        return None
    if isinstance(spec, str):
        if spec not in builtin_profiles():  # a document never makes symsoft read a file
            raise ProfileError(f"the front matter names {spec!r}, which is not a built-in profile ({', '.join(builtin_profiles())})")
        return load_profile(spec)
    own = _validate(spec, "front matter")
    return replace(own, name=f"{own.name}{OWN_PROFILE}")


def load_profile(name_or_path: str) -> Profile:
    """Load a built-in profile by name, or a YAML profile from a path.

    >>> load_profile("nonexistent")
    Traceback (most recent call last):
    ...
    symsoft.errors.ProfileError: no profile 'nonexistent': not a built-in (softmax) nor a YAML file
    """
    import yaml

    path = Path(name_or_path)
    if name_or_path in builtin_profiles():
        text = (resources.files("symsoft") / "models" / "softmax" / "profiles" / f"{name_or_path}.yaml").read_text("utf-8")
        origin = name_or_path
    elif path.suffix in (".yaml", ".yml") and path.is_file():
        text = path.read_text("utf-8")
        origin = str(path)
    else:
        known = ", ".join(builtin_profiles())
        raise ProfileError(f"no profile {name_or_path!r}: not a built-in ({known}) nor a YAML file", name_or_path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ProfileError(f"profile {origin} is not valid YAML: {str(error).splitlines()[0]}", origin) from None
    return _validate(data, origin)
