"""The ``symsoft`` command line: derive, prove, check and grade.

Exit codes a script can trust (:data:`EXIT_CODES`): 0 every equation proved or a definition, 1 something
refuted, 3 something unverified and nothing refuted, 2 a usage error or input that cannot be used, 4 an
output that could not be written (the PDF could not be built). Every error is one line, never a
traceback, and usage errors (incompatible options, an output folder that does not exist) are reported
before any work.

>>> from symsoft.cli import main
>>> main(["derive", "softmax", "--classes", "0"])
2
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
from pathlib import Path
from typing import Sequence

from symsoft import __version__
from symsoft.errors import SymsoftError, UsageError

#: Largest C (and D) the explicit derivation accepts on the command line.
MAX_CLI_DIMENSION = 100
MODELS = ("softmax",)
#: Samples N that ``derive`` and ``prove`` use for a model with a sample axis when none is given.
DEFAULT_SAMPLES = 3
#: What each exit code means (``--help`` shows it).
EXIT_CODES = ("exit codes: 0 every equation proved or a definition; 1 something refuted; 3 something unverified "
              "(a time or memory budget, notation not read) and nothing refuted; 2 a usage error or input that "
              "cannot be used; 4 an output that could not be written (the PDF could not be built)")


#: --color: colour the text report on a terminal (auto: unless NO_COLOR is set and not empty, always when
#: FORCE_COLOR is), always, or never
COLOR_CHOICES = ("auto", "always", "never")
#: check's output formats; github, sarif and lines are for CI and editors (symsoft.render.annotations)
CHECK_FORMATS = ("text", "json", "latex", "github", "sarif", "lines")
#: Exit codes of several documents, from the best to the worst: the worst over them is check's exit code
_WORST_LAST = (0, 3, 1, 2, 4)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line and exit with code 2 (:func:`main` names the command)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see --help)")


def _color_argument(parser: argparse.ArgumentParser, default=argparse.SUPPRESS) -> None:
    """``--color`` on the main parser (its default) and on every command (given there, it wins)."""
    parser.add_argument("--color", "--colour", choices=COLOR_CHOICES, default=default,
                        help="colour the text report: auto (on a terminal, unless NO_COLOR is set and not empty; "
                             "FORCE_COLOR set and not empty forces it), always or never (default auto)")


def _dimension(name: str):
    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, got {text!r}") from None
        if not 1 <= value <= MAX_CLI_DIMENSION:
            raise argparse.ArgumentTypeError(
                f"{name} must be from 1 to {MAX_CLI_DIMENSION}, got {value}"
            )
        return value

    parse.__name__ = name
    return parse


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"timeout must be a number of seconds, got {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"timeout must be from 0 to 3600 seconds, got {text}")
    return value


#: check's default --max-steps (symsoft.check.MAX_DOCUMENT_STEPS, not imported here: --help stays fast).
_DEFAULT_STEPS = 1000


def _steps(text: str) -> int:
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"steps must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"steps must be at least 1, got {value}")
    return value


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"port must be a whole number from 0 to 65535, got {text!r}")
    return int(text)


def _model_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", nargs="?", default=None, metavar="MODEL",
                        help="the model: softmax (default), logistic, linear, or a model YAML file with results:")
    parser.add_argument("--model", dest="model_option", default=None, metavar="MODEL", help="the model, as an option")


def _chosen_model(args: argparse.Namespace) -> str:
    """The model named positionally or with --model (softmax when neither); both must agree."""
    if args.model and args.model_option and args.model != args.model_option:
        raise UsageError(f"symsoft {args.command}: the model is given twice ({args.model} and --model "
                         f"{args.model_option}) (see --help)")
    return args.model or args.model_option or "softmax"


def build_parser(check_defaults: dict | None = None) -> argparse.ArgumentParser:
    """The argument parser of the ``symsoft`` command; ``check_defaults`` replace the defaults of check (and of
    grade, those it has but the model: a class is graded under a profile) (the project's ``[tool.symsoft]``,
    :mod:`symsoft.config`).

    >>> build_parser().parse_args(["derive", "softmax", "--classes", "3"]).classes
    3
    >>> build_parser({"classes": 4}).parse_args(["check", "hw.md"]).classes
    4
    """
    parser = _Parser(
        prog="symsoft",
        description="Check the mathematics of machine-learning derivations with SymPy.",
        epilog=EXIT_CODES,
    )
    parser.add_argument("--version", action="version", version=f"symsoft {__version__}")
    _color_argument(parser, "auto")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    derive = commands.add_parser(
        "derive",
        help="derive a model's results: softmax (sigma, Jacobian, loss, gradient, Hessian), logistic, linear",
        description="Derive a model symbolically: softmax regression for C classes and D features (the default), "
                    "or a model with a results: section (logistic, linear, a model YAML file) for N samples and D features.",
    )
    _model_arguments(derive)
    derive.add_argument("--classes", "-C", type=_dimension("classes"), default=None, help="number of classes C (softmax)")
    derive.add_argument("--features", "-D", type=_dimension("features"), default=2, help="number of features D (default 2)")
    derive.add_argument("--samples", "-N", type=_dimension("samples"), default=None,
                        help=f"number of samples N (logistic, linear; default {DEFAULT_SAMPLES})")
    derive.add_argument("--format", choices=("text", "latex", "json"), default="text", help="output format (default text)")
    derive.add_argument("--form", choices=("index", "matrix"), default="index",
                        help="index: every entry (default); matrix: the results in matrix notation, found and proved "
                             "equal to the index form at two settings of the sizes")

    prove = commands.add_parser(
        "prove",
        help="machine-checked proofs of a model's properties (softmax, logistic, linear)",
        description="Prove positivity, below one, sum to one, the Jacobian, the gradient and convexity (softmax), "
                    "or the gradient, the Hessian, convexity (and the normal equations) of logistic and linear regression.",
    )
    _model_arguments(prove)
    prove.add_argument("--classes", "-C", type=_dimension("classes"), default=None,
                       help="number of classes C (softmax; required unless --all-c)")
    prove.add_argument("--features", "-D", type=_dimension("features"), default=2, help="number of features D (default 2)")
    prove.add_argument("--samples", "-N", type=_dimension("samples"), default=None,
                       help=f"number of samples N (logistic, linear; default {DEFAULT_SAMPLES})")
    prove.add_argument("--all-c", action="store_true", help="prove the theorems for every C at once, in index notation")
    prove.add_argument("--output", "-o", default=None, help="write the proofs as a LaTeX document to this file (a .pdf name compiles)")
    prove.add_argument("--pdf", action="store_true", help="compile the LaTeX to PDF next to --output (default proofs.pdf)")
    prove.add_argument("--fragment", action="store_true",
                       help="write LaTeX to \\input into lecture notes (no preamble; the packages it needs are named"
                            " at its top) instead of a whole document")

    check = commands.add_parser(
        "check",
        help="check a derivation document equation by equation",
        description="Read a Markdown/LaTeX derivation and give each equation and step a verdict.",
        epilog=EXIT_CODES,
    )
    check.add_argument("files", nargs="+", metavar="PATH",
                       help="the documents (.md, .tex, .txt, .ipynb: its Markdown cells, .pdf: its text, best-effort) or"
                            " folders of them; - reads standard input; the exit code is the worst over them")
    check.add_argument("--model", "--profile", dest="profile", default="softmax",
                       help="the model: a built-in name (see 'symsoft models') or a model YAML file (default softmax)")
    check.add_argument("--classes", "-C", type=_dimension("classes"), default=None, help="check for this C (default: every C where a proof allows)")
    check.add_argument("--format", choices=CHECK_FORMATS, default=None,
                       help="output format (default text; latex with --pdf): github (workflow commands: errors, "
                            "warnings, notices), sarif (SARIF 2.1.0), lines (path:line:col: status message)")
    check.add_argument("--timeout", type=_positive_seconds, default=5.0, help="seconds of CPU time allowed for each parse and step (default 5)")
    check.add_argument("--doc-timeout", type=_positive_seconds, default=60.0,
                       help="seconds of CPU time allowed for the whole document, as in grade (default 60; a wall-clock"
                            " safety net of 8 times that plus 10 s stops a document that hangs)")
    check.add_argument("--max-steps", type=_steps, default=None, metavar="N",
                       help="steps decided in the whole document at most, whatever the machine's speed (default "
                            f"{_DEFAULT_STEPS}); the equations after them are unverified (reason budget)")
    check.add_argument("--output", "-o", default=None, help="write the report to this file instead of standard output")
    check.add_argument("--pdf", action="store_true", help="compile the LaTeX report to PDF next to --output (default report.pdf)")
    check.add_argument("--front-matter", choices=("use", "ignore", "forbid"), default="use",
                       help="a profile or model the document's front matter sets: use it (reported as the document's"
                            " own), ignore it, or refuse the document (default use; grade always ignores it)")

    commands.add_parser(
        "models",
        help="list the built-in models",
        description="List the built-in models that check --model accepts; a model YAML file of the same form works too.",
    )

    grade = commands.add_parser(
        "grade",
        help="grade a class: check many submissions, write autograder outputs",
        description="Check every submission in the given files or folders and write scores.",
        epilog="exit codes, on the class as on one document: 0 every equation of every submission proved or a "
               "definition; 1 something refuted; 3 something unverified, over a limit or unreadable and nothing "
               "refuted (0 with --fail-on refuted); 2 a usage error; 4 an output that could not be written",
    )
    from symsoft.grade.batch import add_grade_arguments

    add_grade_arguments(grade)
    bundle = commands.add_parser(
        "gradescope-bundle",
        help="write a Gradescope autograder zip (setup.sh, run_autograder, the rubric) that grades with symsoft",
        description="Write the autograder zip to upload to Gradescope: its run_autograder grades each submission "
                    "with symsoft grade and always writes results.json.",
    )
    from symsoft.grade.gradescope import add_bundle_arguments

    add_bundle_arguments(bundle)
    serve = commands.add_parser(
        "serve",
        help="a local web page: paste or open a derivation, see it typeset and checked",
        description="Serve a page on this machine (loopback only) where a derivation pasted or opened is checked "
                    "and shown typeset, each equation marked, with the counterexample and repair of a refuted step.",
    )
    serve.add_argument("--port", type=_port, default=8000, help="the port (default 8000; 0 takes a free one)")
    serve.add_argument("--host", default="127.0.0.1", help="a loopback address: 127.0.0.1 (default), ::1 or localhost")
    check.set_defaults(**(check_defaults or {}))
    grade.set_defaults(**{k: v for k, v in (check_defaults or {}).items() if k in ("classes", "timeout", "doc_timeout")})
    for command in commands.choices.values():
        _color_argument(command)
    return parser


def _matrix_forms(args: argparse.Namespace) -> list:
    """The matrix forms of the chosen model's results, each found and proved at two settings of the sizes."""
    from symsoft.models.matrix_form import matrix_forms

    if _chosen_model(args) == "softmax":
        from symsoft.models.softmax.model import SoftmaxRegression

        _softmax_only(args)
        classes = args.classes or 3
        settings = []
        for c in (classes, classes + 1):
            results, letters = SoftmaxRegression(classes=c, features=args.features).matrix_results()
            settings.append(({"C": c, "D": args.features}, results, letters))
        return matrix_forms(settings, "C")
    settings = []
    first = _derivation(args)
    for derivation in (first, type(first)(first.model, {**first.sizes, "N": first.sizes["N"] + 1})):
        settings.append((dict(derivation.sizes), derivation.blocks(), derivation.matrix_letters()))
    if not settings[0][2]:
        raise UsageError(f"symsoft derive: the model {first.model.name} names no matrices (results: matrices:), so it"
                         " has no matrix form")
    return matrix_forms(settings, "N")


