/*
 * ProdReady assessor page script (ES module, loaded on every page through extra_javascript; it
 * does something only where the page contains #prodready-assessor).
 *
 * The page is HTML rendered at build time (engine/prodready_site/assessor_form.py): the
 * questionnaire in five steps, a live summary and the results region. This script reads the
 * answers from the form, sends them to the engine running in a module Web Worker
 * (assessor-worker.mjs, see its header for the protocol) and puts what the engine returns in
 * place. It holds no decision logic and no report wording: the verdict, the reasons, the roadmap,
 * the EU AI Act tier, the chart, the summary, each step's progress, which questions apply and the
 * checks of the answers are all the engine's (HTML fragments, placed in the element whose
 * data-fragment names them). The script only moves answers between the form, the engine,
 * localStorage, the URL fragment and files, and shows one step of the form at a time.
 *
 * - The engine (assessor-engine.mjs) is started once per document and kept across Material's
 *   instant navigation.
 * - Results follow every change (debounced while typing); a response for an older request is
 *   dropped; a fragment is replaced only when its HTML changed, and the summary row by row, so
 *   its live region announces what changed, not every keystroke.
 * - Engine failure ("failed" from the worker, or no report from it within the start-up limits
 *   it shares with the page, assessor-limits.mjs): data-engine-state becomes "failed", the status
 *   line says what is wrong, every question is shown (nothing can tell which apply), the form
 *   keeps working and the answers are kept.
 * - Answers autosave to localStorage (STORAGE_KEY); "Copy link" puts them in the fragment
 *   (#a=1.<base64url of the compact JSON>), never in the query string.
 */

import { engine, request, startEngine } from "./assessor-engine.mjs";

const ROOT_ID = "prodready-assessor";
const FORMAT = "prodready.answers/1";
const STORAGE_KEY = "prodready.answers.v1";
const SHARE_KEY = "a=";
const SHARE_VERSION = "1";
const DEBOUNCE_MS = 100;

