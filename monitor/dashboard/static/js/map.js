// The incident map: country shapes from the bundled world-atlas (no tile server), open
// incidents coloured by severity, the buyer's suppliers and which of them are affected.
/* global L, topojson */

import { api } from "./api.js";
import { el, say } from "./dom.js";
import { startPage } from "./nav.js";
import { names, SEVERITY_COLOURS, severityBadge } from "./render.js";

const RANK = { low: 1, medium: 2, high: 3, critical: 4 };

const isPoint = (p) => Number.isFinite(p?.lat) && Number.isFinite(p?.lon);

/** The points an incident covers: its own position and its places that have one. */
function points(incident) {
  const out = (incident.places ?? []).filter(isPoint).map((p) => ({ lat: p.lat, lon: p.lon, name: p.name }));
  if (isPoint(incident)) out.unshift({ lat: incident.lat, lon: incident.lon, name: incident.title });
  return out;
}

/** What open incidents hit of the buyer's: why each of its suppliers is affected, by supplier
 * id, and its written watches they hit. The server applies the rule its alerts follow (site
 * within the radius of a point or of the hazard area, material, severity, routine warnings),
 * so the map and the alerts agree. */
async function buyerHits(me) {
  const reasons = new Map();
  const found = { reasons, supplierIncidents: new Set(), watchHits: [] };
  if (!me.buyer_id) return found;
  try {
    const page = await api("/incidents/affected-suppliers", { params: { buyer_id: me.buyer_id } });
    for (const hit of page.items ?? []) {
      const why = `${hit.places.join(", ")} (${hit.title})`;
      reasons.set(hit.supplier_id, [...(reasons.get(hit.supplier_id) ?? []), why]);
      found.supplierIncidents.add(hit.incident_id);
    }
    found.watchHits = page.watch_hits ?? [];
  } catch (error) {
    say(`Affected suppliers not shown: ${error.message}`, "error");
  }
  return found;
}

/** Why each incident that alerts the buyer through a written watch, while none of its
 * suppliers is hit, does so (a watch on a whole country hears of an area anywhere inside it),
 * by incident id: said, rather than a bare "0 affected" beside the alert. */
function watchOnlyAlerts(hits, incidents) {
  const byId = new Map(incidents.map((incident) => [incident.id, incident]));
  const out = new Map(); // incident id -> { title, whys }
  for (const hit of hits.watchHits) {
    if (hits.supplierIncidents.has(hit.incident_id)) continue;
    const where = byId.get(hit.incident_id)?.area?.length ? "inside its area" : "near it";
    const entry = out.get(hit.incident_id) ?? { title: hit.title, whys: [] };
    entry.whys.push(`alerted through your watch '${hit.name}' (${hit.places.join(", ")}); none of your suppliers is ${where}`);
    out.set(hit.incident_id, entry);
  }
  return out;
}

/** The hazard area a feed gave (CAP polygon, quake shaking radius, GDACS box) as a layer. */
function drawArea(shape, colour) {
  const style = { color: colour, weight: 1, fillOpacity: 0.15, className: "incident-area" };
  if (shape.kind === "polygon" && Array.isArray(shape.points)) return L.polygon(shape.points, style);
  if (shape.kind === "circle" && isPoint(shape)) return L.circle([shape.lat, shape.lon], { ...style, radius: shape.radius_km * 1000 });
  if (shape.kind === "bbox" && Array.isArray(shape.bbox)) {
    const [minLon, minLat, maxLon, maxLat] = shape.bbox;
    return L.rectangle([[minLat, minLon], [maxLat, maxLon]], style);
  }
  return null;
}

function popup(incident) {
  return el("div", { class: "popup" },
    severityBadge(incident.severity), " ", el("strong", { text: incident.title ?? incident.id }),
    el("div", { text: `${incident.event_type ?? ""} · ${(incident.countries ?? []).join(", ")}` }),
    el("div", { text: names(incident.materials).join(", ") }));
}

const ANTARCTICA = "010";

/** world-atlas rings are stitched for spherical drawing: make longitudes continuous so a
 * country across the antimeridian (Russia, Fiji) is not drawn as a stripe round the world. */
function unwrap(ring) {
  let shift = 0;
  return ring.map(([lon, lat], i) => {
    if (i) {
      const step = lon - ring[i - 1][0];
      if (step > 180) shift -= 360;
      else if (step < -180) shift += 360;
    }
    return [lon + shift, lat];
  });
}

function unwrapGeometry(geometry) {
  if (geometry?.type === "Polygon") geometry.coordinates = geometry.coordinates.map(unwrap);
  if (geometry?.type === "MultiPolygon") {
    geometry.coordinates = geometry.coordinates.map((polygon) => polygon.map(unwrap));
  }
}

