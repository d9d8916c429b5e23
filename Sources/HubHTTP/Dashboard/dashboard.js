// The operations dashboard: polls the API, follows the live stream, draws positions without tiles.
"use strict";
const state = { token: "", live: 0, source: null, invoice: undefined, selected: null, alarmed: new Map() };

// A token in the fragment (the URL a first run prints: never sent to the server, so never logged)
// is kept like a typed one, and taken out of the address bar.
function tokenFromLocation() {
  const match = location.hash.match(/token=([^&]+)/);
  if (match) history.replaceState(null, "", location.pathname + location.search);
  return match ? decodeURIComponent(match[1]) : sessionStorage.getItem("hub-token") || "";
}

async function api(path, options = {}) {
  const headers = Object.assign({ Authorization: "Bearer " + state.token }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((body && body.message) || response.status + " " + response.statusText);
  return body;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text == null ? "" : String(text);
  if (className) td.className = className;
  return td;
}

function time(iso) { return iso ? new Date(iso).toLocaleTimeString() : "never"; }

function setConnection(text, kind) {
  const badge = document.getElementById("connection");
  badge.textContent = text;
  badge.className = "badge " + (kind || "");
}

async function refreshRoutes() {
  const { items } = await api("/api/v1/routes");
  const body = document.querySelector("#routes tbody");
  body.replaceChildren();
  let received = 0, stored = 0, dead = 0, rate = 0;
  for (const route of items) {
    received += route.received; stored += route.eventsStored; dead += route.deadLetters; rate += route.ratePerSecond1m;
    const row = body.insertRow();
    const health = route.state === "ok" && route.deadLetters > 0 ? "warn" : route.state;
    row.className = "state-" + health;
    row.dataset.route = route.name;
    cell(row, route.name);
    cell(row, route.sourceDescription);
    cell(row, route.connector);
    cell(row, route.state, "state");
    cell(row, route.received);
    cell(row, route.eventsStored);
    cell(row, route.deadLetters);
    cell(row, route.ratePerSecond1m.toFixed(2));
    cell(row, route.ratePerSecond15m.toFixed(2));
    cell(row, time(route.lastMessageAt));
    cell(row, route.lastError ? route.lastError.reason : "");
  }
  document.getElementById("count-received").textContent = received;
  document.getElementById("count-stored").textContent = stored;
  document.getElementById("count-deadletters").textContent = dead;
  document.getElementById("count-rate").textContent = rate.toFixed(2);
}

async function refreshDeadLetters() {
  const { items } = await api("/api/v1/deadletters?limit=20");
  const body = document.querySelector("#deadletters tbody");
  body.replaceChildren();
  for (const letter of items) {
    const row = body.insertRow();
    row.dataset.id = letter.id;
    cell(row, letter.id);
    cell(row, letter.route);
    cell(row, time(letter.receivedAt));
    cell(row, letter.reason);
    const payload = cell(row, "");
    const code = document.createElement("code");
    code.className = "payload";
    code.textContent = letter.payloadPreview == null ? "(" + letter.payloadBytes + " bytes, not text)" : letter.payloadPreview;
    payload.appendChild(code);
    const action = cell(row, "");
    if (letter.replayedAt) {
      action.textContent = "replayed " + time(letter.replayedAt);
    } else {
      const button = document.createElement("button");
      button.className = "replay";
      button.textContent = "Replay";
      button.addEventListener("click", () => replay(letter.id, button));
      action.appendChild(button);
    }
  }
}

async function replay(id, button) {
  button.disabled = true;
  const result = document.getElementById("replay-result");
  try {
    const answer = await api("/api/v1/deadletters/" + id + "/replay", { method: "POST" });
    result.textContent = "Dead letter " + id + " replayed: " + answer.events + " event(s) stored.";
  } catch (error) {
    result.textContent = "Dead letter " + id + " not replayed: " + error.message;
    button.disabled = false;
  }
  refreshDeadLetters().catch(() => {});
}

// Open alarms, most severe first: acknowledged with a button (scope operate or admin), and their
// entities ringed on the map in the severity's colour.
const severities = ["critical", "major", "minor", "warning"];
async function refreshAlarms() {
  const { items } = await api("/api/v1/alarms?limit=100");
  items.sort((a, b) => severities.indexOf(a.severity) - severities.indexOf(b.severity) || b.id - a.id);
  const body = document.querySelector("#alarms tbody");
  body.replaceChildren();
  state.alarmed = new Map();
  for (const alarm of items) {
    if (!state.alarmed.has(alarm.entity)) state.alarmed.set(alarm.entity, alarm.severity);
    const row = body.insertRow();
    row.dataset.id = alarm.id;
    row.dataset.severity = alarm.severity;
    row.dataset.status = alarm.status;
    row.dataset.entity = alarm.entity;
    cell(row, alarm.severity);
    cell(row, alarm.rule);
    cell(row, alarm.entity);
    cell(row, alarm.message);
    cell(row, alarm.count);
    cell(row, time(alarm.raisedAt));
    cell(row, alarm.status === "acknowledged" ? "acknowledged by " + alarm.acknowledgedBy : alarm.status, "status");
    const action = cell(row, "");
    if (alarm.status === "raised") {
      const button = document.createElement("button");
      button.className = "acknowledge";
      button.textContent = "Acknowledge";
      button.addEventListener("click", event => { event.stopPropagation(); acknowledge(alarm.id, button); });
      action.appendChild(button);
    }
    row.addEventListener("click", () => select(alarm.entity));
  }
  const counts = severities.map(s => [s, items.filter(a => a.severity === s).length]).filter(([, n]) => n > 0);
  document.getElementById("alarm-summary").textContent = items.length === 0 ? "none open"
    : items.length + " open: " + counts.map(([s, n]) => n + " " + s).join(", ");
  highlightAlarmed();
}

async function acknowledge(id, button) {
  button.disabled = true;
  const result = document.getElementById("alarm-result");
  try {
    const alarm = await api("/api/v1/alarms/" + id + "/acknowledge", { method: "POST" });
    result.textContent = "Alarm " + id + " acknowledged by " + alarm.acknowledgedBy + ".";
  } catch (error) {
    result.textContent = "Alarm " + id + " not acknowledged: " + error.message;
    button.disabled = false;
  }
  refreshAlarms().catch(() => {});
}

function highlightAlarmed() {
  for (const circle of document.querySelectorAll("#map circle")) {
    const severity = state.alarmed.get(circle.dataset.entity);
    circle.classList.toggle("alarmed", severity !== undefined);
    if (severity) circle.dataset.severity = severity; else delete circle.dataset.severity;
  }
}

async function refreshMap() {
  const collection = await api("/api/v1/entities.geojson");
  const svg = document.getElementById("map");
  const ns = "http://www.w3.org/2000/svg";
  svg.replaceChildren();
  // Entities without a location come with a null geometry: the map draws the located ones.
  const points = collection.features.filter(f => f.geometry !== null)
    .map(f => ({ id: f.id, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], type: f.properties.entityType }));
  if (points.length === 0) return;
  let [west, east] = [Math.min(...points.map(p => p.lon)), Math.max(...points.map(p => p.lon))];
  let [south, north] = [Math.min(...points.map(p => p.lat)), Math.max(...points.map(p => p.lat))];
  const padLon = Math.max((east - west) * 0.1, 0.005), padLat = Math.max((north - south) * 0.1, 0.005);
  west -= padLon; east += padLon; south -= padLat; north += padLat;
  // Equirectangular, with longitudes shrunk by cos(latitude) so distances look right at city scale.
  const scaleX = Math.cos((south + north) / 2 * Math.PI / 180);
  const width = 600, height = 400;
  const k = Math.min(width / ((east - west) * scaleX), height / (north - south));
  const x = lon => (lon - west) * scaleX * k + (width - (east - west) * scaleX * k) / 2;
  const y = lat => height - ((lat - south) * k + (height - (north - south) * k) / 2);
  for (let i = 0; i <= 4; i++) {
    const lon = west + (east - west) * i / 4, lat = south + (north - south) * i / 4;
    const v = document.createElementNS(ns, "line");
    v.setAttribute("class", "grid"); v.setAttribute("x1", x(lon)); v.setAttribute("x2", x(lon)); v.setAttribute("y1", 0); v.setAttribute("y2", height);
    const h = document.createElementNS(ns, "line");
    h.setAttribute("class", "grid"); h.setAttribute("y1", y(lat)); h.setAttribute("y2", y(lat)); h.setAttribute("x1", 0); h.setAttribute("x2", width);
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", x(lon) + 2); label.setAttribute("y", height - 4); label.textContent = lon.toFixed(3) + "°";
    const labelLat = document.createElementNS(ns, "text");
    labelLat.setAttribute("x", 2); labelLat.setAttribute("y", y(lat) - 2); labelLat.textContent = lat.toFixed(3) + "°";
    svg.append(v, h, label, labelLat);
  }
  const types = [...new Set(points.map(p => p.type))].sort();
  for (const p of points) {
    const circle = document.createElementNS(ns, "circle");
    circle.setAttribute("cx", x(p.lon)); circle.setAttribute("cy", y(p.lat)); circle.setAttribute("r", 5);
    circle.style.fill = colour(types.indexOf(p.type));
    circle.dataset.entity = p.id;
    circle.dataset.type = p.type;
    const title = document.createElementNS(ns, "title");
    title.textContent = p.id + " (" + p.type + ")";
    circle.appendChild(title);
    svg.appendChild(circle);
  }
  legend(types);
  highlightAlarmed();
}

