r"""The soundness suite: no false proof, no false alarm, on the cases that once went wrong.

Each case is a short document and the status its equation must NOT get (a false proof or a false
alarm), and the status it must get now. One line per case says what once happened.
"""

from __future__ import annotations

import pytest

from symsoft.check import check

LOGISTIC = "The logistic function is\n\n$$\\sigma(z) = \\frac{1}{1+e^{-z}} \\tag{1}$$\n\n"

# (name, document, label, status it must have, status it must never have)
CASES = [
    # false proofs
    ("D held at 2 and not reported", r"$$\sum_{t=1}^D x_t = x_1 + x_2 \tag{1}$$", "1", "refuted", "proved"),
    ("sigma of a sample's logit is the logistic function the document defines",
     LOGISTIC + "$$\\sum_{i=1}^N \\sigma(z_i) = 1 \\tag{2}$$", "2", "refuted", "proved"),
    ("sigma defined with an indexed argument",
     "$$\\sigma(z_i) = \\frac{1}{1+e^{-z_i}} \\tag{1}$$\n\n$$\\sum_i \\sigma(z_i) = 1 \\tag{2}$$", "2", "refuted", "proved"),
    ("a transpose is not dropped", r"$$(AB)^T = A^T B^T \tag{1}$$", "1", "unverified", "proved"),
    ("undefined capitals do not commute", r"$$AB = BA \tag{1}$$", "1", "unverified", "proved"),
    ("the normal equations are not scalars", r"$$(X^T X)^{-1} X^T = X^{-1} \tag{1}$$", "1", "unverified", "proved"),
    ("a bold vector is not a scalar", r"$$\mathbf{x} \mathbf{y} = \mathbf{y} \mathbf{x} \tag{1}$$", "1", "unverified", "proved"),
    ("a gradient symbol is not a scalar", r"$$\nabla_W L = \nabla_W L + 0 \tag{1}$$", "1", "unverified", "proved"),
    ("an undefined function of a sum is not a product",
     r"$$s(a + b) = s a + s b \tag{1}$$", "1", "unverified", "proved"),
    ("a log identity true only for positive x is not proved for a real x",
     r"$$\log(x^2) = 2\log(x) \tag{1}$$", "1", "unverified", "proved"),
    ("a claim under a prose model with the same identity",
     r"$$z = \sum_{j=1}^D w_j x_j \tag{1}$$" "\n\n" r"$$\log(z^2) = 2\log(z) \tag{2}$$", "2", "unverified", "proved"),
    # false alarms
    ("the logistic derivative is not the softmax's",
     LOGISTIC + "$$\\frac{d}{dz}\\sigma(z) = \\sigma(z)(1-\\sigma(z)) \\tag{2}$$", "2", "proved", "refuted"),
    ("sigma of a negative argument", LOGISTIC + "$$1 - \\sigma(z) = \\sigma(-z) \\tag{2}$$", "2", "proved", "refuted"),
    ("the log-odds", LOGISTIC + "$$\\log\\frac{\\sigma(z)}{1-\\sigma(z)} = z \\tag{2}$$", "2", "proved", "refuted"),
    ("a letter used like a function is not a product",
     r"$$\sigma(z_1) = s(z_1 - z_2) \tag{1}$$", "1", "unverified", "refuted"),
    ("an undefined J is not a constant", r"$$\frac{\partial J}{\partial w_j^{(i)}} = x_j \tag{1}$$", "1", "unverified",
     "refuted"),
    ("an undefined J is not a constant (no proof of 0 either)",
     r"$$\frac{\partial J}{\partial w_j^{(i)}} = 0 \tag{1}$$", "1", "unverified", "proved"),
    ("a constant defined in the prose is never given a value",
     "where $M = \\max_k z_k$ is the largest logit:\n\n$$e^{z_i - M} \\leq 1 \\tag{1}$$", "1", "unverified", "refuted"),
    # plain mathematics
    ("calculus in a free real variable",
     r"$$\frac{d}{dz} \frac{1}{1+e^{-z}} = \frac{e^{-z}}{(1+e^{-z})^2} \tag{1}$$", "1", "proved", "refuted"),
    ("a false derivative in a free real variable",
     r"$$\frac{d}{dz} \frac{1}{1+e^{-z}} = \frac{e^{z}}{(1+e^{-z})^2} \tag{1}$$", "1", "refuted", "proved"),
    ("Greek constants are real constants",
     r"$$\frac{\lambda}{2} w^2 + \epsilon = \epsilon + \lambda w^2 / 2 \tag{1}$$", "1", "proved", "refuted"),
    ("a condition on a quantity in the lead-in is applied, not ignored by a refutation",
     r"$$h = \max(0, a) \tag{1}$$" "\n\n- if $a > 0$:\n\n" r"$$\frac{\partial h}{\partial a} = 1 \tag{2}$$", "2", "proved",
     "refuted"),
    ("a condition in the lead-in: the counterexample meets it",
     r"$$h = \max(0, a) \tag{1}$$" "\n\n- if $a < 0$:\n\n" r"$$\frac{\partial h}{\partial a} = 1 \tag{2}$$", "2", "refuted",
     "proved"),
    ("a condition on a hidden unit's input, through its definition",
     r"$$a_m = \sum_{j=1}^D V_{mj} x_j \tag{1}$$" "\n\n" r"$$h_m = \max(0, a_m) \tag{2}$$" "\n\n- if $a_m > 0$:\n\n"
     r"$$\frac{\partial h_m}{\partial V_{mj}} = 0 \tag{3}$$", "3", "refuted", "proved"),
    ("a label vector the prose says sums to one",
     "The label vector $y$ sums to one.\n\n" r"$$p_k = \frac{e^{z_k}}{\sum_{c=1}^C e^{z_c}} \tag{1}$$" "\n\n"
     r"$$L = -\sum_{k=1}^C y_k \log p_k \tag{2}$$" "\n\n" r"$$\frac{\partial L}{\partial z_k} = p_k - y_k \tag{3}$$",
     "3", "proved", "refuted"),
    ("an identity false for some value of a free constant",
     r"$$e^{z_i - M} = e^{z_i} \tag{1}$$", "1", "refuted", "proved"),
    ("the power after the bracket of d/dx (...)^2 belongs to the bracket",
     "$$f(a) = (a x + b - y)^2 \\quad (1)$$\n\n" r"$$\frac{d}{dx} (a x + b - y)^2 = 2a(a x + b - y) \quad (2)$$",
     "2", "proved", "refuted"),
    ("the power after the bracket, a wrong derivative",
     "$$f(a) = (a x + b - y)^2 \\quad (1)$$\n\n" r"$$\frac{d}{dx} (a x + b - y)^2 = 2(a x + b - y) \quad (2)$$",
     "2", "refuted", "proved"),
    ("a function the document defines with two parameters, written bare in a derivative",
     "Let $a = \\sigma(z)$.\n\n" + LOGISTIC.replace("(1)", "(0)") + r"$$\ell(a, y) = -y \log a - (1 - y) \log(1 - a) \tag{1}$$"
     "\n\n" r"$$\frac{\partial \ell}{\partial z} = a - y \tag{2}$$", "2", "proved", "refuted"),
    ("the same, a sign slip",
     "Let $a = \\sigma(z)$.\n\n" + LOGISTIC.replace("(1)", "(0)") + r"$$\ell(a, y) = -y \log a - (1 - y) \log(1 - a) \tag{1}$$"
     "\n\n" r"$$\frac{\partial \ell}{\partial z} = y - a \tag{2}$$", "2", "refuted", "proved"),
    ("a quantity written against a bracket is a product",
     "The label is $y \\in \\{0, 1\\}$.\n\n" r"$$y (1 - y) = 0 \tag{1}$$", "1", "proved", "refuted"),
    ("a quantity against a bracket, false",
     "The label is $y \\in \\{0, 1\\}$.\n\n" r"$$y (2 - y) = 0 \tag{1}$$", "1", "refuted", "proved"),
    ("a probability 0 < p < 1: the log of a quotient",
     "For a probability $0 < p < 1$,\n\n" r"$$\log \frac{p}{1 - p} = \log p - \log(1 - p) \tag{1}$$", "1", "proved",
     "refuted"),
    ("a counterexample for p in (0, 1) stays inside (0, 1)",
     "For a probability $0 < p < 1$,\n\n" r"$$\log \frac{p}{1 - p} = \log p + \log(1 - p) \tag{1}$$", "1", "refuted",
     "proved"),
    ("a positive constant from the prose",
     "with $c > 0$:\n\n" r"$$\log(c^2) = 2 \log c \tag{1}$$", "1", "proved", "refuted"),
    ("a value of the variable stated 'at t = ...' is not its definition",
     r"$$q(t) = (3t + 1 - y)^2 \tag{1}$$" "\n\n" r"$$\frac{d}{dt} (3t + 1 - y)^2 = 3(3t + 1 - y) \tag{2}$$" "\n\n"
     "The derivative vanishes at $t = \\frac{y - 1}{3}$.\n", "2", "refuted", "proved"),
    ("the variable of a function the document defines is never defined by an equation",
     r"$$q(t) = (3t + 1 - y)^2 \tag{1}$$" "\n\n" r"$$\frac{d}{dt} (3t + 1 - y)^2 = 3(3t + 1 - y) \tag{2}$$" "\n\n"
     "Let $t = \\frac{y - 1}{3}$.\n", "2", "refuted", "proved"),
    ("a displayed bound on a quantity is a claim to check, not its domain",
     r"$$L \geq 0 \tag{1}$$" "\n\n" r"$$\frac{\partial L}{\partial z_i} = 0 \tag{2}$$", "2", "refuted", "proved"),
    ("a quantity the prose says is positive is still not a constant where it is differentiated",
     "We know $c > 0$.\n\n" r"$$\frac{d c}{d x} = 0 \tag{1}$$", "1", "unverified", "proved"),
    ("a numbered position is not a free index: x_1 where x_j belongs",
     "For sample $i$ the prediction is $\\hat{y}^{(i)} = \\sum_{j=1}^{D} w_j x_j^{(i)} + b$.\n\n"
     r"$$J = \frac{1}{N} \sum_{i=1}^{N} (\hat{y}^{(i)} - y^{(i)})^2 \tag{1}$$" "\n\n"
     r"$$\frac{\partial J}{\partial w_j} = \frac{2}{N} \sum_{i=1}^{N} (\hat{y}^{(i)} - y^{(i)}) x_1^{(i)} \tag{2}$$",
     "2", "refuted", "proved"),
    ("a decorated letter is another quantity (w^* is not w)",
     r"$$w^* = 2 \tag{1}$$" "\n\n" r"$$w^* x = w x \tag{2}$$", "2", "refuted", "proved"),
    ("a primed letter the document defines is that quantity (never the unprimed letter): a dropped factor",
     r"$$J = (w x - y)^2 \tag{1}$$" "\n\n" r"$$w' = w - \alpha \frac{\partial J}{\partial w} \tag{2}$$" "\n\n"
     r"$$w' = w - 2 \alpha (w x - y) \tag{3}$$", "3", "refuted", "proved"),
    ("a bare primed letter is never the unprimed one (a true update is not refuted)",
     r"$$J = (w x - y)^2 \tag{1}$$" "\n\n" r"$$w' = w - \alpha \frac{\partial J}{\partial w} \tag{2}$$" "\n\n"
     r"$$w' = w - 2 \alpha (w x - y) x \tag{3}$$", "3", "proved", "refuted"),
    ("a primed shorthand is not a new letter a counterexample may choose (e_i' is the derivative of e_i)",
     r"$$\begin{aligned} e_i' &= \frac{\partial \exp(x_i)}{\partial x_i} \\ &= \exp(x_i) \\ e_i' &= e_i"
     r" \end{aligned} \tag{1}$$", "1", "unverified", "refuted"),
    ("two layers' weights are different numbers (W^{(1)} is not W^{(2)})",
     r"$$h_j = \sum_{k=1}^{D} W^{(1)}_{jk} x_k \tag{1}$$" "\n\n" r"$$o_j = \sum_{k=1}^{D} W^{(2)}_{jk} x_k \tag{2}$$"
     "\n\n" r"$$h_j = o_j \tag{3}$$", "3", "refuted", "proved"),
    ("tanh beside exponentials: one rational function in e^t",
     r"$$\frac{d}{dt} \tanh t = \frac{4}{(e^{t} + e^{-t})^2} \tag{1}$$", "1", "proved", "refuted"),
    ("tanh beside exponentials, a dropped factor",
     r"$$\frac{d}{dt} \tanh t = \frac{2}{(e^{t} + e^{-t})^2} \tag{1}$$", "1", "refuted", "proved"),
    ("a sign of tanh that holds only for t > 0", r"$$0 < \tanh t \tag{1}$$", "1", "refuted", "proved"),
    ("1 - tanh^2 is positive", r"$$0 < 1 - \tanh^2 t \tag{1}$$", "1", "proved", "refuted"),
    ("a function defined with a parameter, applied to another argument",
     r"$$g(p) = \log \frac{p}{1 - p} \tag{1}$$" "\n\n" + LOGISTIC.replace("(1)", "(2)")
     + r"$$g(\sigma(z)) = z \tag{3}$$", "3", "proved", "refuted"),
    ("a letter the prose names as a learning rate is a number: eta(...) is a product",
     "With learning rate $\\eta$:\n\n" r"$$\eta (a + b) = \eta a + \eta b \tag{1}$$", "1", "proved", "refuted"),
    ("a letter the prose names as a learning rate: a false product rule",
     "With learning rate $\\eta$:\n\n" r"$$\eta (a + b) = \eta a + b \tag{1}$$", "1", "refuted", "proved"),
    ("a definition with an index its left side lacks is not read, and its quantity is never chosen freely",
     r"$$t_k = \delta_{k m} + 1 \tag{1}$$" "\n\n" r"$$\sum_{k=1}^C t_k = C + 1 \tag{2}$$", "2", "unverified",
     "refuted"),
    ("the true class c^* is one fixed class: a smoothed target sums to one",
     r"$$t_k = (1 - \epsilon) \delta_{k c^*} + \frac{\epsilon}{C} \tag{1}$$" "\n\n"
     r"$$\sum_{k=1}^C t_k = 1 \tag{2}$$", "2", "proved", "refuted"),
    ("the derivative of a defined function's value, written in that value (1 - h^2), and a wrong one",
     r"$$h = \tanh(a) \tag{1}$$" "\n\n" r"$$L = h^2 \tag{2}$$" "\n\n"
     r"$$\frac{\partial L}{\partial a} = 2 h (1 + h^2) \tag{3}$$", "3", "refuted", "proved"),
    ("a logistic hidden unit's derivative written as h (1 - h)",
     LOGISTIC + r"$$h = \sigma(a) \tag{2}$$" "\n\n" r"$$L = 3 h \tag{3}$$" "\n\n"
     r"$$\frac{\partial L}{\partial a} = 3 h (1 - h) \tag{4}$$", "4", "proved", "refuted"),
]


