r"""Write the hostile-input corpus: malformed, huge, deeply nested and malicious documents.

Each entry is a submission that a grader must survive: it gets one result within the limits,
no traceback, and nothing outside the input is read, written or run. The corpus is
deterministic (no randomness); the big entries (10 MB, 10,000 equations) are only generated on
demand, by :func:`big_corpus`, so that they are never committed.

    python tests/hostile/make_corpus.py            # (re)writes tests/hostile/corpus/
    python tests/hostile/make_corpus.py OUT_DIR    # writes somewhere else
"""

from __future__ import annotations

import sys
from pathlib import Path

#: A file no hostile document may create (the shell payloads below all try to).
PWNED = "/tmp/symsoft-hostile-pwned"
#: Where the committed corpus lives.
CORPUS = Path(__file__).parent / "corpus"


def _eq(body: str, label: str | int = 1) -> str:
    return f"$${body} \\quad ({label})$$\n"


def _doc(*bodies: str) -> str:
    return "A submission.\n\n" + "\n".join(_eq(b, n) for n, b in enumerate(bodies, start=1))


def _nested(depth: int, open_: str, close: str, core: str = "x") -> str:
    return open_ * depth + core + close * depth


def _texts() -> dict[str, str]:
    """Hostile documents that are valid UTF-8 text, by name (without the suffix)."""
    sigma = r"\sigma(z_i)"
    cases: dict[str, str] = {}

    # Unbalanced braces and groups.
    for n, body in enumerate([
        r"\frac{a}{b = c", r"x^{2 = y", r"}}}} = 1", r"{{{{ = 1", r"\left( x = y", r"x = y \right)",
        r"\sigma(z_i = 1", r"\frac{\partial}{\partial z_j \sigma(z_i) = 0", r"\sum_{k=1^C e^{z_k} = 1",
        r"\frac{e^{z_i}}{\sum_{k=1}^C e^{z_k} = \sigma(z_i)", r"[\sum_{k=1}^C e^{z_k}]]^2 = 1",
        r"\hat{y_k = 1", r"z_{i} = z_{{j}", r"\delta_{ij = 1",
    ], start=1):
        cases[f"braces_{n:02d}"] = _doc(body)

    # Unbalanced and mismatched environments, unterminated displays.
    cases["env_begin_without_end"] = "$$\\begin{aligned} a &= b \\\\ &= c \\quad (1)$$\n"
    cases["env_end_without_begin"] = "$$ a &= b \\end{aligned} \\quad (1)$$\n"
    cases["env_mismatched"] = "\\begin{align} a &= b \\end{equation} (1)\n"
    cases["env_equation_unclosed"] = "\\begin{equation} \\sigma(z_i) > 0 \\tag{1}\n" * 3
    cases["env_nested_aligned"] = "$$\\begin{aligned}\\begin{aligned} a &= b \\end{aligned} \\quad (1)$$\n"
    cases["env_unknown"] = "\\begin{evil} a = b \\end{evil}\n\n$$\\begin{pmatrix} 1 & 2 \\end{pmatrix} = 0 \\quad (1)$$\n"
    cases["display_unterminated"] = "Intro.\n\n$$ \\sigma(z_i) > 0 \\quad (1)\n\nno closing dollars\n"
    cases["display_bracket_unterminated"] = "\\[ a = b " * 200
    cases["display_many_dollars"] = "$" * 4001 + "\n"
    cases["display_dollar_pairs"] = "$$$$\n" * 500
    cases["display_empty_bodies"] = "$$ $$\n$$\\quad (1)$$\n$$\\tag{2}$$\n"
    cases["display_only_relations"] = _doc("=", "= = =", "a =", "= b", "<", r"\leq \leq", "a < b > c")
    cases["inline_unterminated"] = "Let $i = j and then\n\n$$\\sigma(z_i) > 0 \\quad (1)$$\n"

    # Numbers too large to evaluate.
    for n, body in enumerate([
        r"x^{10^{10^{10}}} = 1", r"10^{10^{10}} = 10^{10^{10}} + 1", r"2^{2^{2^{2^{2^{2}}}}} = 0",
        r"(10^{100})! = 1", r"1000000000! = 1", r"(10^{10})!! > 0", r"\sigma(z_i)^{10^{10}} \leq 1",
        r"\sum_{k=1}^{10^{12}} k = 0", r"\prod_{k=1}^{10^{9}} k = 1", r"e^{e^{e^{e^{e^{z_i}}}}} > 0",
        r"\binom{10^{9}}{5 \cdot 10^{8}} = 1", r"z_{100000000000} = 1", r"\sum_{k=1}^{C^{C^{C^{C}}}} e^{z_k} > 0",
        r"9^{9^{9^{9}}} - 9^{9^{9^{9}}} = 0", r"\frac{1}{10^{-10^{10}}} = 0", r"\sqrt[10^{10}]{2} = 1",
        r"\frac{\partial^{1000}}{\partial z_i^{1000}} \sigma(z_i) = 0",
        r"\frac{\partial}{\partial z_j} \sigma(z_i)^{100000} = 0",
        r"\sum_{k=1}^{1000000} e^{z_k} > 0", r"\left(\sum_{k=1}^C e^{z_k}\right)^{99999} > 0",
    ], start=1):
        cases[f"huge_{n:02d}"] = _doc(body)

    # Deep nesting.
    cases["nested_frac_400"] = _doc(_nested(400, r"\frac{1}{", "}") + " = 1")
    cases["nested_braces_1000"] = _doc(_nested(1000, "{", "}") + " = x")
    cases["nested_parens_400"] = _doc(_nested(400, "(", ")") + " = x")
    cases["nested_sqrt_200"] = _doc(_nested(200, r"\sqrt{", "}") + " = x")
    cases["nested_sigma_60"] = _doc(_nested(60, r"\sigma(", ")", "z_i") + " > 0")
    cases["nested_exp_100"] = _doc(_nested(100, "e^{", "}") + " > 0")
    cases["nested_subscripts"] = _doc(r"z_{i_{j_{k_{l_{m_{n}}}}}} = z_i")
    cases["nested_sums_50"] = _doc("".join(f"\\sum_{{k{n}=1}}^C " for n in range(50)) + "1 = 1")
    cases["nested_left_right_300"] = _doc(_nested(300, r"\left(", r"\right)") + " = x")

    # TeX primitives that read files, write files or run programs.
    for n, body in enumerate([
        r"\input{/etc/passwd}", r"\include{/etc/shadow}", r"\write18{touch " + PWNED + "}",
        r"\immediate\write18{rm -rf ~}", r"\openin5=/etc/passwd \read5 to \x \x",
        r"\def\x{\x}\x", r"\newcommand{\loop}{\loop}\loop", r"\catcode`\$=12", r"\usepackage{shellesc}",
        r"\csname input\endcsname{/etc/passwd}", r"\directlua{os.execute('touch " + PWNED + "')}",
        r"\special{system: touch " + PWNED + "}", r"\openout1=" + PWNED + r" \write1{x}",
        r"\includegraphics{/etc/passwd}", r"\verbatiminput{/etc/passwd}",
    ], start=1):
        cases[f"tex_{n:02d}"] = _doc(f"{body} = 1") + f"\nProse with {body} too.\n"
    cases["tex_input_outside_math"] = "\\input{/etc/passwd}\n\\write18{touch " + PWNED + "}\n\n" + _doc(sigma + " > 0")

    # Python that would run if any text were evaluated.
    payloads = [
        f'__import__("os").system("touch {PWNED}")',
        f"eval(\"__import__('os').system('touch {PWNED}')\")",
        f"exec(\"open('{PWNED}', 'w')\")",
        "open('/etc/passwd').read()",
        "lambda: __import__('subprocess').call(['id'])",
        "[c for c in ().__class__.__base__.__subclasses__()]",
        "Symbol('x').__class__.__init__.__globals__",
        "sympify('__import__(\"os\")')",
        "getattr(__builtins__, 'exec')('1')",
        "__builtins__.__dict__['open']('/etc/passwd')",
    ]
    for n, payload in enumerate(payloads, start=1):
        cases[f"python_{n:02d}"] = _doc(f"{payload} = 1", f"\\text{{{payload}}} = x", f"\\operatorname{{{payload}}}(z_i) = 0")

    # Strange Unicode in and around the mathematics.
    for n, body in enumerate([
        "σ(z_i) = \\frac{e^{z_i}}{∑_{k=1}^C e^{z_k}}", "\u202e\\sigma(z_i) > 0", "\\sigma(z_i)\u200b > \u200b0",
        "\\sigma(z_🙂) > 0", "ｚ＿ｉ = 1", "z_i\u0301 = z_i", "\\sigma(z_i) \u2264 1", "\ufeff\\sigma(z_i) > 0",
        "\U0001d70e(z_i) > 0", "a\u2028= b",
    ], start=1):
        cases[f"unicode_{n:02d}"] = _doc(body)

    # Notation the profile does not know, and meaningless mathematics.
    for n, body in enumerate([
        r"\frac{1}{0} = \infty", r"\frac{0}{0} = 1", r"\log(0) = -\infty", r"\sqrt{-1} = i", "i^2 = -1",
        r"\int_0^1 \sigma(z_i) dz_i = 1", r"\lim_{C \to \infty} \sigma(z_i) = 0", r"\det(W) = 0",
        r"\nabla_W l = X^T(\sigma - Y)", r"z_{-1} = z_{0}", r"z_{1.5} = 1", r"\sum_{k=1}^{-5} e^{z_k} = 0",
        r"\sum_{k=1}^{\infty} e^{z_k} > 0", r"\sigma(z_i) \approx 1", r"\sigma(z_i) \equiv 1",
        r"\sigma(z_i) \in (0, 1)", r"\sigma \to 0", r"w_j^{(i)^{(k)}} = 1", r"\hat{y}_{\hat{y}_k} = 1",
        r"\frac{\partial}{\partial \partial} \sigma = 0",
    ], start=1):
        cases[f"odd_{n:02d}"] = _doc(body)

    # Many things at once; labels that try to inject into CSV, XML or annotations.
    cases["labels_injection"] = (
        "$$\\sigma(z_i) > 0 \\tag{=1+2}$$\n$$\\sigma(z_i) > 0 \\tag{]]><x/>}$$\n"
        "$$\\sigma(z_i) > 1 \\tag{a,b::e}$$\n$$\\sigma(z_i) > 0 \\tag{%0A::error::x}$$\n"
    )
    cases["labels_duplicate"] = _eq(sigma + " > 0", 1) * 3 + _eq(sigma + " > 1", 1)
    cases["labels_none"] = "$$\\sigma(z_i) > 0$$\n$$\\sigma(z_i) > 1$$\n"
    cases["conditions_repeated"] = "- if $i = j$:\n" * 2000 + "\n" + _eq(r"\frac{\partial}{\partial z_j} \sigma(z_i) = \sigma(z_i)(1 - \sigma(z_j))")
    cases["inline_many"] = "Text " + "$x_{i} = y_{j}$ and " * 300 + "\n\n" + _eq(sigma + " > 0")
    cases["long_expression"] = _doc(" + ".join(f"z_{{{n}}}" for n in range(3000)) + " = 0")
    cases["long_line_prose"] = "word " * 20_000 + "\n\n" + _eq(sigma + " > 0")
    cases["markdown_code_block"] = "```\n$$ a = b \\quad (1)$$\n```\n<!-- $$ c = d $$ -->\n<script>alert(1)</script>\n"
    cases["html_and_nul_text"] = "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>&e;\n" + _eq("a = a")
    cases["only_prose"] = "This submission has no mathematics at all.\n"
    cases["only_whitespace"] = " \n\t\n   \n"
    cases["only_inline"] = "We have $\\sigma(z_i) > 0$ and $\\sigma(z_i) < 1$.\n"
    cases["crlf_line_endings"] = _doc(sigma + " > 0", sigma + " < 1").replace("\n", "\r\n")
    cases["cr_only_line_endings"] = _doc(sigma + " > 0").replace("\n", "\r")
    cases["control_characters"] = _doc("\\sigma(z_i)\x07\x1b[31m > 0\x08")
    cases["front_matter_profile_path"] = "---\nprofile: /etc/passwd\n---\n" + _doc(sigma + " > 0")
    cases["front_matter_profile_mapping"] = (
        "---\nprofile: {name: evil, vectors: {z: {index: class, means: label}}}\n---\n" + _doc(sigma + " > 1"))
    cases["front_matter_yaml_bomb"] = (
        "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "profile: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n---\n" + _doc(sigma + " > 0"))
    cases["front_matter_unterminated"] = "---\nprofile: softmax\n" + _doc(sigma + " > 0")
    cases["form_feed_vertical_tab"] = _doc("\\sigma(z_i)\x0c > \x0b0")
    return cases


def _binaries() -> dict[str, bytes]:
    """Hostile documents that are not valid UTF-8 text, by name with suffix."""
    good = _eq(r"\sigma(z_i) > 0").encode()
    return {
        "empty.md": b"",
        "null_bytes.md": good + b"\x00\x00\x00" + good,
        "null_in_equation.md": b"$$\\sigma(z_i)\x00 > 0 \\quad (1)$$\n",
        "latin1.md": "$$\\sigma(z_i) > 0 \\quad (1)$$ caf\u00e9\n".encode("latin-1"),
        "utf16_bom.md": "\ufeff".encode("utf-16-le") + good.decode().encode("utf-16-le"),
        "utf8_bom.md": b"\xef\xbb\xbf" + good,
        "invalid_utf8_middle.md": good + b"\xff\xfe\xfd" + good,
        "overlong_utf8.md": b"$$ \xc0\xaf = 1 \\quad (1)$$\n",
        "surrogate_cesu8.md": b"$$ \xed\xa0\x80 = 1 \\quad (1)$$\n",
        "truncated_utf8.md": good + "\u00e9".encode()[:1],
        "binary_png.md": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        "binary_zip.tex": b"PK\x03\x04" + bytes(range(256)) * 4,
        "binary_elf.txt": b"\x7fELF\x02\x01\x01" + bytes(64),
        "pdf_header.md": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
    }


def corpus() -> dict[str, bytes]:
    """The committed corpus: file name -> bytes, in a fixed order.

    >>> entries = corpus()
    >>> len(entries) >= 100, entries["empty.md"]
    (True, b'')
    """
    entries = {f"{name}.{'tex' if name.startswith(('env_', 'tex_')) else 'md'}": text.encode()
               for name, text in _texts().items()}
    entries.update(_binaries())
    return dict(sorted(entries.items()))


def big_corpus() -> dict[str, bytes]:
    """The entries too big to commit: 10 MB of text and 10,000 equations."""
    line = "The softmax is positive because every exponential is positive. " * 2
    ten_mb = (line + "\n") * (10 * 2**20 // (len(line) + 1) + 1)
    many = "".join(_eq(f"\\sigma(z_i) > -{n}", n) for n in range(1, 10_001))
    return {
        "big_10mb.md": (ten_mb + _eq(r"\sigma(z_i) > 0")).encode(),
        "big_10000_equations.md": many.encode(),
    }


def write_corpus(folder: str | Path, big: bool = False) -> list[Path]:
    """Write the corpus (and the big entries when ``big``) into ``folder``; return the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in {**corpus(), **(big_corpus() if big else {})}.items():
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    paths = write_corpus(target)
    print(f"wrote {len(paths)} files to {target}")
