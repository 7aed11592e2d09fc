// symsoft serve: send the document to /api/check and show the report. Student text only ever reaches the page
// through textContent or KaTeX (throwOnError false, trust false); nothing is evaluated.
"use strict";

const KATEX_OPTIONS = { throwOnError: false, trust: false, strict: "ignore", displayMode: true, maxExpand: 1000 };

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function math(latex, reading) {
  const node = el("div", "math");
  if (window.katex) {
    window.katex.render(latex, node, KATEX_OPTIONS);
  } else {
    node.textContent = latex;
  }
  if (reading && reading.length) {  // what the letters meant, on hover
    node.classList.add("reading");
    node.title = reading.join("\n");
  }
  return node;
}

function mark(status) {
  return el("span", "mark status-" + status, status);
}

function stepNode(step, view, many) {
  const box = el("div", "step");
  const head = el("div", "step-head");
  if (many) head.append(el("span", "", "step " + step.number + ": "));
  head.append(mark(step.status));
  box.append(head);
  if (many) box.append(math(view.wrong_term_latex || step.latex, view.reading));
  if (step.status === "refuted") {
    const holds = step.holds_when ? "; holds when " + step.holds_when : "";
    if (step.message) box.append(el("div", "detail", step.message + holds));
    if (view.counterexample.length) {
      const example = el("div", "detail counterexample");
      example.append(el("div", "", "counterexample: " + view.counterexample[0]));
      view.counterexample.slice(1).forEach((line) => example.append(el("div", "", line)));
      box.append(example);
    }
    if (step.repairs.length) {
      const repair = el("div", "detail repair");
      repair.append(el("span", "", "repair: "), el("span", "edit", step.repairs[0].edit));
      repair.append(el("div", "", "corrected:"), math(step.repairs[0].latex));
      step.repairs.slice(1).forEach((other) => repair.append(el("div", "", "another repair: " + other.edit)));
      box.append(repair);
    } else {
      box.append(el("div", "detail", "no single-edit repair found"));
    }
  } else if (step.status === "proved" && step.method) {
    box.append(el("div", "detail", step.method));
  } else if (step.message) {
    box.append(el("div", "detail", "reason: " + step.message));
  }
  return box;
}

function equationNode(equation, view) {
  const box = el("div", "equation status-" + equation.status);
  box.dataset.label = equation.label || "";
  box.dataset.status = equation.status;
  const head = el("div", "head");
  const conditions = equation.conditions.length ? " if " + equation.conditions.join(", ") : "";
  head.append(el("b", "", equation.label ? "(" + equation.label + ")" : "(unlabelled)"),
              el("span", "", " line " + equation.line + conditions + " "), mark(equation.status));
  const one = equation.steps.length === 1 ? view.steps[0] : null;
  // one step is the equation: it is shown once, its wrong term coloured and its reading on hover
  box.append(math((one && one.wrong_term_latex) || equation.latex, one ? one.reading : []));
  if (equation.status !== "definition" && equation.steps.length) {
    equation.steps.forEach((step, i) => box.append(stepNode(step, view.steps[i], equation.steps.length > 1)));
  } else if (equation.message && equation.status !== "definition") {
    box.append(el("div", "detail", "reason: " + equation.message));
  }
  return box;
}

function showReport(answer) {
  const report = answer.report;
  const out = document.getElementById("report");
  out.replaceChildren();
  const s = report.summary;
  const summary = el("div", "summary",
    s.equations + " equations: " + s.proved + " proved, " + s.refuted + " refuted, " + s.unverified +
    " unverified, " + s.definition + " definitions");
  summary.id = "summary";
  out.append(summary);
  report.equations.forEach((equation, i) => out.append(equationNode(equation, answer.views[i])));
  if (report.findings.length) {
    const list = el("ul", "findings");
    report.findings.forEach((f) => list.append(el("li", "", "line " + f.line + " [" + f.kind + "] " + f.message)));
    out.append(el("h3", "", "Findings"), list);
  }
  document.body.dataset.state = "done";
}

async function check() {
  const state = document.getElementById("state");
  const out = document.getElementById("report");
  document.body.dataset.state = "checking";
  state.textContent = "checking…";
  try {
    const response = await fetch("/api/check", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: document.getElementById("document").value }),
    });
    const answer = await response.json();
    if (!response.ok) {
      out.replaceChildren(el("div", "error", answer.error || "the check failed (" + response.status + ")"));
      document.body.dataset.state = "error";
    } else {
      showReport(answer);
    }
    state.textContent = "";
  } catch (error) {
    out.replaceChildren(el("div", "error", "the server did not answer"));
    document.body.dataset.state = "error";
    state.textContent = "";
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("check").addEventListener("click", check);
  document.getElementById("file").addEventListener("change", (event) => {
    const file = event.target.files[0];
    if (!file) return;
    file.text().then((text) => {
      document.getElementById("document").value = text;
      check();
    });
  });
});