@pytest.mark.parametrize("name, document, label, status, never", CASES, ids=[c[0] for c in CASES])
def test_soundness_case(name, document, label, status, never):
    """The equation gets the status it must have, never the unsound one."""
    equation = {e.label: e for e in check(document).equations}[label]
    assert equation.status != never, (name, equation)
    assert equation.status == status, (name, equation)


def test_every_axis_is_named_in_the_verdict():
    """A refuted sum over the features names D in its counterexample; a proved feature step names D."""
    report = check(r"$$\sum_{t=1}^D x_t = x_1 + x_2 \tag{1}$$" "\n\n" r"$$\sum_{t=1}^D 2 x_t = 2 \sum_{s=1}^D x_s \tag{2}$$")
    refuted, proved = report.equations
    assert refuted.steps[0].counterexample.features == 3
    assert proved.status == "proved" and proved.steps[0].features == (1, 2, 3)


def test_plain_calculus_names_no_classes():
    """A claim about a free real variable says nothing about C."""
    step = check(r"$$\frac{d}{dz} z^3 = 3 z^2 \tag{1}$$").equations[0].steps[0]
    assert step.status == "proved" and step.classes == () and not step.for_all_c


def test_document_definition_is_a_definition_and_is_reported():
    """The display that defines sigma pointwise is a definition; the memo keeps documents apart."""
    memo: dict = {}
    claim = "$$\\sum_{i=1}^N \\sigma(z_i) = 1 \\tag{2}$$"
    softmax = check("$$" + r"\sigma(z_i) = \frac{e^{z_i}}{\sum_k e^{z_k}}" + " \\tag{1}$$\n\n" + claim, memo=memo)
    logistic = check(LOGISTIC + claim, memo=memo)
    assert softmax.equations[0].status == "definition" and logistic.equations[0].status == "definition"
    assert softmax.equations[1].status == "proved"
    assert logistic.equations[1].status == "refuted"


