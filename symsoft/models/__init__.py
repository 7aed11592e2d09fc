r"""Models as data: a model is a YAML file of axes, constants, tensors, functions, definitions and facts.

A model says what the letters of a derivation mean before the document speaks: ``x_j^{(i)}`` has
the axes ``[N, D]``, ``y^{(i)}`` is a binary label, ``\sigma`` is the logistic function,
``z^{(i)} = \sum_{j=1}^D w_j x_j^{(i)} + b``. Built-in models live beside this file
(``logistic``, ``linear``, ``softmax-bias-l2``, ``mlp``); ``softmax`` is the notation profile of
:mod:`symsoft.models.softmax.profile`, checked by its own engine. A user writes a model for a new topic in the
same form, without touching Python.

>>> model = load_model("logistic")
>>> model.name, sorted(model.reading.sizes), model.reading.tensors["y^1"].domain
('logistic', ['D', 'N'], 'binary')
>>> "softmax" in builtin_models() and "mlp" in builtin_models()
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from symsoft.errors import ProfileError

#: Names of the functions a model may give a letter (the vocabulary the engine knows).
FUNCTION_NAMES = ("logistic", "sigmoid", "softmax", "relu", "softplus", "tanh")
_DOMAINS = ("real", "positive", "nonnegative", "binary", "probability", "onehot", "unit")
_TOP_KEYS = {"name", "description", "axes", "constants", "tensors", "functions", "definitions", "facts", "notation",
             "results"}
#: Keys of a model's ``results:`` section (what ``symsoft derive`` and ``symsoft prove`` derive and prove).
_RESULT_KEYS = {"objective", "parameters", "predictor", "gradient", "hessian", "matrices"}


@dataclass(frozen=True)
class Model:
    """A model: its name, description, the reading it gives a document's letters, and its facts."""

    name: str
    description: str = ""
    reading: object = None
    facts: tuple = ()
    axes: dict = field(default_factory=dict, hash=False)
    #: the meaning of each function letter, by name (``{"\\sigma": "logistic"}``)
    functions: dict = field(default_factory=dict, hash=False)
    #: the ``results:`` section: objective, parameters, predictor and closed forms, in LaTeX (empty if none)
    results: dict = field(default_factory=dict, hash=False)
    #: the definitions as the YAML writes them (LaTeX)
    definitions: tuple = ()


