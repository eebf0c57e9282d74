// The newsroom page. The server holds the articles; the page asks for one page of cards, one
// article, the map and the side panels for the filters shown, and redraws when the live stream
// says something changed. Article text is untrusted: it is only ever written with textContent,
// never as markup; links open only http(s) addresses.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const LABELS = 10; // places named on the map at the whole-world zoom; more as it zooms in
const $ = (id) => document.getElementById(id);
const view = { page: 1, rpage: 1, total: 0, seenTotal: 0, open: null, place: null, placeName: "", tab: "articles",
               zoom: { x: 0, y: 0, w: 360, h: 180 } };
window.__wirestream = { renders: 0, lastRenderMs: 0, lastQuery: "" }; // what the page tests read

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function safeUrl(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch (_) {
    return null;
  }
}

function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return date.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
                                          second: "2-digit" });
}

function query(extra) {
  const params = new URLSearchParams();
  const set = (name, value) => { if (value) params.set(name, value); };
  set("q", $("f-q").value.trim());
  set("lang", $("f-lang").value);
  set("country", $("f-country").value.trim().toUpperCase());
  set("entity", $("f-entity").value.trim());
  set("story", $("f-story").value);
  if ($("f-copies").checked) params.set("copies", "1");
  if (view.place !== null) params.set("place", String(view.place));
  for (const [name, value] of Object.entries(extra || {})) params.set(name, String(value));
  return params.toString();
}