def test_counterexample_inside_the_unit_interval():
    """A counterexample for a p the prose puts in (0, 1) gives p a value in (0, 1)."""
    doc = "For a probability $0 < p < 1$,\n\n" r"$$\frac{d}{dp} \log \frac{p}{1 - p} = \frac{1}{p} - \frac{1}{1 - p} \tag{1}$$"
    step = check(doc).equations[0].steps[0]
    assert step.status == "refuted"
    value = dict(step.counterexample.values)["p"]
    assert 0 < float(__import__("fractions").Fraction(value)) < 1


def test_the_true_class_is_tried_apart_from_the_free_index():
    """A constant index (c^*) inside a definition is tried equal to and apart from the step's free indices."""
    document = (r"$$t_k = (1 - \epsilon) \delta_{k c^*} + \frac{\epsilon}{C} \tag{1}$$" "\n\n"
                r"$$t_k = 1 - \epsilon + \frac{\epsilon}{C} \tag{2}$$" "\n\n"
                r"$$t_{c^*} = 1 - \epsilon + \frac{\epsilon}{C} \tag{3}$$")
    report = check(document, model="softmax-bias-l2")
    verdicts = {e.label: e for e in report.equations}
    assert verdicts["2"].status == "refuted"
    assert "c* != k" in verdicts["2"].steps[0].message
    assert verdicts["3"].status == "proved"