const palette = ["#2b6cb0", "#c53030", "#2f855a", "#b7791f", "#6b46c1", "#d53f8c", "#00a3c4", "#4a5568", "#dd6b20", "#38a169"];
function colour(index) { return palette[index % palette.length]; }

function legend(types) {
  const box = document.getElementById("map-legend");
  box.replaceChildren();
  types.forEach((type, index) => {
    const item = document.createElement("span");
    item.className = "key";
    item.style.setProperty("--key", colour(index));
    item.textContent = type;
    box.appendChild(item);
  });
}

function show(panelId, rows) { document.getElementById(panelId).hidden = rows === 0; }

function value(event, name) {
  const attribute = event.attributes[name];
  return attribute ? (attribute.value !== undefined ? attribute.value : attribute.json) : undefined;
}

async function refreshDevices() {
  const { items } = await api("/api/v1/devices");
  const body = document.querySelector("#devices tbody");
  body.replaceChildren();
  const recent = items.slice().sort((a, b) => (a.status === b.status ? (a.lastSeen < b.lastSeen ? 1 : -1) : a.status === "inactive" ? -1 : 1));
  for (const device of recent.slice(0, 8)) {
    const row = body.insertRow();
    row.className = "device-" + device.status;
    row.dataset.device = device.device;
    cell(row, device.device.replace("urn:ngsi-ld:Device:", ""));
    cell(row, device.route);
    cell(row, time(device.lastSeen));
    cell(row, device.messageCount);
    cell(row, device.lastRSSI == null ? "" : device.lastRSSI + " dBm");
    cell(row, device.status === "inactive" ? "silent since " + time(device.inactiveSince) : "active", "status");
  }
  const inactive = items.filter(d => d.status === "inactive").length;
  document.getElementById("device-summary").textContent = items.length + " devices, " + inactive + " silent";
  show("device-panel", items.length);
}