def use_colour(choice: str, stream, environ=os.environ) -> bool:
    """Whether to colour what goes to ``stream``: ``--color always`` or ``never`` decides; ``auto`` colours when
    FORCE_COLOR is set and not empty, else on a terminal unless NO_COLOR is set and not empty.

    >>> import io
    >>> use_colour("auto", io.StringIO(), {"FORCE_COLOR": "1"}), use_colour("never", io.StringIO(), {"FORCE_COLOR": "1"})
    (True, False)
    >>> use_colour("auto", io.StringIO(), {}), use_colour("always", io.StringIO(), {"NO_COLOR": "1"})
    (False, True)
    """
    if choice != "auto":
        return choice == "always"
    if environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and not environ.get("NO_COLOR")


def _run(args: argparse.Namespace) -> int:
    if args.command == "derive":
        if args.form == "matrix":
            from symsoft.render.model import render_matrix_forms

            _emit(render_matrix_forms(_matrix_forms(args), args.format), json=args.format == "json")
            return 0
        if _chosen_model(args) != "softmax":
            from symsoft.render.model import render_derivation

            _emit(render_derivation(_derivation(args), args.format), json=args.format == "json")
            return 0
        from symsoft.render.model import render_model
        from symsoft.models.softmax.model import SoftmaxRegression

        _softmax_only(args)
        if args.classes is None:
            raise UsageError("symsoft derive: the following arguments are required: --classes/-C (see --help)")
        model = SoftmaxRegression(classes=args.classes, features=args.features)
        _emit(render_model(model, args.format), json=args.format == "json")
        return 0
    if args.command == "prove":
        return _run_prove(args)
    if args.command == "check":
        return _run_check(args)
    if args.command == "models":
        return _run_models()
    if args.command == "grade":
        from symsoft.grade.batch import run_grade

        if args.output and args.output.lower().endswith(".pdf"):
            raise UsageError(f"-o {args.output}: grade writes {args.format}, not a PDF (see --help)")
        return run_grade(args)
    if args.command == "serve":
        from symsoft.serve import serve

        return serve(args.host, args.port)
    if args.command == "gradescope-bundle":
        from symsoft.grade.gradescope import run_bundle

        return run_bundle(args)
    raise UsageError(f"unknown command {args.command!r}")  # pragma: no cover - argparse guards this