/* ---------------------------------------------------------------------------------------------
 * Small helpers.
 */

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function sameJSON(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function encodeShare(doc) {
  const bytes = new TextEncoder().encode(JSON.stringify(doc));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeShare(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "===".slice((base64.length + 3) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

function storageGet(key = STORAGE_KEY) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Keeps `value` under `key` (null: removes it); false when the browser refused (storage
 * turned off or full: the answers stay in the form). */
function storageSet(value, key = STORAGE_KEY) {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The guide's address, for links in a downloaded document (the page is at assessor/). */
function guideBase() {
  return new URL("../", window.location.href).href;
}

/** The element a URL fragment ("#id") names, if any (a share link's fragment names none). */
function elementOf(hash) {
  try {
    return hash ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
  } catch {
    return null; // not a valid escape sequence
  }
}

function slug(text) {
  const value = String(text || "")
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return value || "initiative";
}

/* ---------------------------------------------------------------------------------------------
 * The page: one View per visit to the assessor page.
 */

class View {
  constructor(root) {
    this.root = root;
    this.$ = (id) => root.querySelector(`#${id}`);
    this.status = this.$("prodready-status");
    this.message = this.$("prodready-message");
    this.verdict = this.$("prodready-verdict");
    this.summary = root.querySelector("[data-summary]");
    this.loadProblems = this.$("prodready-load-problems");
    this.fileInput = this.$("prodready-load-file");
    this.shareBox = root.querySelector(".prodready-share");
    this.shareUrl = this.$("prodready-share-url");
    this.questions = [...root.querySelectorAll("[data-question]")].map((node) => ({
      id: node.dataset.question,
      type: node.dataset.type,
      default: JSON.parse(node.dataset.default || "null"),
      required: node.dataset.required === "true",
      node,
      inputs: [...node.querySelectorAll("input")],
      errorBox: node.querySelector(".prodready-error"),
      text: (node.querySelector(".prodready-question") || node).textContent.replace(/\*.*$/, ""),
    }));
    this.byId = new Map(this.questions.map((q) => [q.id, q]));
    this.sections = [...root.querySelectorAll("form[data-section]")];
    this.steps = [...root.querySelectorAll("[data-step]")];
    this.fragments = new Map( // name -> its element
      [...root.querySelectorAll("[data-fragment]")].map((node) => [node.dataset.fragment, node]),
    );
    this.placed = new Map(); // fragment name -> the HTML in its element
    this.marked = new Set(this.questions); // questions that may show a problem (all, at first)
    this.timer = null;
    this.latest = 0; // id of the newest assess request; older responses are dropped
    this.requestedKey = null; // the answers (as JSON) of that request
    this.changedAt = 0;
    this.shown = null; // the answers the displayed results belong to
    this.appliedShare = null; // fragment that filled the form, cleared on the next edit
    this.current = []; // the engine's problems with the answers in the form
    this.loadIssues = null; // {what, problems}: why a file, link or saved state was not loaded
    this.failedBefore = false; // the page has shown the engine as failed (see showEngineState)
    this.tracking = null; // the tracking tools (assessor-tracking.mjs), once a panel was opened
  }

  bind() {
    this.root.dataset.bound = "true";
    this.root.querySelector(".prodready-toolbar").hidden = false;
    for (const form of this.sections) {
      form.addEventListener("submit", (event) => event.preventDefault());
      form.addEventListener("input", (event) => this.edited(event));
      form.addEventListener("change", (event) => this.edited(event));
    }
    this.root.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-action]");
      if (button && this.root.contains(button)) this.action(button.dataset.action);
      const link = event.target.closest("a[href]");
      if (link && this.root.contains(link)) this.follow(link, event);
    });
    this.fileInput.addEventListener("change", () => this.loadFile());
    this.bindTracking();
    // The first step, or the one an address such as assessor/#q-eu_annex_iii points into.
    const target = elementOf(window.location.hash);
    const section = (target && target.closest("form[data-section]")) || this.sections[0];
    this.showStep(section, null);
    this.restore();
    this.fillToday();
    this.showEngineState();
    this.assess();
  }

  /* -- steps -------------------------------------------------------------------------------- */

  /** Shows one section of the form (the others stay in the page, hidden, and are printed);
   * `focus` is the element to move the focus to, if any. */
  showStep(section, focus) {
    for (const form of this.sections) form.hidden = form !== section;
    for (const step of this.steps) {
      const link = step.querySelector("a");
      if (step.dataset.step === section.dataset.section) link.setAttribute("aria-current", "step");
      else link.removeAttribute("aria-current");
    }
    this.root.dataset.step = section.dataset.section;
    if (focus) {
      focus.focus({ preventScroll: true });
      focus.scrollIntoView({ block: "center" });
    }
  }

  /** A link to a step, a question (from the summary, the problems or the report) or the
   * results, followed within the page: the step that holds its target is shown first, and the
   * focus moves to the target. The address is left as it is (it may hold a share link), and the
   * click stops here: Material's instant navigation loads the page again on a change of its
   * fragment, which would lose the step and the focus. */
  follow(link, event) {
    const url = new URL(link.href, window.location.href);
    const here = new URL(window.location.href);
    if (!url.hash || url.origin !== here.origin || url.pathname !== here.pathname) return;
    const target = elementOf(url.hash);
    if (!target || !this.root.contains(target)) return;
    event.stopPropagation();
    event.preventDefault();
    const section = target.closest("form[data-section]");
    if (!section) {
      target.focus({ preventScroll: true }); // the results (a region that takes the focus)
      target.scrollIntoView({ block: "start" });
      return;
    }
    let focus = section.querySelector(".prodready-section__title");
    if (target !== section) {
      focus = target.querySelector("input:checked") || target.querySelector("input") || target;
      const group = focus.closest("details");
      if (group) group.open = true;
    }
    this.showStep(section, focus);
  }

  /* -- answers <-> form ------------------------------------------------------------------- */

  valueOf(q) {
    switch (q.type) {
      case "choice": {
        const checked = q.inputs.find((input) => input.checked);
        return checked ? checked.value : null;
      }
      case "bool": {
        const checked = q.inputs.find((input) => input.checked);
        return checked ? checked.value === "true" : null;
      }
      case "multi":
        return q.inputs.filter((input) => input.checked).map((input) => input.value);
      case "integer": {
        const raw = q.inputs[0].value.trim();
        return raw === "" ? null : Number(raw);
      }
      default: {
        const raw = q.inputs[0].value;
        return raw === "" ? null : raw;
      }
    }
  }

  /** The compact answers document: the format and every answer that differs from its default. */
  readAnswers() {
    const doc = { format: FORMAT };
    for (const q of this.questions) {
      const value = this.valueOf(q);
      if (value === null || sameJSON(value, q.default)) continue;
      if (Array.isArray(value) && value.length === 0 && q.default === null) continue;
      doc[q.id] = value;
    }
    return doc;
  }

  /** Problems that keep `doc` from being shown in the form as it is (unknown keys, values no
   * control can hold). Values the form can hold are left to the engine to check. */
  misfits(doc) {
    const problems = [];
    for (const [key, value] of Object.entries(doc)) {
      if (key === "format") continue;
      const q = this.byId.get(key);
      if (!q) {
        problems.push({ field: key, message: "is not a question of this version of the form" });
        continue;
      }
      if (value === null) continue;
      const values = q.inputs.map((input) => input.value);
      let fits;
      switch (q.type) {
        case "choice":
          fits = typeof value === "string" && values.includes(value);
          break;
        case "bool":
          fits = typeof value === "boolean";
          break;
        case "multi":
          fits =
            Array.isArray(value) &&
            value.every((v) => typeof v === "string" && values.includes(v)) &&
            new Set(value).size === value.length;
          break;
        case "integer":
          fits = typeof value === "number" && Number.isFinite(value);
          break;
        case "date":
          fits = typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);
          break;
        default:
          // One line of text: an <input> would silently drop line breaks.
          fits = typeof value === "string" && !/[\u0000-\u001f\u007f]/.test(value);
      }
      if (!fits) problems.push({ field: key, message: "has a value the form cannot show" });
    }
    return problems;
  }

  /** Sets every control from `doc` (a fitting answers document); missing answers get defaults. */
  writeAnswers(doc) {
    for (const q of this.questions) {
      const value = Object.prototype.hasOwnProperty.call(doc, q.id) ? doc[q.id] : null;
      const effective = value === null ? q.default : value;
      switch (q.type) {
        case "choice":
          for (const input of q.inputs) input.checked = input.value === effective;
          break;
        case "bool":
          for (const input of q.inputs) {
            input.checked = effective !== null && input.value === String(effective);
          }
          break;
        case "multi": {
          const list = Array.isArray(effective) ? effective : [];
          for (const input of q.inputs) input.checked = list.includes(input.value);
          break;
        }
        default:
          q.inputs[0].value = effective === null ? "" : String(effective);
      }
    }
    for (const group of this.root.querySelectorAll("details.prodready-group")) {
      if (group.querySelector("input:checked")) group.open = true;
    }
    this.fillToday();
  }

  /** An assessment is made on a day: today, unless the answers being shown name another. */
  fillToday() {
    const q = this.byId.get("assessed_on");
    if (!q || q.inputs[0].value) return;
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    q.inputs[0].value = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  /* -- keeping and sharing ---------------------------------------------------------------- */

  /** Fills the form from a share link, else from the autosaved answers. */
  restore() {
    const hash = window.location.hash.slice(1);
    if (hash.startsWith(SHARE_KEY)) {
      const value = hash.slice(SHARE_KEY.length);
      const dot = value.indexOf(".");
      if (dot < 0 || value.slice(0, dot) !== SHARE_VERSION) {
        this.restoreSaved();
        this.say(
          "This link was made by a different version of the assessor and cannot be read here. " +
            "Your own saved answers, if any, are shown instead.",
        );
        return;
      }
      let text;
      try {
        text = decodeShare(value.slice(dot + 1));
      } catch {
        this.restoreSaved();
        this.say(
          "This link is damaged (the part after # is incomplete or changed), so its answers " +
            "could not be read. Your own saved answers, if any, are shown instead.",
        );
        return;
      }
      this.restoreSaved();
      if (this.load(text, "link")) this.appliedShare = window.location.hash;
      return;
    }
    this.restoreSaved();
  }

  restoreSaved() {
    const saved = storageGet();
    if (saved === null) return;
    this.load(saved, "saved");
  }

  /**
   * Loads an answers document (JSON text) from a file, a link or storage. Only a document the
   * form can show entirely replaces the answers; otherwise nothing changes and the problems are
   * shown (the engine's own, next to the fields, when it can answer).
   */
  load(text, source) {
    const what = {
      file: "The file",
      link: "The link",
      saved: "The answers saved in this browser",
      portfolio: "The assessment saved in the portfolio",
    }[source];
    let doc;
    try {
      doc = JSON.parse(text);
    } catch {
      this.say(`${what} could not be read: it is not JSON. Nothing was changed.`);
      return false;
    }
    if (!isPlainObject(doc)) {
      this.say(`${what} could not be read: it is not a set of answers. Nothing was changed.`);
      return false;
    }
    if ("format" in doc && doc.format !== FORMAT) {
      this.say(
        `${what} uses the format ${JSON.stringify(doc.format)}; this assessor reads ` +
          `${FORMAT}. Nothing was changed.`,
      );
      return false;
    }
    const misfits = this.misfits(doc);
    if (misfits.length) {
      this.say(`${what} has answers this form cannot take. Nothing was changed.`);
      const issues = { what, problems: misfits };
      this.loadIssues = issues;
      this.renderProblems();
      // The engine's own account of what is wrong, when it is running.
      request({ op: "assess", answers: doc }, (response) => {
        if (!this.attached() || response.ok || this.loadIssues !== issues) return;
        const problems = response.error && response.error.problems;
        if (response.error && response.error.code === "invalid_answers" && problems) {
          issues.problems = problems.filter((p) => p.field !== "format");
          this.renderProblems();
        }
      });
      return false;
    }
    this.loadIssues = null;
    this.writeAnswers(doc);
    if (this.tracking) this.tracking.formReplaced();
    if (source === "file") this.say("Answers loaded from the file.", "info");
    if (source === "link") this.say("Answers loaded from the link.", "info");
    if (source === "portfolio") this.say("Answers loaded from the portfolio.", "info");
    this.changed(true);
    return true;
  }

  loadFile() {
    const file = this.fileInput.files && this.fileInput.files[0];
    if (!file) return;
    file.text().then(
      (text) => {
        this.fileInput.value = "";
        this.load(text, "file");
      },
      () => this.say("The file could not be read. Nothing was changed."),
    );
  }

  action(name) {
    const doc = this.readAnswers();
    switch (name) {
      case "copy-link": {
        const url = new URL(window.location.href);
        url.hash = `${SHARE_KEY}${SHARE_VERSION}.${encodeShare(doc)}`;
        window.history.replaceState(window.history.state, "", url.href);
        this.appliedShare = url.hash;
        this.shareBox.hidden = false;
        this.shareUrl.value = url.href;
        this.shareUrl.focus();
        this.shareUrl.select();
        const copied = () =>
          this.say("Link copied. Anyone who opens it sees these answers.", "info");
        const manual = () => this.say("Copy the link shown below the buttons.", "info");
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(url.href).then(copied, manual);
        } else {
          manual();
        }
        break;
      }
      case "download-answers":
        download(
          `prodready-answers-${slug(doc.name)}.json`,
          `${JSON.stringify(doc, null, 2)}\n`,
          "application/json",
        );
        break;
      case "load-answers":
        this.fileInput.click();
        break;
      case "download-md":
      case "download-html": {
        const format = name === "download-md" ? "md" : "html";
        request({ op: "render", format, answers: doc, guide_base: guideBase() }, (response) => {
          if (!this.attached()) return;
          if (response.ok) {
            const type = format === "md" ? "text/markdown" : "text/html";
            download(`prodready-report-${slug(doc.name)}.${format}`, response.text, type);
          } else {
            this.say(this.reportUnavailable(response));
          }
        });
        break;
      }
      case "print":
        window.print();
        break;
      case "reset":
        if (!window.confirm("Discard all your answers and start again?")) return;
        this.writeAnswers({});
        if (this.tracking) this.tracking.formReplaced();
        this.loadIssues = null;
        storageSet(null);
        this.clearShare();
        this.shareBox.hidden = true;
        this.say("All answers were discarded.", "info");
        this.changed(true);
        break;
      default:
    }
  }

  reportUnavailable(response) {
    const code = response.error && response.error.code;
    if (code === "invalid_answers") return "Answer the required questions first.";
    if (code === "runtime_unavailable") {
      return "The report cannot be made: the assessment engine is not running.";
    }
    return `The report could not be made: ${(response.error && response.error.message) || code}`;
  }

  clearShare() {
    if (window.location.hash.startsWith(`#${SHARE_KEY}`)) {
      const url = new URL(window.location.href);
      url.hash = "";
      window.history.replaceState(window.history.state, "", url.href.replace(/#$/, ""));
    }
    this.appliedShare = null;
  }

  /* -- tracking initiatives -------------------------------------------------------------- */

  /** The tracking tools below the results: a button opens each panel (one at a time). Their
   * script is loaded when the reader first opens one, so nothing is requested or computed for
   * them before. */
  bindTracking() {
    const section = this.$("prodready-tracking");
    if (!section) return;
    section.hidden = false;
    this.openers = [...section.querySelectorAll("button[data-panel-open]")];
    for (const button of this.openers) {
      button.addEventListener("click", () => this.togglePanel(button));
    }
  }

  togglePanel(button) {
    const opening = button.getAttribute("aria-expanded") !== "true";
    for (const other of this.openers) {
      other.setAttribute("aria-expanded", String(opening && other === button));
      this.$(other.getAttribute("aria-controls")).hidden = !(opening && other === button);
    }
    if (!opening) return;
    const panel = this.$(button.getAttribute("aria-controls"));
    panel.querySelector(".prodready-panel__title").focus();
    this.loadTracking().then(
      (tracking) => {
        if (this.attached() && !panel.hidden) tracking.opened(button.dataset.panelOpen);
      },
      () => this.say("The tracking tools could not be loaded from this site. Reload the page."),
    );
  }

  loadTracking() {
    if (!this.trackingLoad) {
      this.trackingLoad = import("./assessor-tracking.mjs").then((module) => {
        this.tracking = new module.Tracking(this, {
          el,
          download,
          slug,
          guideBase,
          request,
          storageGet,
          storageSet,
        });
        return this.tracking;
      });
      this.trackingLoad.catch(() => {
        this.trackingLoad = null; // a later click tries again
      });
    }
    return this.trackingLoad;
  }

  /* -- assessing -------------------------------------------------------------------------- */

  attached() {
    return engine.view === this && document.body.contains(this.root);
  }

  /** A change made by the reader (not by loading): problems of a rejected load are dropped.
   * A click on a radio button or checkbox is assessed at once (the benchmark measured 111 ms
   * median with the debounce, 12 ms without); typing is debounced. */
  edited(event) {
    const target = event && event.target;
    const choice = !!target && (target.type === "radio" || target.type === "checkbox");
    const doc = this.readAnswers();
    // A click on a choice fires "input" and then "change": the second finds nothing new. Without
    // this the engine would assess every click twice, the second time after the first.
    if (this.timer === null && JSON.stringify(doc) === this.requestedKey) return;
    if (this.loadIssues !== null) {
      this.loadIssues = null;
      this.renderProblems();
    }
    this.changed(choice, doc);
  }

  changed(immediate, doc = this.readAnswers()) {
    this.changedAt = performance.now();
    this.root.dataset.busy = "true"; // until the results for these answers are shown
    storageSet(JSON.stringify(doc));
    if (this.appliedShare !== null && window.location.hash === this.appliedShare) {
      const fromLink = this.appliedShareDoc();
      if (!fromLink || !sameJSON(fromLink, doc)) this.clearShare();
    }
    clearTimeout(this.timer);
    this.timer = null;
    if (immediate === true) {
      this.assess(doc);
    } else {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.assess();
      }, DEBOUNCE_MS);
    }
  }

  appliedShareDoc() {
    try {
      const value = this.appliedShare.slice(1 + SHARE_KEY.length);
      return JSON.parse(decodeShare(value.slice(value.indexOf(".") + 1)));
    } catch {
      return null;
    }
  }

  assess(doc = this.readAnswers()) {
    const started = performance.now();
    const changedAt = this.changedAt || started;
    this.requestedKey = JSON.stringify(doc);
    this.latest = request({ op: "assess", answers: doc, fragments: true }, (response) => {
      if (!this.attached() || response.id !== this.latest) return; // stale
      this.show(response, doc);
      // For tests and measurements: which request the results show, how long it took from the
      // change to the results on the page, and an event when they are there.
      this.root.dataset.shown = String(response.id);
      this.root.dataset.busy = "false";
      this.root.dataset.lastLatencyMs = String(Math.round(performance.now() - changedAt));
      this.root.dispatchEvent(
        new CustomEvent("prodready:rendered", { detail: { id: response.id, ok: response.ok } }),
      );
    });
    this.root.dataset.requested = String(this.latest);
  }

  /** Hides the questions the engine says do not apply (and shows the others). Their answers
   * are still sent: the engine ignores them, and they come back if the question applies again. */
  applyHidden(hidden) {
    if (!Array.isArray(hidden)) return;
    const off = new Set(hidden);
    for (const q of this.questions) {
      const hide = off.has(q.id);
      if (q.node.hidden !== hide) q.node.hidden = hide;
    }
  }

  /** Puts the engine's fragments in place. A fragment is replaced only when its HTML changed
   * (most answers change a few), and one with nothing to say hides its element. */
  place(fragments) {
    for (const [name, html] of Object.entries(fragments)) {
      const node = this.fragments.get(name);
      if (!node || this.placed.get(name) === html) continue;
      if (name === "summary") this.placeRows(node, html);
      else node.innerHTML = html;
      this.placed.set(name, html);
      node.hidden = html === "";
    }
  }

  /** The summary's rows (each with a data-key) are replaced one by one, only where they
   * changed: its live region then announces the row that changed, not the whole summary. */
  placeRows(node, html) {
    const incoming = document.createElement("template");
    incoming.innerHTML = html;
    const rows = [...incoming.content.children];
    const old = [...node.children];
    const sameKeys =
      rows.length === old.length && rows.every((row, i) => row.dataset.key === old[i].dataset.key);
    if (!sameKeys) {
      node.replaceChildren(...rows);
      return;
    }
    rows.forEach((row, i) => {
      if (!row.isEqualNode(old[i])) old[i].replaceWith(row);
    });
  }

  show(response, doc) {
    this.shown = doc;
    this.current = [];
    this.applyHidden(response.hidden);
    const verdict = response.ok ? response.verdict : null;
    for (const node of [this.verdict, this.summary]) {
      const id = verdict ? verdict.id : "";
      if (node.dataset.verdict !== id) node.dataset.verdict = id;
      node.dataset.severity = verdict ? String(verdict.severity) : "";
    }
    if (response.fragments) this.place(response.fragments);
    const error = response.error || {};
    if (error.code === "invalid_answers") {
      // A required question not answered yet is still to answer, not an answer to fix.
      this.current = (error.problems || []).filter((p) => doc[p.field] !== undefined);
    } else if (!response.ok && error.code !== "runtime_unavailable") {
      this.say(`The engine could not assess these answers: ${error.message || error.code}`);
    }
    this.renderProblems();
  }

  /**
   * Marks the answers with a problem next to their question (the engine's message), and lists
   * why a file, link or saved state was not loaded.
   */
  renderProblems() {
    for (const q of this.marked) {
      q.errorBox.hidden = true;
      q.errorBox.textContent = "";
      q.node.classList.remove("prodready-q--invalid");
      for (const input of q.inputs) input.removeAttribute("aria-invalid");
    }
    this.marked.clear();
    const mark = (problem, prefix) => {
      const q = this.byId.get(problem.field);
      if (!q) return null;
      const text = prefix + problem.message;
      const box = q.errorBox;
      this.marked.add(q);
      box.textContent = box.textContent ? `${box.textContent} ${text}` : text;
      box.hidden = false;
      q.node.classList.add("prodready-q--invalid");
      for (const input of q.inputs) input.setAttribute("aria-invalid", "true");
      return q;
    };
    for (const problem of this.current) mark(problem, "");
    const summary = [];
    if (this.loadIssues) {
      const { what, problems } = this.loadIssues;
      const prefix = `In ${what.toLowerCase()}: `;
      summary.push(
        el("p", { text: `${what} was not loaded because of these problems:` }),
        el(
          "ul",
          {},
          problems.map((problem) => {
            const q = mark(problem, prefix);
            const where = q
              ? el("a", { href: `#${q.node.id}` }, q.text.trim())
              : el("code", { text: problem.field });
            return el("li", {}, where, `: ${prefix}${problem.message}`);
          }),
        ),
      );
    }
    this.loadProblems.replaceChildren(...summary);
    this.loadProblems.hidden = summary.length === 0;
  }

  /* -- engine state and messages ---------------------------------------------------------- */

  showEngineState() {
    const state = engine.state;
    this.root.dataset.engineState = state;
    if (state === "ready" && engine.readyAt) {
      // Milliseconds from this document's navigation start to the engine being ready.
      this.root.dataset.engineReadyMs = String(Math.round(engine.readyAt));
      if (engine.snapshot) this.root.dataset.engineSnapshot = engine.snapshot;
    }
    const failed = state === "failed";
    let text;
    if (state === "loading") {
      text =
        "Loading the assessment engine in your browser (about 14 MB the first time). " +
        "You can start answering now.";
    } else if (state === "ready") {
      text = "The assessment engine is ready. Your result follows your answers.";
    } else {
      text =
        `The assessment engine could not start: ${engine.message} ` +
        "Every question is shown, since the engine cannot tell which apply. " +
        "Your answers are kept in this browser. Reload the page to try again, or download " +
        "your answers and run them through the prodready command-line tool.";
    }
    if (this.status.textContent !== text) this.status.textContent = text;
    this.status.classList.toggle("prodready-status--failed", failed);
    // Without the engine nothing can tell which questions apply, or how far the reader is:
    // every question is shown, and the engine's last words are put away.
    this.$("prodready-engine-off").hidden = !failed;
    this.summary.querySelector(".prodready-summary__off").hidden = !failed;
    if (failed) {
      this.applyHidden([]);
      for (const node of this.fragments.values()) node.hidden = true;
      this.placed.clear(); // placed again if the engine comes back after all
      this.failedBefore = true;
    } else if (state === "ready" && this.failedBefore) {
      // A "ready" after the page gave up (a slow start): assess the answers in the form now.
      this.failedBefore = false;
      this.assess();
    }
  }

  /** A message for the reader: an alert for problems, a polite note for confirmations. */
  say(text, kind) {
    this.message.textContent = text;
    this.message.setAttribute("role", kind === "info" ? "status" : "alert");
    this.message.classList.toggle("prodready-message--info", kind === "info");
    this.message.hidden = false;
  }
}

/* ---------------------------------------------------------------------------------------------
 * Binding: on the first load and after every instant navigation.
 */

function bindPage() {
  const root = document.getElementById(ROOT_ID);
  if (!root) {
    engine.view = null;
    return;
  }
  if (root.dataset.bound === "true" && engine.view && engine.view.root === root) return;
  startEngine();
  const view = new View(root);
  engine.view = view;
  view.bind();
}

if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(() => bindPage());
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", bindPage);
} else {
  bindPage();
}