// The invoice view: the latest invoices received on the routes this token may read, with their
// conformity and every failed rule's message; for the one selected, its Chorus Pro status history
// (the einvoicing.chorus-status events whose records gave its number).
async function refreshInvoices() {
  const { items } = await api("/api/v1/events?type=InvoiceReceived&limit=50");
  const table = document.getElementById("invoices");
  const body = table.querySelector("tbody");
  body.replaceChildren();
  let failing = 0;
  for (const invoice of items) {
    const row = body.insertRow();
    const number = value(invoice, "number") || "";
    row.dataset.id = invoice.id;
    row.dataset.entity = invoice.entity;
    row.dataset.number = number;
    row.tabIndex = 0;
    row.classList.toggle("selected", state.invoice !== undefined && state.invoice.id === invoice.id);
    const failures = value(invoice, "failures") || [];
    const valid = value(invoice, "valid") === true;
    if (!valid) failing += 1;
    cell(row, number || "(no number)", "number");
    cell(row, party(invoice, "seller"));
    cell(row, value(invoice, "issueDate"));
    cell(row, [value(invoice, "taxInclusiveTotal") || value(invoice, "amountDue"), value(invoice, "currency")].filter(Boolean).join(" "));
    cell(row, [["service", "buyerReference"], ["commitment", "orderReference"], ["contract", "contractReference"]]
      .filter(([, name]) => value(invoice, name)).map(([label, name]) => label + " " + value(invoice, name)).join(" · "));
    const profile = cell(row, [value(invoice, "profile"), value(invoice, "format")].filter(Boolean).join(" · "));
    if (value(invoice, "reference")) {
      const judged = document.createElement("div");
      judged.className = "judged";
      judged.textContent = "judged against " + value(invoice, "reference");
      profile.appendChild(judged);
    }
    // A warning leaves the invoice conformant; a failure without a flag is fatal (events from before flags).
    const fatal = failures.filter(f => f.flag !== "warning");
    const warnings = failures.length - fatal.length;
    const verdict = cell(row, valid
      ? "conformant" + (warnings > 0 ? ", " + warnings + " warning" + (warnings > 1 ? "s" : "") : "")
      : "fails " + [...new Set(fatal.map(f => f.rule))].join(", "), valid ? "verdict valid" : "verdict invalid");
    if (failures.length > 0) {
      const list = document.createElement("ul");
      list.className = "failures";
      for (const failure of failures) {
        const item = document.createElement("li");
        item.dataset.rule = failure.rule;
        item.dataset.flag = failure.flag || "fatal";
        const rule = document.createElement("strong");
        rule.textContent = failure.rule;
        item.append(rule, " " + failure.message);
        list.appendChild(item);
      }
      verdict.appendChild(list);
    }
    row.addEventListener("click", () => selectInvoice(invoice.id, number));
    row.addEventListener("keydown", event => { if (event.key === "Enter") selectInvoice(invoice.id, number); });
  }
  table.dataset.count = items.length;
  document.getElementById("invoice-summary").textContent = items.length + " latest, " + failing + " not conformant";
  show("invoice-panel", items.length);
  if (state.invoice) await refreshChorusHistory();
}