def _emit(text: str, json: bool = False, end: str = "\n") -> None:
    """Print ``text`` on standard output, escaping what its encoding cannot show (never a UnicodeEncodeError)."""
    from symsoft.output import fit_to_stream

    fit_to_stream(text, sys.stdout, json=json, end=end)


def _softmax_only(args: argparse.Namespace) -> None:
    if args.samples is not None:
        raise UsageError(f"symsoft {args.command}: --samples is for models with a sample axis (logistic, linear), "
                         "not softmax (see --help)")


def _derivation(args: argparse.Namespace):
    """The ModelDerivation of a model read from YAML, at the sizes given (N, D) for the axes it has."""
    from symsoft.models import load_model
    from symsoft.models.derive import ModelDerivation

    name = _chosen_model(args)
    if args.classes is not None or getattr(args, "all_c", False):
        raise UsageError(f"symsoft {args.command}: --classes and --all-c are for softmax; model {name} takes "
                         "--samples N and --features D (see --help)")
    model = load_model(name)
    given = {"N": args.samples or DEFAULT_SAMPLES, "D": args.features}
    return ModelDerivation(model, {axis: given.get(axis) for axis in model.axes})


def _run_prove_model(args: argparse.Namespace) -> int:
    from symsoft.models.prove import prove_model
    from symsoft.render.model import format_model_proofs_text

    derivation = _derivation(args)
    proofs = prove_model(derivation)
    if not (args.output or args.pdf or args.fragment):
        _emit(format_model_proofs_text(proofs), end="")
        return 0
    from symsoft.render.latex import model_proofs_document

    _write_latex(_proof_latex(model_proofs_document(proofs, derivation), args), args.output, args.pdf, "proofs.pdf")
    return 0