def test_an_index_over_two_axes_is_refuted_by_an_instance_and_never_proved():
    """x_m with m a hidden unit and x an input: a wrong index, refuted at positions both axes have."""
    document = (r"$$\frac{\partial a_m}{\partial V_{mj}} = x_m \tag{1}$$" "\n\n"
                r"$$\frac{\partial a_m}{\partial V_{mj}} = x_j \tag{2}$$")
    verdicts = {e.label: e for e in check(document, model="mlp").equations}
    assert verdicts["1"].status == "refuted"
    assert "runs over D in one place and over H in another" in verdicts["1"].steps[0].message
    assert verdicts["2"].status == "proved"


def test_a_softmax_defined_anew_with_a_temperature_is_the_authors_definition():
    """sigma(z)_k = e^{z_k/T} / sum_c e^{z_c/T}, where the model's sigma is the plain softmax: never refuted."""
    document = (r"$$\sigma(z)_k = \frac{e^{z_k / T}}{\sum_{c=1}^C e^{z_c / T}} \tag{1}$$" "\n\n"
                r"$$\frac{\partial \sigma(z)_i}{\partial z_j} = \frac{1}{T} \sigma(z)_i (\delta_{ij} - \sigma(z)_j) \tag{2}$$")
    verdicts = {e.label: e for e in check(document, model="softmax-bias-l2").equations}
    assert verdicts["1"].status == "definition"
    assert verdicts["2"].status == "proved"