function party(invoice, role) {
  const id = [["SIRET", "SIRET"], ["SIREN", "SIREN"], ["VAT", "VATID"]].find(([, name]) => value(invoice, role + name));
  const name = value(invoice, role + "Name") || "";
  return id ? (name + " (" + id[0] + " " + value(invoice, role + id[1]) + ")").trim() : name;
}

function selectInvoice(id, number) {
  state.invoice = { id, number };
  for (const row of document.querySelectorAll("#invoices tbody tr")) row.classList.toggle("selected", row.dataset.id === id);
  refreshChorusHistory().catch(error => setConnection(error.message, "down"));
}

function utc(iso) { return iso ? iso.slice(0, 16).replace("T", " ") + " UTC" : ""; }

async function refreshChorusHistory() {
  const selected = state.invoice;
  document.getElementById("invoice-detail").hidden = false;
  document.getElementById("invoice-detail-number").textContent = selected.number || "(no number)";
  const { items } = selected.number
    ? await api("/api/v1/invoice-statuses?number=" + encodeURIComponent(selected.number)) : { items: [] };
  if (state.invoice !== selected) return;  // another invoice was selected meanwhile
  const table = document.getElementById("chorus-history");
  const body = table.querySelector("tbody");
  body.replaceChildren();
  for (const change of items) {
    const warnings = value(change, "warnings") || [];
    const row = body.insertRow();
    row.dataset.status = value(change, "status");
    row.className = warnings.length > 0 ? "lifecycle-warning" : value(change, "final") ? "final" : "";
    cell(row, utc(change.observedAt));
    cell(row, value(change, "statusLabel") + " (" + value(change, "status") + ")", "status");
    cell(row, value(change, "chorusInvoiceID"));
    cell(row, value(change, "previousStatus"));
    cell(row, value(change, "comment"));
    cell(row, warnings.length > 0 ? warnings.map(w => w.message).join("; ") : value(change, "final") ? "final" : "allowed");
  }
  table.dataset.count = items.length;
  table.dataset.number = selected.number;
  table.hidden = items.length === 0;
  document.getElementById("chorus-empty").hidden = items.length > 0;
}