def builtin_models() -> list[str]:
    """Names of the built-in models (``softmax`` is the default notation profile).

    >>> builtin_models()[0]
    'linear'
    """
    folder = resources.files("symsoft") / "models"
    names = {p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")}
    return sorted(names | {"softmax"})


def _line(node, *path) -> int:
    """The line (from 1) of the YAML node at ``path`` (keys of mappings, positions of lists)."""
    import yaml

    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == step), None)
            if found is None:
                break
            node = found[1] if step != path[-1] else found[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            break
    return node.start_mark.line + 1


def _fail(origin: str, root, path: tuple, message: str):
    line = _line(root, *path) if root is not None else 0
    raise ProfileError(f"model {origin}, line {line}: {message}", origin, line)


def load_model(name_or_path: str) -> Model:
    r"""Load a built-in model by name or a model YAML file; a bad file gives a one-line error with its line.

    >>> load_model("nonexistent")
    Traceback (most recent call last):
    ...
    symsoft.errors.ProfileError: no model 'nonexistent': not a built-in (linear, logistic, mlp, softmax, softmax-bias-l2) nor a YAML file
    """
    import yaml

    path = Path(name_or_path)
    if name_or_path in builtin_models() and name_or_path != "softmax":
        text = (resources.files("symsoft") / "models" / f"{name_or_path}.yaml").read_text("utf-8")
        origin = name_or_path
    elif path.suffix in (".yaml", ".yml") and path.is_file():
        text = path.read_text("utf-8")
        origin = str(path)
    else:
        raise ProfileError(f"no model {name_or_path!r}: not a built-in ({', '.join(builtin_models())}) nor a YAML file",
                           name_or_path)
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise ProfileError(f"model {origin}{where}: not valid YAML ({str(error).splitlines()[0]})", origin) from None
    return _validate(data, root, origin)


def _validate(data, root, origin: str) -> Model:
    from symsoft.meaning.reading import VOCABULARY
    from symsoft.meaning.tensors import Reading, TensorSpec

    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        _fail(origin, root, (), "expected a mapping with a 'name'")
    for key in data:
        if key not in _TOP_KEYS:
            _fail(origin, root, (key,), f"unknown key {key!r} (known: {', '.join(sorted(_TOP_KEYS))})")
    axes = data.get("axes") or {}
    if not isinstance(axes, dict):
        _fail(origin, root, ("axes",), "axes must map a size letter to {name, min}")
    minimum = {}
    for size, spec in axes.items():
        if not (isinstance(size, str) and re.fullmatch(r"[A-Z]", size)):
            _fail(origin, root, ("axes", size), f"the size of an axis is one capital letter, not {size!r}")
        spec = spec or {}
        if not isinstance(spec, dict) or not isinstance(spec.get("min", 1), int) or spec.get("min", 1) < 1:
            _fail(origin, root, ("axes", size), f"axis {size}: min must be a whole number from 1")
        minimum[size] = spec.get("min", 1)
    tensors: dict = {}
    for written, spec in (data.get("tensors") or {}).items():
        spec = spec or {}
        key = _key_of(str(written))
        if key is None or not isinstance(spec, dict):
            _fail(origin, root, ("tensors", written), f"cannot read the tensor {written!r}")
        tensor_axes = tuple(spec.get("axes") or ())
        unknown = [a for a in tensor_axes if a not in axes]
        if unknown:
            _fail(origin, root, ("tensors", written), f"tensor {written}: axis {unknown[0]} is not declared under axes")
        domain = spec.get("domain", "real")
        if domain not in _DOMAINS:
            _fail(origin, root, ("tensors", written), f"tensor {written}: unknown domain {domain!r} ({', '.join(_DOMAINS)})")
        tensors[key] = TensorSpec(key, re.split(r"[\^_](?=\d)", key)[0], tensor_axes, domain, None, True, "model")
    for name, domain in (data.get("constants") or {}).items():
        if domain not in _DOMAINS:
            _fail(origin, root, ("constants", name), f"constant {name}: unknown domain {domain!r}")
        key = str(name).lstrip("\\")
        tensors[key] = TensorSpec(key, key, (), domain, None, True, "model")
    functions = {}
    for name, meaning in (data.get("functions") or {}).items():
        if meaning not in FUNCTION_NAMES:
            _fail(origin, root, ("functions", name), f"function {name}: unknown meaning {meaning!r} ({', '.join(FUNCTION_NAMES)})")
        if meaning != "tanh":
            functions[str(name)] = VOCABULARY[meaning if meaning != "sigmoid" else "logistic"]
    definitions = data.get("definitions") or []
    if not isinstance(definitions, list) or not all(isinstance(d, str) for d in definitions):
        _fail(origin, root, ("definitions",), "definitions must be a list of LaTeX equations")
    reading = Reading(tensors=tensors, functions=functions, sizes=frozenset(axes), minimum=minimum)
    reading = _read_definitions(reading, definitions, root, origin)
    results = _results(data.get("results"), root, origin)
    return Model(str(data["name"]), str(data.get("description", "")), reading, tuple(data.get("facts") or ()),
                 {size: (spec or {}).get("name", size) for size, spec in axes.items()},
                 {str(k): v for k, v in (data.get("functions") or {}).items()}, results, tuple(definitions))


def _results(section, root, origin: str) -> dict:
    """The ``results:`` section checked for its form (the LaTeX is read when a result is derived)."""
    if section is None:
        return {}
    if not isinstance(section, dict):
        _fail(origin, root, ("results",), "results must map objective, parameters, predictor, gradient, hessian")
    for key in section:
        if key not in _RESULT_KEYS:
            _fail(origin, root, ("results", key), f"unknown key {key!r} under results (known: {', '.join(sorted(_RESULT_KEYS))})")
    if not isinstance(section.get("objective"), str) or not isinstance(section.get("parameters"), list) \
            or not section["parameters"] or not all(isinstance(p, str) for p in section["parameters"]):
        _fail(origin, root, ("results",), "results needs an objective (a defined scalar) and a list of parameters")
    for part in ("gradient", "hessian"):
        closed = section.get(part) or {}
        if not isinstance(closed, dict) or not all(isinstance(v, (str, int, float)) for v in closed.values()):
            _fail(origin, root, ("results", part), f"results.{part} must map a parameter to a LaTeX closed form")
    return {**section, "gradient": {str(k): str(v) for k, v in (section.get("gradient") or {}).items()},
            "hessian": {str(k): str(v) for k, v in (section.get("hessian") or {}).items()}}


def _key_of(written: str):
    from symsoft.meaning.reading import _atom_key
    from symsoft.parse.latex import Atom, parse_side

    try:
        side = parse_side(written)
    except Exception:
        return None
    note = side.placeholders.get(side.expr) if hasattr(side.expr, "name") else None
    if isinstance(note, Atom):
        return _atom_key(note, frozenset())
    if hasattr(side.expr, "name") and not side.placeholders:
        return side.expr.name
    return None


def _read_definitions(reading, definitions: list, root, origin: str):
    from symsoft.read.document import DisplayEquation, Document
    from symsoft.meaning.reading import read_tensors

    equations = tuple(DisplayEquation(None, number + 1, latex) for number, latex in enumerate(definitions))
    model_reading, defined = read_tensors(Document("", equations, ()), reading)
    for number, latex in enumerate(definitions):
        if (number + 1, latex) not in defined:
            _fail(origin, root, ("definitions", number), f"cannot read the definition {latex!r}")
    tensors = {k: replace(spec, origin="model") if spec.definition is not None else spec
               for k, spec in model_reading.tensors.items()}
    return replace(model_reading, tensors=tensors)