def test_a_tempered_softmax_as_the_document_defines_it_refutes_a_missing_factor():
    """The document's own sigma (with T) is read as a function of the vector: a dropped 1/T is found."""
    document = (r"$$\sigma(z)_k = \frac{e^{z_k / T}}{\sum_{c=1}^C e^{z_c / T}} \tag{1}$$" "\n\n"
                r"$$\frac{\partial \sigma(z)_i}{\partial z_j} = \sigma(z)_i (\delta_{ij} - \sigma(z)_j) \tag{2}$$" "\n\n"
                r"$$\frac{\partial \sigma(z)_i}{\partial z_j} = -\frac{1}{T} \sigma(z)_i \sigma(z)_j \quad \text{for } i \neq j"
                r" \tag{3}$$")
    verdicts = {e.label: e for e in check(document, model="softmax-bias-l2").equations}
    assert verdicts["2"].status == "refuted"
    assert verdicts["3"].conditions == ("i != j",) and verdicts["3"].status == "proved"


def test_a_model_quantity_the_document_defines_in_a_way_not_read_loses_the_models_definition():
    """The document's L (sigma of a shifted vector) is not read: the model's L (with its L2 term) must not be used
    in its place, so a step that holds for the document's L is never refuted against the model's (nor proved: the
    display after the one not read is where the document's L is read from)."""
    document = (r"$$L = -\sum_{k=1}^C y_k \log \sigma(z + a)_k \tag{2}$$" "\n\n"
                r"$$L = -\sum_{k=1}^C y_k \log p_k \tag{3}$$")
    verdicts = {e.label: e for e in check(document, model="softmax-bias-l2", timeout=2).equations}
    assert verdicts["3"].status in ("unverified", "definition")


@pytest.mark.parametrize("prose", ["We have $N$ samples $x^{(n)}$, each with $D$ features and a one-hot label $y^{(n)}$.",
                                   "The features are real numbers."])
def test_a_displayed_sum_to_one_is_a_claim_never_a_domain(prose):
    """Once, the display itself made x a probability vector (and the samples named before "a one-hot label" too),
    so the false claim proved itself."""
    report = check(prose + "\n\n" + r"$$\sum_{j=1}^D x_j = 1 \tag{2}$$", model="softmax-bias-l2")
    assert report.equations[0].status == "refuted"


NG = ("We have $m$ training examples and $n$ features. With the convention $x_0^{(i)} = 1$ the hypothesis is "
      "$h_\\theta(x^{(i)}) = \\sum_{j=0}^{n} \\theta_j x_j^{(i)}$.\n\n"
      "$$J(\\theta) = \\frac{1}{2m} \\sum_{i=1}^{m} (h_\\theta(x^{(i)}) - y^{(i)})^2 \\tag{1}$$\n\n")


def test_a_size_written_in_lower_case_is_varied_and_named():
    """A sum to n (never an index) runs over a size of its own: never held at one value and never unreported."""
    verdicts = {e.label: e for e in check(r"$$\sum_{t=1}^n x_t = x_1 + x_2 \tag{1}$$", model="linear").equations}
    assert verdicts["1"].status == "refuted"
    assert "n" in dict(verdicts["1"].steps[0].counterexample.sizes)


@pytest.mark.parametrize("claim, status", [
    (r"\frac{\partial J}{\partial \theta_0} = \frac{1}{m} \sum_{i=1}^{m} (h_\theta(x^{(i)}) - y^{(i)})", "proved"),
    (r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m} \sum_{i=1}^{m} (h_\theta(x^{(i)}) - y^{(i)}) x_j^{(i)}", "proved"),
    (r"\frac{\partial J}{\partial \theta_j} = \frac{1}{m} \sum_{i=1}^{m} (h_\theta(x^{(i)}) - y^{(i)})", "refuted"),
    # true for every j >= 1, false for j = 0 (no x_0 in the sum): position 0 is always tried
    (r"\frac{\partial}{\partial \theta_j} \sum_{k=1}^{n} \theta_k^2 = 2 \theta_j", "refuted"),
])
def test_the_constant_feature_and_the_hypothesis_as_a_function_of_a_sample(claim, status):
    """x_0^{(i)} = 1 fixes a component, the sum from 0 makes position 0 a component of the axis, and h_theta of the
    sample x^{(i)} is a quantity of each sample."""
    report = check(NG + f"$${claim} \\tag{{2}}$$", model="linear")
    assert {e.label: e.status for e in report.equations} == {"1": "definition", "2": status}