def _proof_latex(tex: str, args: argparse.Namespace) -> str:
    r"""The proofs' LaTeX as asked: a whole document, or with --fragment the part to \input into notes."""
    from symsoft.render.latex.frame import as_fragment

    return as_fragment(tex) if args.fragment else tex


def _run_prove(args: argparse.Namespace) -> int:
    if args.fragment and (args.pdf or (args.output or "").lower().endswith(".pdf")):
        raise UsageError("symsoft prove: --fragment writes LaTeX to \\input into notes, not a PDF (see --help)")
    _refuse_unwritable_latex(args.output, args.pdf, "proofs.pdf")  # before any proof is built
    if _chosen_model(args) != "softmax":
        return _run_prove_model(args)
    _softmax_only(args)
    if args.all_c:
        return _run_prove_every_c(args)
    from symsoft.models.softmax.proofs import format_proofs_text
    from symsoft.models.softmax.model import SoftmaxRegression

    if args.classes is None:
        raise UsageError("symsoft prove: the following arguments are required: --classes/-C or --all-c (see --help)")
    proofs = SoftmaxRegression(classes=args.classes, features=args.features).prove()
    if not (args.output or args.pdf or args.fragment):
        _emit(format_proofs_text(proofs))
        return 0
    from symsoft.render.latex import proofs_document

    _write_latex(_proof_latex(proofs_document(proofs, args.classes), args), args.output, args.pdf, "proofs.pdf")
    return 0


