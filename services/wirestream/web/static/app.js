// The newsroom page: the state at load, then live events (Server-Sent Events). Article text is
// untrusted: it is only ever written with textContent, never as markup.
"use strict";

const MAX_CARDS = 300;
const SVG = "http://www.w3.org/2000/svg";
const cards = [];
const $ = (id) => document.getElementById(id);

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function filters() {
  return {
    lang: $("f-lang").value,
    country: $("f-country").value.trim().toUpperCase(),
    entity: $("f-entity").value.trim().toLowerCase(),
    story: $("f-story").value,
  };
}

function passes(card, f) {
  if (f.lang && card.language !== f.lang) return false;
  if (f.country && !card.countries.includes(f.country)) return false;
  if (f.entity && !card.entities.some((e) => e.name.toLowerCase().includes(f.entity))) return false;
  if (f.story === "new" && card.story && card.story.first_article_id !== card.id) return false;
  if (f.story === "originals" && card.story && card.story.duplicate_of) return false;
  if (f.story.startsWith("s-") && (!card.story || card.story.id !== f.story)) return false;
  return true;
}

function cardNode(card) {
  const item = el("li");
  item.dataset.id = card.id;
  if (card.story && card.story.duplicate_of) item.classList.add("copy");
  item.append(el("div", card.title, "title"));
  const meta = el("div", null, "meta");
  meta.append(el("span", card.language, "lang"), el("span", card.dateline));
  if (card.story) {
    const size = card.story.size;
    meta.append(el("span", card.story.duplicate_of ? ` · copy of ${card.story.duplicate_of}`
      : size > 1 ? ` · story of ${size}` : " · new story"));
  }
  item.append(meta);
  const tags = el("div");
  for (const entity of card.entities) tags.append(el("span", entity.name, `tag ${entity.label}`));
  item.append(tags);
  return item;
}

function render() {
  const f = filters();
  const shown = cards.filter((card) => passes(card, f));
  $("articles").replaceChildren(...shown.slice(0, 100).map(cardNode));
  $("shown").textContent = `${shown.length} of ${cards.length} shown`;
  drawPoints(shown);
}

function drawPoints(shown) {
  const places = new Map();
  for (const card of shown) {
    for (const point of card.points) {
      const key = `${point.lat.toFixed(1)},${point.lon.toFixed(1)}`;
      const place = places.get(key) || { ...point, count: 0 };
      place.count += 1;
      places.set(key, place);
    }
  }
  const group = $("points");
  group.replaceChildren();
  for (const place of places.values()) {
    const circle = document.createElementNS(SVG, "circle");
    circle.setAttribute("cx", (place.lon + 180).toFixed(2));
    circle.setAttribute("cy", (90 - place.lat).toFixed(2));
    circle.setAttribute("r", (1 + Math.sqrt(place.count) * 0.9).toFixed(2));
    circle.dataset.count = place.count;
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${place.name}: ${place.count}`;
    circle.append(title);
    group.append(circle);
  }
}

function addLanguage(code) {
  const select = $("f-lang");
  if ([...select.options].some((o) => o.value === code)) return;
  const option = el("option", code);
  option.value = code;
  select.append(option);
}

function addCard(card) {
  cards.unshift(card);
  if (cards.length > MAX_CARDS) cards.pop();
  addLanguage(card.language);
}

function showTop(top) {
  $("top-entities").replaceChildren(...top.entities.map((e) => {
    const item = el("li");
    item.append(el("span", e.name), el("span", ` ${e.label} · ${e.articles}`, "muted"));
    return item;
  }));
  $("top-stories").replaceChildren(...top.stories.map((s) => {
    const item = el("li");
    const link = el("a", s.title || s.id);
    link.href = "#";
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const select = $("f-story");
      if (![...select.options].some((o) => o.value === s.id)) {
        const option = el("option", `story: ${(s.title || s.id).slice(0, 40)}`);
        option.value = s.id;
        select.append(option);
      }
      select.value = s.id;
      render();
    });
    item.append(link, el("span", ` · ${s.articles}`, "muted"));
    return item;
  }));
}

function showCounts(counts) {
  $("counts").textContent = `${counts.enriched} enriched · ${counts.rejected} rejected`;
}

function showHealth(health) {
  const box = $("health");
  if (!health || health.error || !health.rate) {
    box.textContent = health && health.error ? `cluster: ${health.error}` : "cluster: waiting for a first look";
    box.classList.toggle("bad", Boolean(health && health.error));
    return;
  }
  const lag = health.stages.reduce((sum, stage) => sum + stage.lag, 0);
  box.textContent = `${health.rate.raw.toFixed(1)} in/s · ${health.rate.enriched.toFixed(1)} enriched/s · ` +
    `${health.rate.rejected.toFixed(1)} rejected/s · lag ${lag}`;
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

async function start() {
  const response = await fetch("/api/state");
  const state = await response.json();
  for (const card of state.articles) addCard(card);
  showTop(state.top);
  showCounts(state.counts);
  showHealth(state.health);
  render();
  const events = new EventSource("/events");
  let pending = false;
  events.addEventListener("article", (event) => {
    addCard(JSON.parse(event.data));
    if (!pending) {  // many articles at once: one redraw per frame
      pending = true;
      requestAnimationFrame(() => { pending = false; render(); });
    }
  });
  events.addEventListener("counts", (event) => showCounts(JSON.parse(event.data)));
  events.addEventListener("top", (event) => showTop(JSON.parse(event.data)));
  events.addEventListener("health", (event) => showHealth(JSON.parse(event.data)));
  for (const id of ["f-lang", "f-story"]) $(id).addEventListener("change", render);
  for (const id of ["f-country", "f-entity"]) $(id).addEventListener("input", render);
  $("f-clear").addEventListener("click", () => { $("filters").reset(); render(); });
}

document.addEventListener("DOMContentLoaded", start);
