/*
 * ProdReady assessor: the tools for tracking initiatives (ES module). assessor.js imports it when
 * the reader first opens one of the panels below the results, so the assessor's start-up neither
 * downloads nor runs it.
 *
 * The panels' markup is built with the page (engine/prodready_site/tracking_form.py). This
 * script keeps the portfolio in localStorage, sends the engine's tracking operations (see
 * prodready.protocol_tracking: portfolio, diff, record_form, record, verify) and puts what they
 * return in place. It decides nothing: which initiatives need action first, what changed, what a
 * record needs and whether one holds are the engine's answers, and every word about them is the
 * engine's (HTML fragments, placed in the elements marked data-tracking-fragment).
 *
 * - The portfolio is kept as the text of the portfolio file the engine last returned (its
 *   "export"), under STORE, in this browser only. Every change sends that text to the engine and
 *   stores the engine's new text only when its response is ok: a malformed file or tampered
 *   stored state changes nothing stored.
 * - Operations run one at a time, in the order the reader asked for them, each starting from
 *   the stored portfolio as it is then.
 * - The table's rows carry the engine's sort keys (data-sort-<column>), its sortable headers name
 *   them (data-sort): the reader's sort is a stable sort on those keys, so ties keep the engine's
 *   order (those needing action first).
 * - For tests and measurements: the section's data-tracking-busy ("true" while an operation
 *   runs) and data-tracking-done (operations finished), and a "prodready:tracking" event on the
 *   assessor with {op, response} for every response of the engine.
 */

const STORE = "prodready.portfolio.v1";
const FORM_ANSWERS = "the answers in the form";
const RECORD_REFRESH_MS = 300;