def _run_prove_every_c(args: argparse.Namespace) -> int:
    from symsoft.models.softmax.proofs_every_c import format_every_c_text, prove_every_c

    if args.classes is not None:
        raise UsageError("symsoft prove: give --classes C (one C) or --all-c (every C), not both")
    proofs = prove_every_c()
    if not (args.output or args.pdf or args.fragment):
        _emit(format_every_c_text(proofs))
        return 0
    from symsoft.render.latex import every_c_document

    _write_latex(_proof_latex(every_c_document(proofs), args), args.output, args.pdf, "proofs.pdf")
    return 0


def _latex_targets(output: str | None, pdf: bool, default_pdf: str) -> tuple[Path | None, Path | None]:
    """Where the LaTeX goes (None: standard output) and where its PDF goes (None: no PDF); a .pdf output is the PDF."""
    target = Path(output) if output else None
    if target is not None and target.suffix.lower() == ".pdf":
        return None, target
    if not pdf:
        return target, None
    return target, target.with_suffix(".pdf") if target is not None else Path(default_pdf)


def _refuse_unwritable_latex(output: str | None, pdf: bool, default_pdf: str) -> None:
    """Before any work: a usage error (exit 2) when the LaTeX or its PDF cannot be written where asked."""
    from symsoft.output import refuse_unwritable

    for path in _latex_targets(output, pdf, default_pdf):
        if path is not None:
            refuse_unwritable(path)


def _write_latex(tex: str, output: str | None, pdf: bool, default_pdf: str, report=None) -> None:
    """Write the LaTeX to ``output`` (or standard output) and, with ``pdf``, compile it next to it.

    With the ``report`` it was made from, the PDF is built first and a piece of student math the engine
    refuses is shown verbatim (:func:`symsoft.render.latex.report.report_pdf`): the LaTeX written is the one
    that compiled."""
    from symsoft.render.latex import compile_pdf
    from symsoft.render.text import printable

    target, pdf_path = _latex_targets(output, pdf, default_pdf)
    failure = None
    if pdf_path is not None and report is not None:
        from symsoft.errors import TeXCompileError
        from symsoft.render.latex.report import report_pdf

        try:
            tex = report_pdf(report, pdf_path, compile_pdf)
        except TeXCompileError as error:  # the LaTeX is still written; then exit code 4
            failure = error
    if target is not None:
        from symsoft.read.source import write_whole

        write_whole(target, tex)
        print(f"symsoft: wrote {printable(str(target))}", file=sys.stderr)
    elif pdf_path is None:
        _emit(tex, end="")
    if pdf_path is not None:
        if failure is not None:
            raise failure
        if report is None:
            compile_pdf(tex, pdf_path)
        print(f"symsoft: wrote {printable(str(pdf_path))}", file=sys.stderr)


def _run_models() -> int:
    from symsoft.models import builtin_models, load_model

    for name in builtin_models():
        description = "softmax regression, C classes and D features (the default notation profile)" \
            if name == "softmax" else load_model(name).description
        _emit(f"{name:18s} {description}")
    return 0


