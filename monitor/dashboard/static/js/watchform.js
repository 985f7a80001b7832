// The watch form: chips for materials and countries, the body the watch API takes, and the
// checks made before anything is sent (the API checks again and has the last word).

import { el } from "./dom.js";

const SUBDIVISION = /^[A-Z]{2}-[A-Z0-9]{1,3}$/;
const LIMITS = { materials: 100, countries: 250, subdivisions: 500, sites: 500, lanes: 200 };

/** Look-ups from what a reader may type to the canonical value (material name, country code). */
export function vocabularyIndex(vocabulary) {
  const materials = new Map();
  for (const m of vocabulary.materials ?? []) {
    for (const alias of [m.name, m.hs, ...(m.synonyms ?? [])]) {
      if (alias) materials.set(String(alias).toLowerCase(), m.name);
    }
  }
  const countries = new Map();
  const countryNames = new Map();
  for (const c of vocabulary.countries ?? []) {
    countries.set(c.code.toLowerCase(), c.code);
    countries.set(c.name.toLowerCase(), c.code);
    countryNames.set(c.code, c.name);
  }
  return { materials, countries, countryNames };
}

/** A list of removable chips bound to `field` ("materials" or "countries") of `form`. */
export class Chips {
  constructor(form, field, lookup, label = (v) => v) {
    this.field = field;
    this.lookup = lookup;
    this.label = label;
    this.values = [];
    this.list = form.querySelector(`#${field}-chips`);
    this.input = form.querySelector(`#${field}-input`);
    this.onchange = () => {};
    form.querySelector(`[data-add=${field}]`).addEventListener("click", () => this.addTyped());
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        this.addTyped();
      }
    });
  }

  /** Add what the input holds (comma-separated values too); return a problem or "". */
  addTyped() {
    const typed = this.input.value.split(",").map((v) => v.trim()).filter(Boolean);
    const unknown = typed.filter((v) => !this.lookup.has(v.toLowerCase()));
    for (const v of typed) {
      if (this.lookup.has(v.toLowerCase())) this.add(this.lookup.get(v.toLowerCase()));
    }
    this.input.value = unknown.join(", ");
    this.onchange();
    return unknown.length ? `unknown ${this.field}: ${unknown.join(", ")}` : "";
  }

  add(value) {
    if (!this.values.includes(value)) this.values.push(value);
    this.draw();
  }

  set(values) {
    this.values = [...values];
    this.input.value = "";
    this.draw();
  }

  draw() {
    this.list.replaceChildren(
      ...this.values.map((value) =>
        el("li", { class: "chip", "data-value": value }, this.label(value),
          el("button", { type: "button", class: "chip-remove", "aria-label": `remove ${this.label(value)}`, text: "×",
            onclick: () => {
              this.values = this.values.filter((v) => v !== value);
              this.draw();
              this.onchange();
            } }))),
    );
  }
}

const splitList = (text) => text.split(",").map((v) => v.trim()).filter(Boolean);

function parseSites(text, problems) {
  const sites = [];
  for (const [n, line] of text.split("\n").map((l) => l.trim()).entries()) {
    if (!line) continue;
    const [lat, lon, radius, ...label] = line.split(",").map((v) => v.trim());
    const site = { lat: Number(lat), lon: Number(lon) };
    if (radius) site.radius_km = Number(radius);
    if (label.length) site.label = label.join(", ").slice(0, 200);
    if (!lat || !lon || !(Math.abs(site.lat) <= 90) || !(Math.abs(site.lon) <= 180)) {
      problems.push(`site line ${n + 1}: write "lat, lon" with lat -90..90 and lon -180..180`);
    } else if (radius && !(site.radius_km > 0 && site.radius_km <= 2000)) {
      problems.push(`site line ${n + 1}: the radius is between 1 and 2000 km`);
    } else sites.push(site);
  }
  return sites;
}

/** Read the form into the watch API's body: {body, problems} (problems in plain words).
 * With `addPending`, values typed into a chip input but not added yet are added first. */
export function readWatch(form, chips, { addPending = false } = {}) {
  const problems = [];
  for (const c of Object.values(chips)) {
    if (addPending && c.input.value.trim()) {
      const problem = c.addTyped();
      if (problem) problems.push(problem);
    }
  }
  const f = form.elements;
  const body = {
    name: f.name.value.trim(),
    materials: chips.materials.values,
    countries: chips.countries.values,
    subdivisions: splitList(f.subdivisions.value).map((s) => s.toUpperCase()),
    lanes: splitList(f.lanes.value),
    sites: parseSites(f.sites.value, problems),
    min_severity: f.min_severity.value,
    routine_warnings: f.routine_warnings.checked,
  };
  const bad = body.subdivisions.filter((s) => !SUBDIVISION.test(s));
  if (bad.length) problems.push(`regions are ISO 3166-2 codes like GH-AH, not ${bad.join(", ")}`);
  if (body.name.length > 200) problems.push("the name is at most 200 characters");
  if (body.lanes.some((l) => l.length > 100)) problems.push("a port or waterway is at most 100 characters");
  for (const [field, most] of Object.entries(LIMITS)) {
    if (body[field].length > most) problems.push(`at most ${most} ${field}`);
  }
  const places = body.countries.length + body.subdivisions.length + body.lanes.length + body.sites.length;
  // The matcher files a watch under its places: one without a place would never alert.
  if (!places) problems.push("say where: at least one country, region, port or waterway, or site");
  return { body, problems };
}

/** Fill the form with a stored watch (or empty it for a new one). */
export function fillWatch(form, chips, watch) {
  const f = form.elements;
  f.name.value = watch?.name ?? "";
  chips.materials.set(watch?.materials ?? []);
  chips.countries.set(watch?.countries ?? []);
  f.subdivisions.value = (watch?.subdivisions ?? []).join(", ");
  f.lanes.value = (watch?.lanes ?? []).join(", ");
  f.sites.value = (watch?.sites ?? [])
    .map((s) => [s.lat, s.lon, s.radius_km, s.label].filter((v) => v !== "" && v != null).join(", "))
    .join("\n");
  f.min_severity.value = watch?.min_severity ?? "medium";
  f.routine_warnings.checked = Boolean(watch?.routine_warnings);
}