/** Numbers compare as numbers, anything else as text (the engine writes dates as YYYY-MM-DD). */
function compareKeys(a, b) {
  const numeric = /^-?\d+(\.\d+)?$/;
  if (numeric.test(a) && numeric.test(b)) return Number(a) - Number(b);
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function today() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export class Tracking {
  /** `view` is the assessor page (assessor.js); `tools` its helpers: el, download, slug,
   * guideBase, request (the engine's), storageGet and storageSet (localStorage). */
  constructor(view, tools) {
    this.view = view;
    this.tools = tools;
    this.section = view.root.querySelector("#prodready-tracking");
    this.$ = (id) => this.section.querySelector(`#${id}`);
    this.status = this.$("prodready-tracking-status");
    this.queue = Promise.resolve();
    this.pending = 0;
    this.done = 0;
    this.portfolio = null; // the portfolio of the engine's last ok response
    this.rows = []; // the table's rows in the engine's order
    this.order = null; // the reader's sort: {key, descending}, or null for the engine's order
    this.notes = new Map(); // justification key -> its row (required ones first)
    this.required = ""; // the required keys the rows were built for
    this.keys = []; // what a justification may be about: [{id, title}]
    this.serial = 0; // for the ids of added fields
    this.recordTimer = null;
    this.bind();
  }

  bind() {
    this.section.addEventListener("click", (event) => {
      const sort = event.target.closest("button[data-sort-by]");
      if (sort) this.sortBy(sort.dataset.sortBy, true);
      const button = event.target.closest("button[data-tracking]");
      if (button && button.type !== "submit") this.act(button.dataset.tracking, button);
    });
    this.$("prodready-portfolio-save").addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    // Enter in a sign-off field must not download a record.
    this.$("prodready-record-form").addEventListener("submit", (e) => e.preventDefault());
    const files = {
      "prodready-portfolio-file": (file, text) => this.importFile(file, text),
      "prodready-compare-file": (file, text) => this.compareWith(text, file.name),
      "prodready-verify-file": (file, text) => this.verifyFile(file, text),
    };
    for (const [id, use] of Object.entries(files)) {
      const input = this.$(id);
      input.addEventListener("change", () => this.readFile(input, use));
    }
    this.$("prodready-portfolio-pick").addEventListener("change", () => {
      this.place("history", ""); // a comparison of the initiative picked before
      this.showHistory();
    });
    // The record's justifications follow the answers: a derogation may come or go.
    this.view.root.addEventListener("prodready:rendered", () => {
      if (this.$("prodready-panel-record").hidden) return;
      clearTimeout(this.recordTimer);
      this.recordTimer = setTimeout(() => this.recordForm(), RECORD_REFRESH_MS);
    });
  }

  /** A panel was opened: fill it. */
  opened(panel) {
    if (panel === "portfolio" || panel === "compare") this.refresh(panel);
    if (panel === "record") this.recordForm();
  }

  act(name, button) {
    const actions = {
      import: () => this.$("prodready-portfolio-file").click(),
      export: () => this.exportPortfolio(),
      "download-stored": () => this.downloadStored(),
      "discard-stored": () => this.discardStored(),
      open: () => this.openPicked(),
      delete: () => this.deletePicked(),
      "compare-dates": () => this.compareDates(),
      "compare-saved": () => this.compareSaved(),
      "compare-file": () => this.$("prodready-compare-file").click(),
      "add-note": () => this.addNote(),
      "remove-note": () => this.removeNote(button.dataset.note),
      "add-signoff": () => this.addSigner(),
      "remove-signoff": () => this.removeSigner(button.closest("[data-signoff]")),
      "record-json": () => this.makeRecord("json"),
      "record-html": () => this.makeRecord("html"),
      "record-md": () => this.makeRecord("md"),
      "verify-file": () => this.$("prodready-verify-file").click(),
    };
    if (actions[name]) actions[name]();
  }

  /** The assessor's form was filled from elsewhere (a file, a link, reset): the name in the
   * portfolio given for the answers before no longer belongs to them ("open" sets it again). */
  formReplaced() {
    this.$("prodready-portfolio-name").value = "";
  }

  /* -- running operations ----------------------------------------------------------------- */

  /** Runs `task` (async) after the operations asked for before it. */
  run(task) {
    this.pending += 1;
    this.section.dataset.trackingBusy = "true";
    this.queue = this.queue
      .then(task)
      .catch((error) => console.error("prodready tracking:", error))
      .then(() => {
        this.pending -= 1;
        this.done += 1;
        this.section.dataset.trackingDone = String(this.done);
        if (this.pending === 0) this.section.dataset.trackingBusy = "false";
      });
  }

  /** Sends one request to the engine; resolves with its response (null once the reader has
   * left the page: nothing is to be done with it). */
  ask(body) {
    return new Promise((resolve) => {
      this.tools.request(body, (response) => {
        if (!this.view.attached()) {
          resolve(null);
          return;
        }
        this.view.root.dispatchEvent(
          new CustomEvent("prodready:tracking", { detail: { op: body.op, response } }),
        );
        resolve(response);
      });
    });
  }

  /** The engine's reason, as the end of a sentence. */
  problem(response) {
    const error = response.error || {};
    if (error.code === "runtime_unavailable") return "the assessment engine is not running.";
    const text = error.message || error.code || "no reason given";
    return /[.?!]$/.test(text) ? text : `${text}.`;
  }

  /** A panel's message: an alert for problems, a polite note for what was done. */
  say(panel, text, kind) {
    const box = this.$(`prodready-${panel}-message`);
    box.textContent = text;
    box.setAttribute("role", kind === "info" ? "status" : "alert");
    box.classList.toggle("prodready-message--info", kind === "info");
    box.hidden = false;
  }

  quiet(panel) {
    const box = this.$(`prodready-${panel}-message`);
    box.hidden = true;
    box.textContent = "";
  }

  /** Short news for screen readers (the section's polite status line). */
  announce(text) {
    this.status.textContent = text;
  }

  /** Puts an engine fragment in its place ("" empties and hides it). */
  place(name, html) {
    const node = this.$(`prodready-${name}-result`);
    node.innerHTML = html;
    node.hidden = html === "";
    return node;
  }

  readFile(input, use) {
    const file = input.files && input.files[0];
    if (!file) return;
    file.text().then(
      (text) => {
        input.value = ""; // the same file can be chosen again
        use(file, text);
      },
      () => this.view.say(`“${file.name}” could not be read. Nothing was changed.`),
    );
  }

  /* -- the portfolio ---------------------------------------------------------------------- */

  /** Asks for the stored portfolio changed by `fields` (nothing: as it is). */
  portfolioOp(fields) {
    return this.ask({ op: "portfolio", portfolio: this.tools.storageGet(STORE), ...fields });
  }

  /** Shows the stored portfolio; a problem is told in `panel` (the one being opened). */
  refresh(panel = "portfolio") {
    this.run(async () => {
      const response = await this.portfolioOp({});
      if (!response) return;
      if (response.ok) {
        this.showPortfolio(response);
        this.quiet(panel);
      } else if (response.error && response.error.code === "runtime_unavailable") {
        this.say(panel, `The portfolio cannot be shown: ${this.problem(response)}`);
      } else {
        this.storedIsBroken(response, panel);
      }
    });
  }

  /** The stored portfolio cannot be read: it is left as it is, for the reader to download or
   * discard (in the portfolio's panel). */
  storedIsBroken(response, panel) {
    this.portfolio = null;
    this.rows = [];
    this.place("portfolio", "");
    this.place("history", "");
    this.$("prodready-portfolio-one").hidden = true;
    this.fillCompare();
    this.section.querySelector("[data-portfolio-broken]").hidden = false;
    this.section.dataset.portfolio = "broken";
    const where = panel === "portfolio" ? "" : " in the portfolio";
    this.say(
      panel,
      `The portfolio saved in this browser cannot be read: ${this.problem(response)} ` +
        `It is kept as it is: download it to repair it, or discard it${where}.`,
    );
  }

  showPortfolio(response) {
    this.portfolio = response.portfolio;
    this.section.querySelector("[data-portfolio-broken]").hidden = true;
    this.section.dataset.portfolio = "ready";
    const node = this.place("portfolio", response.text);
    this.enhanceTable(node.querySelector("table"));
    const names = this.portfolio.initiatives.map((initiative) => initiative.name);
    const pick = this.$("prodready-portfolio-pick");
    const picked = pick.value === "" ? null : pick.options[pick.selectedIndex].text;
    pick.replaceChildren(...names.map((name, i) => this.tools.el("option", { value: i }, name)));
    if (names.includes(picked)) pick.selectedIndex = names.indexOf(picked);
    this.$("prodready-portfolio-names").replaceChildren(
      ...names.map((name) => this.tools.el("option", { value: name })),
    );
    this.$("prodready-portfolio-one").hidden = names.length === 0;
    this.showHistory();
    this.fillCompare();
  }

  /** Stores the engine's new portfolio and shows it. */
  commit(response, done) {
    if (this.tools.storageSet(response.export, STORE)) {
      this.say("portfolio", done, "info");
    } else {
      this.say(
        "portfolio",
        "This browser refused to keep the portfolio (its storage is full or turned off). " +
          "Export it now to keep a copy.",
      );
    }
    this.showPortfolio(response);
  }

  save() {
    const name = this.$("prodready-portfolio-name").value;
    const fields = { add: this.view.readAnswers(), label: FORM_ANSWERS };
    if (name !== "") fields.name = name;
    this.run(async () => {
      const response = await this.portfolioOp(fields);
      if (!response) return;
      if (!response.ok) {
        this.say("portfolio", `Not saved: ${this.problem(response)} Nothing was changed.`);
        return;
      }
      this.commit(response, "The answers were saved to the portfolio.");
    });
  }

  importFile(file, text) {
    this.run(async () => {
      const response = await this.portfolioOp({ add: text, label: file.name });
      if (!response) return;
      if (!response.ok) {
        const reason = this.problem(response);
        this.say("portfolio", `“${file.name}” was not imported: ${reason} Nothing was changed.`);
        return;
      }
      this.commit(response, `“${file.name}” was imported into the portfolio.`);
    });
  }

  exportPortfolio() {
    this.run(async () => {
      const response = await this.portfolioOp({});
      if (!response) return;
      if (!response.ok) {
        this.say("portfolio", `The portfolio cannot be exported: ${this.problem(response)}`);
        return;
      }
      this.showPortfolio(response);
      this.tools.download("prodready-portfolio.json", response.export, "application/json");
    });
  }

  downloadStored() {
    const text = this.tools.storageGet(STORE);
    if (text !== null) this.tools.download("prodready-portfolio-saved.json", text, "text/plain");
  }

  discardStored() {
    if (!window.confirm("Discard the portfolio saved in this browser? It cannot be recovered."))
      return;
    this.tools.storageSet(null, STORE);
    this.refresh();
  }

  picked() {
    const pick = this.$("prodready-portfolio-pick");
    const initiatives = this.portfolio ? this.portfolio.initiatives : [];
    return pick.value === "" ? null : initiatives[Number(pick.value)] || null;
  }

  openPicked() {
    const initiative = this.picked();
    if (!initiative) return;
    const latest = initiative.assessments[initiative.assessments.length - 1];
    if (!this.view.load(JSON.stringify(latest), "portfolio")) return; // the page says why
    this.$("prodready-portfolio-name").value = initiative.name;
    const first = this.view.sections[0];
    this.view.showStep(first, first.querySelector(".prodready-section__title"));
  }

  deletePicked() {
    const initiative = this.picked();
    if (!initiative) return;
    const n = initiative.assessments.length;
    const what = n === 1 ? "its assessment" : `its ${n} assessments`;
    const question = `Delete “${initiative.name}” and ${what} from the portfolio in this browser?`;
    if (!window.confirm(question)) return;
    this.run(async () => {
      const response = await this.portfolioOp({ remove: initiative.name });
      if (!response) return;
      if (!response.ok) {
        this.say("portfolio", `Not deleted: ${this.problem(response)} Nothing was changed.`);
        return;
      }
      this.commit(response, `“${initiative.name}” was deleted from the portfolio.`);
      this.place("history", "");
      if (this.$("prodready-portfolio-one").hidden) {
        this.$("prodready-panel-portfolio-title").focus();
      }
    });
  }

  /* -- sorting the table ------------------------------------------------------------------ */

  /** The engine's sortable headers become buttons (their text kept); the reader's last sort is
   * applied again to a new table. */
  enhanceTable(table) {
    this.rows = table ? [...table.tBodies[0].rows] : [];
    if (!table) return;
    for (const th of table.querySelectorAll("th[data-sort]")) {
      const button = this.tools.el("button", {
        type: "button",
        class: "prodready-sort",
        "data-sort-by": th.dataset.sort,
      });
      button.append(...th.childNodes);
      th.append(button);
    }
    if (this.order) this.sortBy(this.order.key, false);
  }

  /** Sorts by a column: `toggle` (a click) turns an ascending sort into a descending one. */
  sortBy(key, toggle) {
    const table = this.$("prodready-portfolio-result").querySelector("table");
    const header = table && table.querySelector(`th[data-sort="${key}"]`);
    if (!header) return;
    const descending = toggle
      ? header.getAttribute("aria-sort") === "ascending"
      : this.order.descending;
    this.order = { key, descending };
    const value = (row) => row.getAttribute(`data-sort-${key}`) || "";
    const sign = descending ? -1 : 1;
    const sorted = [...this.rows].sort((a, b) => sign * compareKeys(value(a), value(b)));
    table.tBodies[0].append(...sorted);
    for (const th of table.querySelectorAll("th[data-sort]")) {
      if (th === header) th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    }
    if (toggle) {
      this.announce(`Sorted by ${header.textContent}, ${descending ? "descending" : "ascending"}.`);
    }
  }

  /* -- comparing -------------------------------------------------------------------------- */

  /** The picked initiative's assessments, by date, in the two lists of the dates to compare. */
  showHistory() {
    const initiative = this.picked();
    const dates = initiative ? initiative.assessments.map((a) => a.assessed_on) : [];
    const options = () =>
      dates.map((date, j) => {
        const same = dates.filter((d, k) => d === date && k <= j).length;
        const label = dates.filter((d) => d === date).length > 1 ? `${date} (${same})` : date;
        return this.tools.el("option", { value: j }, label);
      });
    const older = this.$("prodready-history-old");
    const newer = this.$("prodready-history-new");
    older.replaceChildren(...options());
    newer.replaceChildren(...options());
    older.selectedIndex = Math.max(0, dates.length - 2);
    newer.selectedIndex = dates.length - 1;
    this.section.querySelector("[data-history]").hidden = dates.length < 2;
    this.section.querySelector("[data-history-single]").hidden = dates.length !== 1;
  }

  compareDates() {
    const initiative = this.picked();
    if (!initiative) return;
    const old = initiative.assessments[Number(this.$("prodready-history-old").value)];
    const now = initiative.assessments[Number(this.$("prodready-history-new").value)];
    this.diff("history", "portfolio", { old, new: now });
  }

  /** Every saved assessment, by initiative, for the comparison with the form's answers. */
  fillCompare() {
    const pick = this.$("prodready-compare-pick");
    const initiatives = this.portfolio ? this.portfolio.initiatives : [];
    const groups = initiatives.map((initiative, i) =>
      this.tools.el(
        "optgroup",
        { label: initiative.name },
        initiative.assessments.map((a, j) =>
          this.tools.el("option", { value: `${i}:${j}` }, `${initiative.name}, ${a.assessed_on}`),
        ),
      ),
    );
    const empty = this.tools.el("option", { value: "" }, "No saved assessments yet");
    pick.replaceChildren(...(groups.length ? groups : [empty]));
    pick.disabled = groups.length === 0;
    this.section.querySelector("[data-tracking=compare-saved]").disabled = groups.length === 0;
  }

  compareSaved() {
    const [i, j] = this.$("prodready-compare-pick").value.split(":").map(Number);
    const initiative = this.portfolio && this.portfolio.initiatives[i];
    if (!initiative) return;
    this.compareWith(initiative.assessments[j], null);
  }

  /** The form's answers against `old` (a saved assessment, or a file's text). */
  compareWith(old, fileName) {
    this.diff("compare", "compare", { old, new: this.view.readAnswers() }, fileName);
  }

  diff(place, panel, sides, fileName) {
    this.run(async () => {
      const response = await this.ask({ op: "diff", ...sides });
      if (!response) return;
      if (!response.ok) {
        const what = fileName ? `“${fileName}” could not be compared` : "Not compared";
        this.say(panel, `${what}: ${this.problem(response)}`);
        return;
      }
      this.quiet(panel);
      const node = this.place(place, response.text);
      node.dataset.changed = String(response.changed);
      this.announce("The comparison is shown below.");
    });
  }

  /* -- the decision record ---------------------------------------------------------------- */

  recordForm() {
    this.run(async () => {
      const response = await this.ask({ op: "record_form", answers: this.view.readAnswers() });
      if (!response) return;
      const box = this.$("prodready-record-message");
      if (!response.ok) {
        this.say("record", `No record can be made of these answers: ${this.problem(response)}`);
        box.dataset.from = "record_form";
        return;
      }
      this.keys = response.keys;
      this.showNotes(response.required);
      if (box.dataset.from === "record_form") this.quiet("record");
    });
  }

  /** The justification fields: one for each the record requires (the engine's prompt as its
   * help), then those the reader added. Texts already written are kept. */
  showNotes(required) {
    const signature = JSON.stringify(required);
    if (signature !== this.required) {
      this.required = signature;
      const texts = new Map([...this.notes].map(([key, row]) => [key, row.textarea.value]));
      const wanted = new Set(required.map((item) => item.id));
      const rows = new Map();
      for (const item of required) {
        const cite = item.citation ? ` (${item.citation})` : "";
        rows.set(item.id, this.noteRow(item.id, item.title + cite, item.prompt, true));
      }
      for (const key of this.notes.keys()) {
        if (!wanted.has(key)) rows.set(key, this.noteRow(key, this.keyTitle(key), null, false));
      }
      for (const [key, row] of rows) row.textarea.value = texts.get(key) || "";
      this.notes = rows;
      this.section
        .querySelector("[data-notes]")
        .replaceChildren(...[...rows.values()].map((row) => row.node));
    }
    this.fillKeys();
  }

  keyTitle(key) {
    const found = this.keys.find((k) => k.id === key);
    return found ? found.title : key;
  }

  noteRow(key, title, prompt, required) {
    const { el } = this.tools;
    const id = `prodready-note-${(this.serial += 1)}`;
    const marker = required
      ? [
          el("span", { class: "prodready-required", "aria-hidden": "true" }, "*"),
          el("span", { class: "prodready-sr-only" }, " (required)"),
        ]
      : [];
    const help = prompt ? el("p", { class: "prodready-help", id: `${id}-help` }, prompt) : null;
    const textarea = el("textarea", {
      id,
      rows: 4,
      "aria-describedby": [help ? `${id}-help` : "", `${id}-error`].join(" ").trim(),
      "aria-required": required ? "true" : null,
    });
    const error = el("p", { class: "prodready-error", id: `${id}-error`, hidden: true });
    const remove = required
      ? null
      : el(
          "button",
          { type: "button", class: "md-button", "data-tracking": "remove-note", "data-note": key },
          "Remove",
          el("span", { class: "prodready-sr-only" }, ` the justification about ${title}`),
        );
    const label = el("label", { for: id }, title, ...marker);
    const node = el(
      "div",
      { class: "prodready-field prodready-note", "data-note": key },
      label,
      help,
      textarea,
      error,
      remove,
    );
    return { node, textarea, error };
  }

  /** The keys a justification may still be added about. */
  fillKeys() {
    const select = this.$("prodready-record-key");
    const free = this.keys.filter((k) => !this.notes.has(k.id));
    select.replaceChildren(...free.map((k) => this.tools.el("option", { value: k.id }, k.title)));
  }

  addNote() {
    const key = this.$("prodready-record-key").value;
    if (!key) return;
    if (!this.notes.has(key)) {
      const row = this.noteRow(key, this.keyTitle(key), null, false);
      this.notes.set(key, row);
      this.section.querySelector("[data-notes]").append(row.node);
      this.fillKeys();
    }
    this.notes.get(key).textarea.focus();
  }

  removeNote(key) {
    const row = this.notes.get(key);
    if (!row) return;
    row.node.remove();
    this.notes.delete(key);
    this.fillKeys();
    this.$("prodready-record-key").focus();
  }

  signers() {
    return [...this.section.querySelectorAll("[data-signoff]")];
  }

  addSigner() {
    const { el } = this.tools;
    const n = this.serial + 1;
    this.serial = n;
    const field = (name, label, type, value) => {
      const id = `prodready-signoff-${n}-${name}`;
      return el(
        "div",
        { class: "prodready-field" },
        el("label", { for: id }, label),
        el("input", { type, id, name, value, autocomplete: "off" }),
      );
    };
    const row = el(
      "fieldset",
      { class: "prodready-signoff", "data-signoff": "" },
      el("legend", {}, "Sign-off"),
      field("name", "Name", "text", ""),
      field("role", "Role", "text", ""),
      field("date", "Date", "date", today()),
      el(
        "button",
        { type: "button", class: "md-button", "data-tracking": "remove-signoff" },
        "Remove this sign-off",
      ),
    );
    this.section.querySelector("[data-signoffs]").append(row);
    this.numberSigners();
    row.querySelector("input").focus();
  }

  removeSigner(row) {
    if (!row) return;
    row.remove();
    this.numberSigners();
    this.section.querySelector("[data-tracking=add-signoff]").focus();
  }

  numberSigners() {
    this.signers().forEach((row, i) => {
      row.querySelector("legend").textContent = `Sign-off ${i + 1}`;
    });
  }

  clearRecordProblems() {
    for (const row of this.notes.values()) {
      row.error.hidden = true;
      row.error.textContent = "";
      row.textarea.removeAttribute("aria-invalid");
    }
    const box = this.$("prodready-record-signoffs-error");
    box.hidden = true;
    box.textContent = "";
    for (const input of this.$("prodready-record-signoffs").querySelectorAll("input")) {
      input.removeAttribute("aria-invalid");
    }
  }

  /** The engine's problems next to the fields they name; the focus goes to the first. */
  showRecordProblems(problems) {
    let first = null;
    for (const p of problems) {
      const row = p.field.startsWith("justifications.")
        ? this.notes.get(p.field.slice("justifications.".length))
        : null;
      let box = null;
      let target = null;
      if (row) {
        box = row.error;
        target = row.textarea;
        target.setAttribute("aria-invalid", "true");
      } else if (p.field === "sign_offs") {
        box = this.$("prodready-record-signoffs-error");
        target = this.$("prodready-record-signoffs").querySelector("input");
        for (const input of this.$("prodready-record-signoffs").querySelectorAll("input")) {
          input.setAttribute("aria-invalid", "true");
        }
      }
      if (box) {
        box.textContent = p.message;
        box.hidden = false;
      }
      first = first || target;
    }
    if (first) first.focus();
  }

  makeRecord(format) {
    const answers = this.view.readAnswers();
    const justifications = {};
    for (const [key, row] of this.notes) {
      if (row.textarea.value.trim() !== "") justifications[key] = row.textarea.value;
    }
    const signOffs = this.signers().map((row) => ({
      name: row.querySelector("[name=name]").value,
      role: row.querySelector("[name=role]").value,
      date: row.querySelector("[name=date]").value,
    }));
    this.run(async () => {
      const response = await this.ask({
        op: "record",
        format,
        answers,
        justifications,
        sign_offs: signOffs,
        guide_base: this.tools.guideBase(),
      });
      if (!response) return;
      this.clearRecordProblems();
      this.$("prodready-record-message").dataset.from = "record";
      if (!response.ok) {
        const error = response.error || {};
        this.say("record", `No record was made: ${this.problem(response)}`);
        if (error.problems) this.showRecordProblems(error.problems);
        return;
      }
      const base = `prodready-record-${this.tools.slug(answers.name)}`;
      const [name, text, type] = {
        json: [`${base}.json`, response.file, "application/json"],
        html: [`${base}.html`, response.text, "text/html"],
        md: [`${base}.md`, response.text, "text/markdown"],
      }[format];
      this.tools.download(name, text, type);
      this.say("record", `The record was made and downloaded: digest ${response.digest}.`, "info");
    });
  }

  /* -- verifying a record ----------------------------------------------------------------- */

  verifyFile(file, text) {
    this.run(async () => {
      const response = await this.ask({ op: "verify", record: text });
      if (!response) return;
      if (!response.ok) {
        const node = this.place("verify", "");
        delete node.dataset.status;
        this.say("verify", `“${file.name}” could not be checked: ${this.problem(response)}`);
        return;
      }
      this.quiet("verify");
      const node = this.place("verify", response.result + (response.text || ""));
      node.dataset.status = response.status;
      node.dataset.verified = String(response.verified);
    });
  }
}