def _check_format(args: argparse.Namespace) -> str:
    """The report's format, after refusing option pairs that contradict each other (before any work)."""
    if args.pdf and args.format not in (None, "latex"):
        raise UsageError(f"symsoft check: --pdf writes the LaTeX report; use it with --format latex, not --format "
                         f"{args.format} (see --help)")
    if args.output and args.output.lower().endswith(".pdf") and args.format not in (None, "latex"):
        raise UsageError(f"symsoft check: --output {args.output} is a PDF, which only --format latex writes (see --help)")
    latex = args.pdf or bool(args.output and args.output.lower().endswith(".pdf"))
    return "latex" if latex else (args.format or "text")


def _run_check(args: argparse.Namespace) -> int:
    from symsoft.errors import NoEquations
    from symsoft.output import refuse_unwritable
    from symsoft.read.source import display_name
    from symsoft.render.text import printable

    form = _check_format(args)
    paths = _check_paths(args.files)
    single = len(paths) == 1 and args.files == paths
    if form == "latex":
        if not single:
            raise UsageError(f"the LaTeX report and its PDF hold one document, got {len(paths)} (see --help)")
        _refuse_unwritable_latex(args.output, args.pdf, "report.pdf")
    elif args.output:
        refuse_unwritable(args.output)
    documents = []
    for path in paths:
        try:
            documents.append(_check_one(path, args))
        except NoEquations:
            if single:
                raise
            print(f"symsoft check: note: {printable(path)}: no display equations to check", file=sys.stderr)
        except SymsoftError as error:
            if single and form in ("text", "json", "latex"):
                raise  # one document: its error is the command's, as it always was
            from symsoft.render.annotations import Checked

            name = display_name(path)
            message = str(error) if str(error).startswith(name) else f"{name}: {error}"
            print(error_line("check", message), file=sys.stderr)
            documents.append(Checked(name, error=message))
    if form == "latex":
        from symsoft.render.latex import report_document

        report = documents[0].report
        _write_latex(report_document(report), args.output, args.pdf, "report.pdf", report)
        return report.exit_code
    text = _render_checked(documents, form, args, single)
    if args.output:
        from symsoft.read.source import write_whole

        write_whole(args.output, text + "\n")
    elif text:  # nothing to annotate: nothing printed, not an empty line
        _emit(text, json=form in ("json", "sarif"))
    return max(map(_exit_code, documents), key=_WORST_LAST.index, default=0)


def _exit_code(document) -> int:
    """A checked document's exit code: its report's, or 2 when it could not be checked."""
    return document.report.exit_code if document.report is not None else 2


def _check_paths(given: list[str]) -> list[str]:
    """The documents to check: each path given, or the .md/.tex/.txt files of a folder (walked as grade does)."""
    from symsoft.grade.batch import submission_files

    paths = []
    for path in given:
        if path != "-" and os.path.isdir(path):
            found = submission_files([path])
            if not found:
                raise UsageError(f"no .md, .tex or .txt file in the folder {path}")
            paths.extend(found)
        else:
            paths.append(path)
    if given.count("-") > 1:
        raise UsageError("- (standard input) can be given once")
    return list(dict.fromkeys(paths))


def _check_one(path: str, args: argparse.Namespace):
    """Check one document (a path, or - for standard input) and return it as a :class:`Checked`."""
    from symsoft.api import reading_options
    from symsoft.check import check
    from symsoft.read.formats import kind_of
    from symsoft.render.annotations import Checked

    if path == "-":
        from symsoft.read.document import decode
        from symsoft.read.source import read_stream

        source, is_text = decode(read_stream(sys.stdin.buffer)), True
    elif kind_of(path) in ("notebook", "pdf"):  # the Markdown cells of a notebook, the text of a PDF
        from symsoft.read.formats import PDF_NOTE, document_text
        from symsoft.read.source import read_submission

        source, is_text = document_text(read_submission(path), kind_of(path)), True
        if kind_of(path) == "pdf":
            print(f"symsoft: note: {PDF_NOTE}", file=sys.stderr)
    else:
        source, is_text = Path(path), False  # a path is a path, whatever characters its name holds
    report = check(source, **reading_options(args.profile), classes=args.classes, timeout=args.timeout,
                   path_hint=path, is_text=is_text,
                   front_matter=args.front_matter, doc_timeout=args.doc_timeout,
                   max_steps=args.max_steps or _DEFAULT_STEPS)
    if is_text:
        return Checked(path, report, text=source)
    from symsoft.read.source import display_name

    try:  # the text again, for the columns of the editor and CI formats (never a reason to fail)
        text = Path(path).read_text(encoding="utf-8", errors="replace") if args.format in ("github", "sarif", "lines") else ""
    except OSError:
        text = ""
    return Checked(display_name(path), report, text=text)