def test_an_example_value_is_not_a_fact():
    """'take $x_1 = 2$' is an example: only a component at position 0 is ever fixed by the document."""
    document = "Take for instance $x_1 = 2$.\n\n$$\\sum_{j=1}^D x_j = 2 + \\sum_{j=2}^D x_j \\tag{1}$$"
    assert check(document).equations[0].status != "proved"


@pytest.mark.parametrize("document, status", [
    # e_i' may be the derivative of a shorthand: never a new letter of any value
    (r"$$e_i' + e_i = 2 e_i \tag{1}$$", "unverified"),
    ("$$w_j' = w_j - \\alpha x_j \\tag{1}$$\n\n$$w_j' - w_j = -\\alpha x_j \\tag{2}$$", "proved"),
    ("$$w_j' = w_j - \\alpha x_j \\tag{1}$$\n\n$$w_j' - w_j = \\alpha x_j \\tag{2}$$", "refuted"),
])
def test_a_primed_letter_is_read_only_where_the_document_defines_it(document, status):
    assert check(document).equations[-1].status == status


def test_a_function_of_a_sample_applied_to_something_else_is_not_read():
    report = check(NG + "$$h_\\theta(y^{(i)}) = \\sum_{j=0}^{n} \\theta_j y^{(i)} \\tag{2}$$", model="linear")
    assert report.equations[-1].status == "unverified"


@pytest.mark.parametrize("name, document, status, never", [
    ("a cases block is read under the document's own letters (y-hat the prediction, not the profile's label)",
     "Softmax: $\\hat{y}_i = \\frac{e^{z_i}}{\\sum_{k=1}^{C} e^{z_k}}$.\n\n"
     r"$$\frac{\partial \hat{y}_i}{\partial z_j} = \begin{cases} \hat{y}_i(1-\hat{y}_i), & i=j \\ -\hat{y}_i \hat{y}_j, &"
     r" i \neq j \end{cases} \tag{1}$$", "proved", "refuted"),
    ("a definition whose right side is not read leaves its quantity opaque, never a free input",
     "$$L(y, \\hat{y}) = -y \\log(\\hat{y}) - (1-y) \\log(1-\\hat{y}) \\tag{1}$$\n\n"
     "$$\\hat{y} = \\frac{1}{1+e^-(\\mathbf{x}\\mathbf{w}+b)} \\tag{2}$$\n\n"
     r"$$\frac{\partial L}{\partial w_i} = -(y - \hat{y}) x_i \tag{3}$$", "unverified", "refuted"),
    ("a chain whose middle is not read still defines its first side by its last",
     "Write $$y_i = \\text{softmax}(\\textbf{x})_i = \\frac{e^{x_i}}{\\sum_{d=1}^C e^{x_d}} \\tag{1}$$.\n\n"
     r"$$\frac{\partial y_i}{\partial x_i} = y_i (1 - y_i) \tag{2}$$", "proved", "refuted"),
    ("indices written as superscripts are never powers",
     r"$$s^i=\frac{(e^z)^i}{\sum_j^N(e^z)^j} \tag{1}$$" "\n\n"
     r"$$s^2=\frac{(e^z)^2}{(e^z)^1+(e^z)^2+(e^z)^3} \tag{2}$$", "unverified", "refuted"),
    ("a word is one name, never a product of letters",
     r"$$loss = -y \log(s) \tag{1}$$" "\n\n" r"$$loss = -y \log s + 0 \tag{2}$$", "proved", "refuted"),
    ("one-hot in words: exactly one of the labels is 1",
     "$$y_i = \\frac{e^{x_i}}{\\sum_{d=1}^C e^{x_d}} \\tag{1}$$\n\n$$L = -\\sum_{i=1}^C t_i \\log y_i \\tag{2}$$\n\n"
     "Since exactly one of the $$t_i$$s is 1 and the rest are zeros this simplifies to:\n\n"
     r"$$\frac{\partial L}{\partial x_j} = y_j - t_j \tag{3}$$", "proved", "refuted"),
    ("'where $y_i = 1$ if the class is i, and 0 otherwise' is a case, never every y_i set to 1",
     "$\\mathbf{y}$ is one-hot, where $y_i=1$ if the actual class is $i$, and 0 otherwise.\n\n"
     r"$$L = - \sum_i y_i \log p_i \tag{1}$$" "\n\n" r"$$-y_i (1 - p_i) = -y_i + p_i \tag{2}$$", "refuted", "proved"),
    ("a vector defined as the softmax of a vector defines each component",
     r"$$\mathbf{p} = \text{softmax}(\mathbf{x}) \tag{1}$$" "\n\n"
     r"$$\frac{\partial p_i}{\partial x_i} = p_i (1 - p_i) \tag{2}$$", "proved", "refuted"),
    ("the index after a function's bracket is never dropped: s(x)_i is not s(x)_j",
     r"$$s(\mathbf x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}} \tag{1}$$" "\n\n" r"$$s(\mathbf x)_i = s(\mathbf x)_j \tag{2}$$",
     "refuted", "proved"),
    ("the same notation, a true derivative",
     r"$$s(\mathbf x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}} \tag{1}$$" "\n\n"
     r"$$\frac{\partial [s(\mathbf x)]_i}{\partial x_i} = s(\mathbf x)_i (1 - s(\mathbf x)_i) \tag{2}$$", "proved", "refuted"),
    ("an index after the bracket of a sum of terms is not read, never dropped",
     r"$$(a + b)_i = (a + b)_j \tag{1}$$", "unverified", "proved"),
    ("a sum written without bounds over an axis the document starts at 0 (theta_0) includes position 0",
     r"$$h = \sum_j \theta_j x_j \tag{1}$$" "\n\n" r"$$\frac{\partial h}{\partial \theta_0} = x_0 \tag{2}$$",
     "proved", "refuted"),
    ("the same sum: its derivative in theta_0 is not 0",
     r"$$h = \sum_j \theta_j x_j \tag{1}$$" "\n\n" r"$$\frac{\partial h}{\partial \theta_0} = 0 \tag{2}$$",
     "refuted", "proved"),
    ("a sum the author bounds from 1 beside theta_0 stays from 1",
     r"$$h = \theta_0 + \sum_{j=1}^n \theta_j x_j \tag{1}$$" "\n\n"
     r"$$\frac{\partial h}{\partial \theta_0} = 1 \tag{2}$$", "proved", "refuted"),
    ("s^T s is a number for column vectors: diag(s) - s^T s is not the softmax Jacobian's reading, never proved",
     r"$$s_i = \frac{e^{z_i}}{\sum_k e^{z_k}} \tag{1}$$" "\n\n"
     r"$$\frac{\partial \mathbf{s}}{\partial \mathbf{z}} = \operatorname{diag}(\mathbf{s}) - \mathbf{s}^\top \mathbf{s} \tag{2}$$",
     "unverified", "proved"),
])
def test_reading_real_derivations_is_sound(name, document, status, never):
    verdict = check(document).equations[-1]
    assert verdict.status != never
    assert verdict.status == status, [(s.status, s.message) for s in verdict.steps] or verdict.message