async function countries() {
  const [topo, codes] = await Promise.all([
    fetch("/assets/vendor/world-atlas/countries-110m.json").then((r) => r.json()),
    fetch("/assets/countries.json").then((r) => r.json()),
  ]);
  const shapes = topojson.feature(topo, topo.objects.countries);
  shapes.features = shapes.features.filter((f) => f.id !== ANTARCTICA);
  for (const feature of shapes.features) {
    feature.properties.code = codes[feature.id] ?? null;
    unwrapGeometry(feature.geometry);
  }
  return shapes;
}

async function buyerSuppliers(me) {
  if (!me.buyer_id) return [];
  try {
    const page = await api("/suppliers", { params: { buyer_id: me.buyer_id, limit: 500 } });
    return page.items ?? [];
  } catch (error) {
    say(`Suppliers not shown: ${error.message}`, "error");
    return [];
  }
}

function drawLegend() {
  document.getElementById("legend").replaceChildren(
    ...Object.entries(SEVERITY_COLOURS).map(([name, colour]) =>
      el("span", { class: `key sev-${name}`, title: colour }, name)),
    el("span", { class: "key supplier-key" }, "supplier"),
    el("span", { class: "key affected-key" }, "affected"),
  );
}

const me = await startPage();
drawLegend();
const map = L.map("map", { attributionControl: false, worldCopyJump: true, minZoom: 1 }).setView([20, 10], 2);
const [shapes, incidentsPage, suppliers, hits] = await Promise.all([
  countries(),
  api("/incidents", { params: { status: "open", limit: 200 } }).catch((error) => {
    say(error.message, "error");
    return { items: [] };
  }),
  buyerSuppliers(me),
  buyerHits(me),
]);
const incidents = incidentsPage.items ?? [];
const watchOnly = watchOnlyAlerts(hits, incidents);

const worst = {};
for (const incident of incidents) {
  for (const code of incident.countries ?? []) {
    if ((RANK[incident.severity] ?? 0) > (RANK[worst[code]] ?? 0)) worst[code] = incident.severity;
  }
}
L.geoJSON(shapes, {
  style: (feature) => {
    const severity = worst[feature.properties.code];
    return {
      color: "#8a94a6", weight: 0.6, fillOpacity: severity ? 0.35 : 1,
      fillColor: severity ? SEVERITY_COLOURS[severity] : "#f1f3f5",
    };
  },
  onEachFeature: (feature, layer) => layer.bindTooltip(el("span", { text: feature.properties.name ?? "" })),
}).addTo(map);

const incidentList = document.getElementById("incidents");
for (const incident of incidents) {
  const colour = SEVERITY_COLOURS[incident.severity] ?? SEVERITY_COLOURS.low;
  for (const spot of points(incident)) {
    L.circleMarker([spot.lat, spot.lon], { radius: 8 + 2 * (RANK[incident.severity] ?? 1), color: colour, fillColor: colour, fillOpacity: 0.7, className: "incident-marker" })
      .bindPopup(popup(incident)).addTo(map);
  }
  for (const shape of incident.area ?? []) drawArea(shape, colour)?.bindPopup(popup(incident)).addTo(map);
  const why = watchOnly.get(incident.id);
  incidentList.append(el("li", { class: why ? "incident watch-only" : "incident" },
    severityBadge(incident.severity), " ", incident.title ?? incident.id,
    why ? el("div", { class: "why-alerted", text: why.whys.join("; ") }) : null));
}
if (!incidents.length) incidentList.append(el("li", { class: "hint", text: "No open incident." }));

const seen = [];
for (const incident of incidents) seen.push(...points(incident).map((p) => [p.lat, p.lon]));
const supplierList = document.getElementById("suppliers");
for (const supplier of suppliers) {
  const reasons = hits.reasons.get(supplier.id) ?? [];
  const affected = reasons.length > 0;
  if (isPoint(supplier)) {
    seen.push([supplier.lat, supplier.lon]);
    L.circleMarker([supplier.lat, supplier.lon], {
      radius: 6, weight: 2, color: affected ? "#c92a2a" : "#1c7ed6", fillColor: "#ffffff", fillOpacity: 1,
      className: affected ? "supplier-marker affected" : "supplier-marker",
    }).bindTooltip(el("span", { text: supplier.name ?? "" })).addTo(map);
  }
  supplierList.append(el("li", { class: affected ? "supplier affected" : "supplier" },
    el("strong", { text: supplier.name ?? "?" }), ` ${supplier.country ?? ""}`,
    affected ? el("div", { class: "why-affected", text: `affected: ${reasons.join("; ")}` }) : null));
}
if (!suppliers.length) supplierList.append(el("li", { class: "hint", text: "No supplier linked to this key." }));
if (seen.length) map.fitBounds(L.latLngBounds(seen).pad(1), { maxZoom: 5 });
say([`${incidents.length} open incident(s), ${supplierList.querySelectorAll(".affected").length} affected supplier(s).`,
  ...[...watchOnly.values()].map(({ title, whys }) => `${title}: ${whys.join("; ")}.`)].join(" "));
document.body.dataset.ready = "map";