async function get(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

// -- the list ---------------------------------------------------------------------------------

function cardNode(card) {
  const item = el("li");
  item.dataset.id = card.id;
  if (view.open === card.id) item.classList.add("open");
  const title = el("div", card.title, "title");
  title.dir = "auto";
  if (card.revision > 1) title.append(el("span", `rev ${card.revision}`, "badge rev"));
  if (card.copies > 0) title.append(el("span", `+${card.copies} ${card.copies === 1 ? "copy" : "copies"}`, "badge copies"));
  item.append(title);
  const meta = el("div", null, "meta");
  meta.append(el("span", card.language, "lang"), el("span", card.dateline), el("span", when(card.received_at), "received"));
  if (card.byline) meta.append(el("span", `by ${card.byline}`));
  if (card.source) meta.append(el("span", card.source));
  if (card.story) {
    const story = card.story;
    meta.append(el("span", story.duplicate_of ? `copy of ${story.duplicate_of}`
      : story.size > 1 ? `story of ${story.size}` : "new story"));
  }
  item.append(meta);
  const snippet = el("div", card.snippet, "snippet");
  snippet.dir = "auto";
  item.append(snippet);
  const tags = el("div");
  for (const entity of card.entities) tags.append(el("span", entity.name, `tag ${entity.label}`));
  item.append(tags);
  item.addEventListener("click", () => openArticle(card.id));
  return item;
}

async function loadList() {
  const started = performance.now();
  const q = query({ page: view.page });
  const data = await get(`/api/articles?${q}`);
  view.page = data.page;
  view.total = data.total;
  view.seenTotal = data.total;
  $("articles").replaceChildren(...data.cards.map(cardNode));
  const first = data.total ? (data.page - 1) * data.size + 1 : 0;
  const last = (data.page - 1) * data.size + data.cards.length;
  const folded = data.folded ? ` (+${data.folded} ${data.folded === 1 ? "copy" : "copies"} folded)` : "";
  $("shown").textContent = data.filtered
    ? `${first}–${last} of ${data.total} matching, of ${data.held} held`
    : `${first}–${last} of ${data.total} articles${folded}`;
  $("pageno").textContent = `page ${data.page} of ${data.pages}`;
  $("prev").disabled = data.page <= 1;
  $("next").disabled = data.page >= data.pages;
  $("newer").hidden = true;
  window.__wirestream.renders += 1;
  window.__wirestream.lastRenderMs = performance.now() - started;
  window.__wirestream.lastQuery = q;
}

// -- the detail view --------------------------------------------------------------------------

function highlighted(text, start, entities) {
  // The text from `start`, its entities' mentions marked: plain text nodes and <mark>s, no markup.
  // Offsets count code points (as Python does), not UTF-16 units: an emoji before a name must not
  // shift the mark.
  const chars = Array.from(text);
  const slice = (from, to) => chars.slice(from, to).join("");
  const marks = [];
  for (const entity of entities) {
    for (const mention of entity.mentions) marks.push({ ...mention, label: entity.label, name: entity.name });
  }
  marks.sort((a, b) => a.start - b.start);
  const box = el("div", null, "text");
  box.dir = "auto";
  let at = start;
  for (const mark of marks) {
    if (mark.start < at) continue;
    box.append(document.createTextNode(slice(at, mark.start)));
    const node = el("mark", slice(mark.start, mark.end), mark.label);
    node.title = `${mark.label}: ${mark.name}`;
    box.append(node);
    at = mark.end;
  }
  box.append(document.createTextNode(slice(at, chars.length)));
  return box;
}

function linkList(cards) {
  const list = el("ul");
  for (const card of cards) {
    const item = el("li");
    const link = el("a", card.title);
    link.dir = "auto";
    link.addEventListener("click", () => openArticle(card.id));
    item.append(link, el("span", ` · ${card.language} · ${when(card.received_at)}`, "muted"));
    list.append(item);
  }
  return list;
}

async function openArticle(id) {
  let data;
  try {
    data = await get(`/api/article/${encodeURIComponent(id)}`);
  } catch (_) {
    return;
  }
  view.open = id;
  for (const item of $("articles").children) item.classList.toggle("open", item.dataset.id === id);
  const article = data.article;
  const body = $("detail-body");
  const parts = [];
  const title = el("h3", data.card.title);
  title.dir = "auto";
  parts.push(title);
  const meta = el("div", null, "meta");
  const dateline = article.dateline;
  meta.append(el("span", article.language.code, "lang"), el("span", data.card.dateline));
  if (dateline && dateline.city && dateline.country) meta.append(el("span", `${dateline.city}, ${dateline.country}`));
  if (data.card.byline) meta.append(el("span", `by ${data.card.byline}`));
  parts.push(meta);
  const times = el("div", null, "meta");
  times.append(el("span", `received ${when(article.received_at)}`));
  if (article.published_at) times.append(el("span", `published ${when(article.published_at)}`));
  times.append(el("span", `rev ${article.revision}`));
  parts.push(times);
  const url = safeUrl(article.url);
  if (url || article.source) {
    const origin = el("div", null, "meta");
    if (article.source) origin.append(el("span", article.source));
    if (url) {
      const link = el("a", "the original");
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      origin.append(link);
    }
    parts.push(origin);
  }
  parts.push(highlighted(article.text, 0, article.entities));  // the dateline too, unmarked: NER does not read it
  if (article.places.length) {
    parts.push(el("div", "Places", "section"));
    const list = el("ul");
    for (const place of article.places) {
      const item = el("li");
      const link = el("a", place.name);
      link.addEventListener("click", () => setPlace(place.geonames_id, place.name));
      item.append(link, el("span", ` · ${place.kind}, ${place.country_code} · ${place.mentions}×` +
        (place.in_dateline ? " · dateline" : ""), "muted"));
      list.append(item);
    }
    parts.push(list);
  }
  if (article.entities.length) {
    parts.push(el("div", "Entities", "section"));
    const tags = el("div");
    for (const entity of article.entities) tags.append(el("span", `${entity.name} ×${entity.count}`, `tag ${entity.label}`));
    parts.push(tags);
  }
  if (data.story.length) {
    parts.push(el("div", `Its story: ${data.story.length + 1} articles`, "section"));
    parts.push(linkList(data.story));
  }
  if (data.copies.length) {
    parts.push(el("div", `Copies: ${data.copies.length}`, "section"));
    parts.push(linkList(data.copies));
  }
  if (data.revisions.length) {
    parts.push(el("div", `Earlier revisions: ${data.revisions.length}`, "section"));
    const list = el("ul");
    for (const revision of data.revisions.slice().reverse()) {
      const item = el("li");
      const link = el("a", `rev ${revision.revision} · ${when(revision.received_at)}`);
      link.addEventListener("click", () => {
        const text = el("div", revision.text, "text");
        text.dir = "auto";
        item.replaceChildren(el("span", `rev ${revision.revision} · ${when(revision.received_at)}`, "muted"), text);
      });
      item.append(link);
      list.append(item);
    }
    parts.push(list);
  }
  body.replaceChildren(...parts);
  $("detail").hidden = false;
  window.__wirestream.opened = id;
}

// -- the map ----------------------------------------------------------------------------------

function applyZoom() {
  const z = view.zoom;
  $("map").setAttribute("viewBox", `${z.x.toFixed(2)} ${z.y.toFixed(2)} ${z.w.toFixed(2)} ${z.h.toFixed(2)}`);
}

function zoomBy(factor, cx, cy) {
  const z = view.zoom;
  const w = Math.min(360, Math.max(8, z.w * factor));
  const h = w / 2;
  const centerX = cx === undefined ? z.x + z.w / 2 : cx;
  const centerY = cy === undefined ? z.y + z.h / 2 : cy;
  z.x = Math.min(360 - w, Math.max(0, centerX - (centerX - z.x) * (w / z.w)));
  z.y = Math.min(180 - h, Math.max(0, centerY - (centerY - z.y) * (h / z.h)));
  z.w = w;
  z.h = h;
  applyZoom();
  drawMap(view.lastPlaces || []);
}

function drawMap(places) {
  view.lastPlaces = places;
  const scale = view.zoom.w / 360; // circles and labels keep their size on screen as the map zooms
  const most = places.reduce((m, p) => Math.max(m, p.articles), 1);
  const points = $("points");
  const labels = $("labels");
  points.replaceChildren();
  labels.replaceChildren();
  const named = Math.round(LABELS / scale);
  places.forEach((place, index) => {
    const x = place.lon + 180;
    const y = 90 - place.lat;
    const circle = document.createElementNS(SVG, "circle");
    circle.setAttribute("cx", x.toFixed(2));
    circle.setAttribute("cy", y.toFixed(2));
    circle.setAttribute("r", ((1 + 2.5 * Math.sqrt(place.articles / most)) * scale).toFixed(3));
    circle.setAttribute("stroke-width", (0.25 * scale).toFixed(3));
    circle.dataset.id = place.id;
    circle.dataset.name = place.name;
    circle.dataset.count = place.articles;
    if (view.place === place.id) circle.classList.add("on");
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${place.name}: ${place.articles} article${place.articles === 1 ? "" : "s"}`;
    circle.append(title);
    circle.addEventListener("click", (event) => { event.stopPropagation(); setPlace(place.id, place.name); });
    points.append(circle);
    if (index < named) {
      const label = document.createElementNS(SVG, "text");
      label.setAttribute("x", (x + 3.5 * scale).toFixed(2));
      label.setAttribute("y", (y + 2 * scale).toFixed(2));
      label.style.fontSize = `${(5.5 * scale).toFixed(3)}px`;
      label.style.strokeWidth = `${(1 * scale).toFixed(3)}px`;
      label.textContent = `${place.name} ${place.articles}`;
      labels.append(label);
    }
  });
}

function setPlace(id, name) {
  view.place = id;
  view.placeName = name;
  $("f-place-name").textContent = `Place: ${name}`;
  $("f-place").hidden = false;
  refilter();
}

function clearPlace() {
  view.place = null;
  $("f-place").hidden = true;
  refilter();
}

function wireMap() {
  const map = $("map");
  map.addEventListener("wheel", (event) => {
    event.preventDefault();
    const box = map.getBoundingClientRect();
    const z = view.zoom;
    zoomBy(event.deltaY < 0 ? 0.8 : 1.25, z.x + (event.clientX - box.left) / box.width * z.w,
           z.y + (event.clientY - box.top) / box.height * z.h);
  }, { passive: false });
  let drag = null;
  map.addEventListener("pointerdown", (event) => {
    if (event.target.tagName === "circle") return;
    drag = { x: event.clientX, y: event.clientY, from: { ...view.zoom } };
    map.setPointerCapture(event.pointerId);
  });
  map.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const box = map.getBoundingClientRect();
    const z = view.zoom;
    z.x = Math.min(360 - z.w, Math.max(0, drag.from.x - (event.clientX - drag.x) / box.width * z.w));
    z.y = Math.min(180 - z.h, Math.max(0, drag.from.y - (event.clientY - drag.y) / box.height * z.h));
    applyZoom();
  });
  map.addEventListener("pointerup", () => { drag = null; });
  $("zoom-in").addEventListener("click", () => zoomBy(0.5));
  $("zoom-out").addEventListener("click", () => zoomBy(2));
  $("zoom-reset").addEventListener("click", () => { view.zoom = { x: 0, y: 0, w: 360, h: 180 }; applyZoom(); drawMap(view.lastPlaces || []); });
}

// -- side panels ------------------------------------------------------------------------------

function showTop(top) {
  $("top-entities").replaceChildren(...top.entities.map((e) => {
    const item = el("li");
    const link = el("a", e.name);
    link.dir = "auto";
    link.addEventListener("click", () => { $("f-entity").value = e.name; refilter(); });
    item.append(link, el("span", ` ${e.label} · ${e.articles}`, "muted"));
    return item;
  }));
  $("top-stories").replaceChildren(...top.stories.map((s) => {
    const item = el("li");
    const link = el("a", s.title || s.id);
    link.dir = "auto";
    link.addEventListener("click", () => {
      const select = $("f-story");
      if (![...select.options].some((o) => o.value === s.id)) {
        const option = el("option", `story: ${(s.title || s.id).slice(0, 40)}`);
        option.value = s.id;
        select.append(option);
      }
      select.value = s.id;
      refilter();
    });
    item.append(link, el("span", ` · ${s.articles}`, "muted"));
    return item;
  }));
}

function showCounts(counts, languages) {
  $("count-articles").textContent = counts.articles;
  $("count-rejected").textContent = counts.rejected;
  const select = $("f-lang");
  for (const code of languages || []) {
    if (![...select.options].some((o) => o.value === code)) {
      const option = el("option", code);
      option.value = code;
      select.append(option);
    }
  }
}

function showHealth(health) {
  const box = $("health");
  if (!health || health.error || !health.rate) {
    box.textContent = health && health.error ? `cluster: ${health.error}` : "cluster: waiting for a first look";
    box.classList.toggle("bad", Boolean(health && health.error));
    return;
  }
  box.textContent = `${health.rate.raw.toFixed(1)} in/s · ${health.rate.enriched.toFixed(1)} enriched/s · ` +
    `${health.rate.rejected.toFixed(1)} rejected/s · lag ${health.lag}`;
  box.title = `over the last ${health.interval}s, as \`wirestream status\` reports it`;
  box.classList.remove("bad");
  const stages = health.stages.map((stage) => {
    const row = el("tr");
    row.append(el("td", `${stage.stage} (${stage.group})`), el("td", "lag", "muted"), el("td", stage.lag, "n"));
    return row;
  });
  const topics = health.topics.map((topic) => {
    const row = el("tr");
    row.append(el("td", topic.name), el("td", `${topic.rate.toFixed(1)}/s`, "n muted"), el("td", topic.records, "n"));
    return row;
  });
  $("pipeline").tBodies[0].replaceChildren(...stages, ...topics);
}

// -- rejections -------------------------------------------------------------------------------

async function loadRejections() {
  const data = await get(`/api/rejections?page=${view.rpage}`);
  view.rpage = data.page;
  $("rejections").tBodies[0].replaceChildren(...data.rejections.map((r) => {
    const row = el("tr");
    const error = el("td", r.error);
    error.dir = "auto";
    row.append(el("td", when(r.received_at)), el("td", r.reason), el("td", r.stage),
               el("td", r.article_id || r.key || "–"), error);
    return row;
  }));
  $("rejections-shown").textContent = `${data.total} rejected (the latest ${data.held} held)`;
  $("rpageno").textContent = `page ${data.page} of ${data.pages}`;
  $("rprev").disabled = data.page <= 1;
  $("rnext").disabled = data.page >= data.pages;
}

function showTab(tab) {
  view.tab = tab;
  $("tab-articles").classList.toggle("on", tab === "articles");
  $("tab-rejections").classList.toggle("on", tab === "rejections");
  $("view-articles").hidden = tab !== "articles";
  $("view-rejections").hidden = tab !== "rejections";
  if (tab === "rejections") loadRejections();
}

// -- putting it together ----------------------------------------------------------------------

async function refreshSides() {
  const q = query();
  const [places, top] = await Promise.all([get(`/api/places?${q}`), get(`/api/top?${q}`)]);
  drawMap(places.places);
  showTop(top);
}

async function refilter() {
  view.page = 1;
  await Promise.all([loadList(), refreshSides()]);
}

let typing = null;
function onTyping() {
  clearTimeout(typing);
  typing = setTimeout(refilter, 150);
}

async function onChanged(data) {
  showCounts(data.counts, data.languages);
  if (view.tab === "rejections") loadRejections();
  if (view.page === 1) {
    await Promise.all([loadList(), refreshSides()]);
    return;
  }
  // Reading an older page: say how many are newer, do not move the list under the reader.
  const newer = await get(`/api/articles?${query({ page: 1, size: 1 })}`);
  const fresh = newer.total - view.seenTotal;
  if (fresh > 0) {
    $("newer").textContent = `${fresh} new — back to the newest`;
    $("newer").hidden = false;
  }
  refreshSides();
}

async function start() {
  wireMap();
  const state = await get("/api/state");
  showCounts(state.counts, state.languages);
  showHealth(state.health);
  await refilter();
  const events = new EventSource("/events");
  events.addEventListener("changed", (event) => onChanged(JSON.parse(event.data)));
  events.addEventListener("health", (event) => showHealth(JSON.parse(event.data)));
  for (const id of ["f-lang", "f-story", "f-copies"]) $(id).addEventListener("change", refilter);
  for (const id of ["f-q", "f-country", "f-entity"]) $(id).addEventListener("input", onTyping);
  $("f-clear").addEventListener("click", () => { $("filters").reset(); view.place = null; $("f-place").hidden = true; refilter(); });
  $("f-place-clear").addEventListener("click", clearPlace);
  $("filters").addEventListener("submit", (event) => event.preventDefault());
  $("prev").addEventListener("click", () => { view.page -= 1; loadList(); });
  $("next").addEventListener("click", () => { view.page += 1; loadList(); });
  $("newer").addEventListener("click", () => { view.page = 1; loadList(); });
  $("rprev").addEventListener("click", () => { view.rpage -= 1; loadRejections(); });
  $("rnext").addEventListener("click", () => { view.rpage += 1; loadRejections(); });
  $("tab-articles").addEventListener("click", () => showTab("articles"));
  $("tab-rejections").addEventListener("click", () => showTab("rejections"));
  $("detail-close").addEventListener("click", () => { $("detail").hidden = true; view.open = null; });
  window.__wirestream.ready = true;
}

document.addEventListener("DOMContentLoaded", start);