def test_a_derivative_with_respect_to_a_vector_written_with_its_components_elsewhere_is_never_refuted():
    """``z = w^T x + b`` makes w a vector (its components w_k); ``\\partial z / \\partial w = x`` in another display is
    a gradient, never the derivative in a scalar w that z does not contain (0: a false alarm); nor is a claim with a
    loss the document defines read under the profile's meaning of L instead."""
    document = (r"$$z = w^T x + b \tag{1}$$" "\n\n" r"$$\frac{\partial z}{\partial w} = x \tag{2}$$" "\n\n"
                r"$$L = \frac{1}{2}\|w\|^2 + z \tag{3}$$" "\n\n" r"$$\frac{\partial L}{\partial w} = w + x \tag{4}$$")
    statuses = {e.label: e.status for e in check(document).equations}
    assert statuses["2"] != "refuted" and statuses["4"] != "refuted", statuses


@pytest.mark.parametrize("name, document, never", [
    ("a derivative in a Greek letter whose components the document writes (beta^T x_i) is never a scalar's",
     r"$$\mathcal{L}(\beta) = \frac{-1}{n} \sum_{i=1}^{n} \log \sigma(y_i\beta^{T}x_i) \tag{1}$$" "\n\n"
     r"where $\sigma (x) = \frac{1}{1 +e^{-x}}$. Let $l_i(\beta) = - \log \sigma(y_iz_i),$ where $z_i = \beta^{T}x_i$,"
     "\n\n" r"$$\frac {\partial l_i(\beta)}{\partial \beta} = -(1 - \sigma(y_iz_i)) y_ix_i \tag{2}$$", "refuted"),
    ("the derivative of a function defined anew (another number of parameters) is never taken from the first",
     r"$$f(x) = x^2 \tag{1}$$" "\n\n" r"$$f(x; \theta) = \theta_{0} x^2 + \theta_{1} x \tag{2}$$" "\n\n"
     r"$$\frac{\partial f}{\partial \theta_{0}} = x^2 \tag{3}$$", "refuted"),
    ("f' of a function the document does not read is never 0",
     r"$$f(x) = x^2 \tag{1}$$" "\n\n" r"$$f(x; \theta) = \theta x^2 \tag{2}$$" "\n\n" r"$$f'(x) = 2x \tag{3}$$",
     "refuted"),
    ("a bare letter beside its numbered scalar (theta, theta_0) is never given a value apart",
     r"$$E = \frac{1}{2} (x^2 \theta_{0} - y)^2 \tag{1}$$" "\n\n" r"$$\frac{dE}{d\theta} = x^2 - y \tag{2}$$", "refuted"),
])
def test_a_reading_that_may_not_be_the_authors_never_refutes(name, document, never):
    verdict = check(document).equations[-1]
    assert verdict.status != never, [(s.status, s.message) for s in verdict.steps] or verdict.message