async function refreshBikes() {
  const { items } = await api("/api/v1/entities?type=BikeStationStatus&limit=15");
  const body = document.querySelector("#bikes tbody");
  body.replaceChildren();
  for (const station of items) {
    const row = body.insertRow();
    row.dataset.entity = station.entity;
    cell(row, value(station, "name") || value(station, "stationId"));
    cell(row, value(station, "vehiclesAvailable"));
    cell(row, value(station, "docksAvailable"));
    cell(row, time(station.observedAt));
  }
  show("bike-panel", items.length);
}

async function refreshTraffic() {
  const { items } = await api("/api/v1/entities?type=TrafficAlert&type=TrafficJam&limit=15");
  const body = document.querySelector("#traffic tbody");
  body.replaceChildren();
  for (const report of items) {
    const row = body.insertRow();
    row.dataset.entity = report.entity;
    row.className = report.type === "TrafficAlert" ? "alert" : "jam";
    cell(row, report.type === "TrafficAlert" ? "alert " + (value(report, "subtype") || value(report, "type") || "") : "jam, level " + value(report, "level"));
    cell(row, value(report, "street"));
    cell(row, report.type === "TrafficJam" ? value(report, "length") + " m at " + value(report, "speed") + " km/h" : "reliability " + value(report, "reliability"));
    cell(row, time(report.observedAt));
  }
  show("traffic-panel", items.length);
}

function follow() {
  if (state.source) state.source.close();
  const source = new EventSource("/api/v1/stream?access_token=" + encodeURIComponent(state.token));
  state.source = source;
  source.onopen = () => setConnection("live", "live");
  source.onerror = () => setConnection("reconnecting", "down");
  source.addEventListener("event", message => {
    const event = JSON.parse(message.data);
    state.live += 1;
    document.getElementById("count-live").textContent = state.live;
    const list = document.getElementById("events");
    const item = document.createElement("li");
    const values = Object.entries(event.attributes).slice(0, 4)
      .map(([name, v]) => name + "=" + (v.value !== undefined ? v.value + (v.unitCode ? " " + v.unitCode : "") : JSON.stringify(v.json)))
      .join(" ");
    item.textContent = time(event.observedAt) + " " + event.route + " " + event.entity + " " + values;
    item.dataset.entity = event.entity;
    list.prepend(item);
    while (list.children.length > 50) list.lastChild.remove();
  });
}