def _render_checked(documents: list, form: str, args: argparse.Namespace, single: bool) -> str:
    """The checked documents in ``form`` (text, json, github, sarif or lines); one document as it always was."""
    from symsoft.render import annotations

    if form in ("github", "sarif", "lines"):
        if form == "sarif":
            return annotations.render_sarif(documents, __version__)
        return (annotations.render_github if form == "github" else annotations.render_lines)(documents)
    if form == "json":
        import json

        from symsoft.render.json import render_json, report_dict

        if single:
            return render_json(documents[0].report)
        return json.dumps([report_dict(d.report) if d.report is not None else {"source": d.path, "error": d.error}
                           for d in documents], indent=2, ensure_ascii=False)
    from symsoft.render.text import counted, printable, render_text

    colour = args.color == "always" if args.output else use_colour(args.color, sys.stdout)
    texts = [render_text(d.report, colour=colour) if d.report is not None
             else printable(f"symsoft check {d.path}: not checked: {d.error}") for d in documents]
    if single:
        return texts[0]
    codes = [_exit_code(d) for d in documents]
    texts.append(f"Total: {counted(len(documents), 'document')}: {codes.count(1)} with something refuted, "
                 f"{codes.count(3)} with something unverified (and nothing refuted), {codes.count(2)} not checked")
    return "\n\n".join(texts)


def _arguments(argv: list[str]) -> argparse.Namespace:
    """The parsed command line; ``check`` and ``grade`` take their defaults from the project's ``[tool.symsoft]``."""
    args = build_parser().parse_args(argv)
    if args.command in ("check", "grade"):
        from symsoft.config import project_defaults

        defaults = project_defaults()
        if defaults:
            args = build_parser(defaults).parse_args(argv)
    return args


def _command_of(argv: list[str]) -> str | None:
    """The command named in ``argv`` (for the prefix of an error), or None."""
    names = ("derive", "prove", "check", "models", "grade", "serve")
    return next((a for a in argv if a in names), None)


def error_line(command: str | None, message: str) -> str:
    """An error as every command prints it: ``symsoft COMMAND: error: message``, one line (a prefix the message
    already had is not repeated).

    >>> error_line("check", "symsoft check: argument --format: invalid choice: 'x' (see --help)")
    "symsoft check: error: argument --format: invalid choice: 'x' (see --help)"
    >>> error_line(None, "the following arguments are required: COMMAND (see --help)")
    'symsoft: error: the following arguments are required: COMMAND (see --help)'
    """
    from symsoft.render.text import printable

    message = re.sub(r"^symsoft(?: [a-z]+)?: (?:error: )?", "", message)
    return f"symsoft{' ' + command if command else ''}: error: {printable(message)}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``) and return the exit code.

    >>> main(["derive", "softmax", "--classes", "abc"])
    2
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return _run(_arguments(argv))
    except SymsoftError as error:
        print(error_line(_command_of(argv), str(error.args[0] if error.args else error)), file=sys.stderr)
        return getattr(error, "exit_code", 1)
    except KeyboardInterrupt:
        print("symsoft: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except OSError as error:  # an output that could not be written after all (a full disk, a folder removed meanwhile)
        from symsoft.render.text import printable

        where = f" {printable(str(error.filename))}" if error.filename else ""
        print(error_line(_command_of(argv), f"cannot write the output{where}: {(error.strerror or str(error)).lower()}"),
              file=sys.stderr)
        return 4
    except SystemExit as exit_:  # --help and --version; 143: grade stopped by SIGTERM
        if exit_.code == 143:  # stopping: a second SIGTERM delivered late (a loaded machine) must not kill it now
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        return int(exit_.code or 0)



if __name__ == "__main__":  # pragma: no cover - python -m symsoft.cli
    sys.exit(main())