def test_a_value_of_a_function_is_not_a_new_definition_and_the_first_definition_holds_before_a_new_one():
    """sigma(0) = 1/2 is a claim about sigma; an f with another number of parameters defined later leaves the
    displays before it checked with the first f."""
    report = check(r"$$\sigma(z) = \frac{1}{1 + e^{-z}} \tag{1}$$" "\n\n" r"$$\sigma(0) = \frac{1}{2} \tag{2}$$" "\n\n"
                   r"$$f(x) = x^2 \tag{3}$$" "\n\n" r"$$f'(x) = 2x \tag{4}$$" "\n\n"
                   r"$$f(x; \theta) = \theta x^2 \tag{5}$$" "\n\n" r"$$f'(x) = 2x \tag{6}$$")
    assert [e.status for e in report.equations] == ["definition", "proved", "definition", "proved", "definition",
                                                    "unverified"]


@pytest.mark.parametrize("name, document, never", [
    ("boxes with braces inside side by side are a row, never a product",
     r"$$o = \boxed{a_{1}}\boxed{a_{2}} \tag{1}$$" "\n\n" r"$$o = a_1 a_2 \tag{2}$$", "proved"),
    ("'the inputs x are row vectors' says nothing about s: s^T s stays a number",
     "The inputs $x^{(i)}$ are row vectors. Here $s_i = \\frac{e^{z_i}}{\\sum_k e^{z_k}}$.\n\n"
     r"$$\frac{\partial s}{\partial z} = \operatorname{diag}(s) - s^T s \tag{1}$$", "proved"),
    ("a rounded value in the middle of a chain never carries on as exact (e = 2.7 = 27/10)",
     r"$$a = e = 2.7 = \frac{27}{10} \tag{1}$$", "proved"),
    ("an underbrace whose label claims something is never dropped unread",
     r"$$\underbrace{(a+b)^2}_{=a^2+b^2} = a^2 + 2ab + b^2 \tag{1}$$", "proved"),
    ("an index summed to N and free over D in one step is never proved",
     r"$$\hat{y}_i = \sum_{j=1}^D w_j x_{ij} + b \tag{1}$$" "\n\n"
     r"$$J = \frac{1}{2N}\sum_{i=1}^N (\hat{y}_i - y_i)^2 + \frac{\lambda}{2}\sum_{j=1}^D w_j^2 \tag{2}$$" "\n\n"
     r"$$\frac{\partial J}{\partial w_k} = \sum_{k=1}^N (\hat{y}_i - y_i) x_{ik} + \lambda w_k \tag{3}$$", "proved"),
    ("a sum with no bounds of a term without its index has no known number of terms",
     r"$$h = \sum_{j=1}^n w_j x_j \tag{1}$$" "\n\n" r"$$\sum_j 1 = n \tag{2}$$", "refuted"),
    ("a range written in the display (j = 1, ..., n) leaves out j = 0 of a zero-based axis",
     r"$$h_\theta(x^{(i)}) = \frac{1}{1+e^{-\sum_{j=0}^n \theta_j x_j^{(i)}}} \tag{1}$$" "\n\n"
     r"$$J(\theta) = -\frac{1}{m}\sum_{i=1}^m \left[ y^{(i)}\log h_\theta(x^{(i)}) + (1-y^{(i)})\log(1-h_\theta(x^{(i)}))"
     r"\right] + \frac{\lambda}{2m}\sum_{j=1}^n \theta_j^2 \tag{2}$$" "\n\n"
     r"$$\frac{\partial J}{\partial \theta_j} = \frac{1}{m}\sum_{i=1}^m (h_\theta(x^{(i)}) - y^{(i)})x_j^{(i)} + "
     r"\frac{\lambda}{m}\theta_j \quad j = 1, \dots, n \tag{3}$$", "refuted"),
    ("sum_{j != i} p_i is a sum of a term without j, as written (never read as a sum over i)",
     r"Let $p_i = \frac{e^{z_i}}{\sum_{k=1}^C e^{z_k}}$." "\n\n" r"$$\sum_{j \neq i} p_i = (C-1) p_i \tag{1}$$",
     "refuted"),
])
def test_what_a_probe_found_is_never_decided_wrong(name, document, never):
    """Cases an adversarial probe of the ninth session's readings found (false proofs and false alarms)."""
    verdict = check(document).equations[-1]
    assert verdict.status != never, [(s.status, s.message) for s in verdict.steps] or verdict.message