// The selected entity's numeric attributes over the last day, from its hourly roll-ups: one row per
// attribute (at most six), the mean as a line over the min-max band, a dot per hour that has values.
async function refreshChart() {
  const id = state.selected;
  if (!id) return;
  const path = "/api/v1/entities/" + encodeURI(id);
  const latest = await api(path);
  const names = Object.keys(latest.attributes).filter(name => typeof latest.attributes[name].value === "number").sort().slice(0, 6);
  const to = new Date(), from = new Date(to.getTime() - 86400000);
  const range = "&step=1h&from=" + encodeURIComponent(from.toISOString()) + "&to=" + encodeURIComponent(to.toISOString());
  const series = await Promise.all(names.map(name => api(path + "/series?attribute=" + encodeURIComponent(name) + range)));
  if (state.selected !== id) return;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.getElementById("chart");
  const rowHeight = 110, left = 150, width = 900, plot = width - left - 60;
  svg.setAttribute("viewBox", "0 0 " + width + " " + Math.max(1, series.length) * rowHeight);
  svg.replaceChildren();
  document.getElementById("chart-entity").textContent = id;
  const x = iso => left + Math.max(0, (new Date(iso).getTime() + 1800000 - from.getTime()) / 86400000) * plot;
  const element = (name, attributes, parent) => {
    const node = document.createElementNS(ns, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    parent.appendChild(node);
    return node;
  };
  series.forEach((one, row) => {
    const group = element("g", { class: "series", transform: "translate(0," + row * rowHeight + ")" }, svg);
    group.dataset.attribute = one.attribute;
    const low = Math.min(...one.points.map(p => p.min)), high = Math.max(...one.points.map(p => p.max));
    const span = high - low || Math.abs(high) || 1;
    const y = v => 10 + (1 - (v - low) / span) * (rowHeight - 30);
    element("text", { x: 0, y: 30, class: "name" }, group).textContent = one.attribute;
    element("line", { x1: left, x2: left + plot, y1: rowHeight - 20, y2: rowHeight - 20, class: "axis" }, group);
    element("text", { x: left - 4, y: rowHeight - 20, "text-anchor": "end" }, group).textContent = one.points.length ? low.toPrecision(4) : "";
    element("text", { x: left - 4, y: 20, "text-anchor": "end" }, group).textContent = one.points.length ? high.toPrecision(4) : "";
    element("text", { x: left, y: rowHeight - 6 }, group).textContent = time(from.toISOString());
    element("text", { x: left + plot, y: rowHeight - 6, "text-anchor": "end" }, group).textContent = time(to.toISOString());
    if (one.points.length === 0) {
      element("text", { x: left + 8, y: rowHeight / 2 }, group).textContent = "no value in the last day";
      return;
    }
    const top = one.points.map(p => x(p.start) + "," + y(p.max)), bottom = one.points.map(p => x(p.start) + "," + y(p.min)).reverse();
    element("polygon", { class: "band", points: top.concat(bottom).join(" ") }, group);
    element("polyline", { class: "line", points: one.points.map(p => x(p.start) + "," + y(p.mean)).join(" ") }, group);
    for (const p of one.points) {
      const dot = element("circle", { class: "point", cx: x(p.start), cy: y(p.mean), r: 3 }, group);
      Object.assign(dot.dataset, { start: p.start, count: p.count, mean: p.mean, min: p.min, max: p.max, last: p.last });
      element("title", {}, dot).textContent = time(p.start) + ": mean " + p.mean.toPrecision(4) + " of " + p.count +
        " (min " + p.min + ", max " + p.max + ", last " + p.last + ")";
    }
  });
  document.getElementById("chart-panel").hidden = false;
}

function select(entity) {
  if (!entity) return;
  state.selected = entity;
  refreshChart().catch(error => setConnection(error.message, "down"));
}

document.getElementById("map").addEventListener("click", event => select(event.target.dataset && event.target.dataset.entity));
document.getElementById("events").addEventListener("click", event => select(event.target.dataset && event.target.dataset.entity));

async function refreshAll() {
  try {
    await Promise.all([refreshAlarms(), refreshRoutes(), refreshDeadLetters(), refreshMap(), refreshDevices(), refreshInvoices(),
      refreshBikes(), refreshTraffic(), refreshChart()]);
  } catch (error) {
    setConnection(error.message, "down");
  }
}

function start(token) {
  state.token = token;
  sessionStorage.setItem("hub-token", token);
  follow();
  refreshAll();
}

document.getElementById("login").addEventListener("submit", event => {
  event.preventDefault();
  start(document.getElementById("token").value.trim());
});
setInterval(() => { if (state.token) refreshAll(); }, 2000);
const initial = tokenFromLocation();
if (initial) { document.getElementById("token").value = initial; start(initial); }
