// pagesetter serve: the page side. Updates arrive as server-sent events; images are swapped or
// patched in place, so the scroll position and the open panel survive every update.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);
let state = null;          // the last update from the server
let shown = {};            // page number -> the image version this page shows
let structure = "";        // page count and names: a change rebuilds the page elements
let selected = null;       // {page, id} of the story in the panel
let zoom = "fit";

const LABELS = [
  ["id", "story"], ["article", "article file"], ["frames", "frames"], ["status", "status"],
  ["lines_used", "lines used"], ["lines_available", "lines available"], ["empty_lines", "empty lines"],
  ["lines_set", "lines set"], ["overset_chars", "overset characters"], ["overset_text", "overset text"],
  ["warnings", "warnings"],
];

function el(tag, attrs = {}, ns) {
  const e = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function loadImage(url) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => (img.decode ? img.decode().catch(() => {}) : Promise.resolve()).then(() => resolve(img));
    img.onerror = () => reject(new Error("could not load " + url));
    img.src = url;
  });
}

function markShown() {
  requestAnimationFrame(() => {
    window.__shown = { version: state.version, proof: !!state.proof, at: performance.timeOrigin + performance.now() };
    document.body.dataset.shown = state.version;
  });
}

// --- pages -----------------------------------------------------------------

function groups(pages) {
  if (!$("spread").checked) return pages.map((p) => [p]);
  const out = [[pages[0]]];  // the front page alone, then facing pages
  for (let i = 1; i < pages.length; i += 2) out.push(pages.slice(i, i + 2));
  return out;
}

function build() {
  const box = $("pages");
  const top = box.scrollTop, left = box.scrollLeft;
  box.textContent = "";
  shown = {};
  for (const group of groups(state.pages)) {
    const row = el("div", { class: "spread" });
    for (const p of group) {
      const fig = el("figure", { class: "page", "data-page": p.number });
      const cap = el("figcaption");
      cap.textContent = `${p.layout}${p.running_page ? " · 第" + p.running_page + "版" : ""}`;
      const img = el("img", { class: "base", alt: `page ${p.number + 1}`, src: p.image });
      img.addEventListener("load", markShown, { once: true });
      fig.append(cap, img, el("svg", { viewBox: `0 0 ${p.width} ${p.height}`, preserveAspectRatio: "none" }, SVG));
      row.append(fig);
      shown[p.number] = p.version;
      fig.dataset.version = p.version;
    }
    box.append(row);
  }
  applyZoom();
  box.scrollTop = top; box.scrollLeft = left;
}

function applyZoom() {
  if (!state) return;
  const box = $("pages");
  const perRow = $("spread").checked && state.pages.length > 1 ? 2 : 1;
  for (const fig of box.querySelectorAll(".page")) {
    const p = state.pages.find((q) => q.number === +fig.dataset.page);
    if (!p) continue;
    const ratio = p.height / p.width;
    let w;
    if (zoom === "fit") w = Math.max(200, (box.clientWidth - 48) / perRow);
    else w = p.size_px[0] * zoom / (window.devicePixelRatio || 1);
    fig.style.width = w + "px";
    fig.style.height = w * ratio + "px";
  }
}

async function updatePage(p) {
  const fig = document.querySelector(`.page[data-page="${p.number}"]`);
  if (!fig) return;
  drawOverlay(fig.querySelector("svg"), p);
  const have = shown[p.number];
  if (have === p.version) return;
  const u = p.update || {};
  const patchable = u.patches && have === u.base && fig.querySelectorAll("img.patch").length < 40;
  try {
    if (patchable) {
      const imgs = await Promise.all(u.patches.map((q) => loadImage(q.data || q.url)));
      const [W, H] = p.size_px;
      imgs.forEach((img, i) => {
        const q = u.patches[i];
        img.className = "patch";
        Object.assign(img.style, { left: (100 * q.x / W) + "%", top: (100 * q.y / H) + "%", width: (100 * q.w / W) + "%" });
        fig.insertBefore(img, fig.querySelector("svg"));
      });
    } else {
      const img = await loadImage(p.image);
      const base = fig.querySelector("img.base");
      base.src = img.src;
      fig.querySelectorAll("img.patch").forEach((e) => e.remove());
    }
  } catch (e) {
    // a newer update replaced the patch: fetch the whole page
    const img = await loadImage(p.image + "&r=" + Date.now());
    fig.querySelector("img.base").src = img.src;
    fig.querySelectorAll("img.patch").forEach((e) => e.remove());
  }
  shown[p.number] = p.version;
  fig.dataset.version = p.version;
}

// --- proof overlay and frames ------------------------------------------------

function drawOverlay(svg, p) {
  svg.textContent = "";
  const defs = el("defs", {}, SVG);
  const marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto" }, SVG);
  marker.append(el("path", { d: "M0,0 L10,5 L0,10 z", fill: "#e63ca0" }, SVG));
  defs.append(marker);
  svg.append(defs);
  const proof = el("g", { class: "proof" }, SVG);
  const g = p.grid;
  let d = "";
  for (let k = 0; k <= g.lines; k++) { const y = g.y + k * g.pitch; d += `M${g.x},${y}H${g.x + g.w}`; }
  proof.append(el("path", { class: "grid", d }, SVG));
  for (const x of g.columns) proof.append(el("rect", { class: "col", x, y: g.y, width: g.column_width, height: g.h }, SVG));
  for (const f of p.frames) {
    for (const [x] of f.columns.slice(1)) proof.append(el("line", { class: "fcol", x1: x, y1: f.y, x2: x, y2: f.y + f.h }, SVG));
  }
  const byId = Object.fromEntries(p.frames.map((f) => [f.id, f]));
  for (const t of p.threads) {
    for (let i = 0; i + 1 < t.frames.length; i++) {
      const a = byId[t.frames[i]], b = byId[t.frames[i + 1]];
      proof.append(el("line", { class: "thread", x1: a.x + a.w - 6, y1: a.y + a.h - 6, x2: b.x + 6, y2: b.y + 6 }, SVG));
    }
  }
  for (const s of state.stories) {
    if (s.page !== p.number || !s.overset_chars) continue;
    const last = byId[s.frames[s.frames.length - 1]];
    const m = el("g", { class: "overset-mark" }, SVG);
    const r = el("rect", { x: last.x + last.w - 10, y: last.y + last.h - 10, width: 10, height: 10 }, SVG);
    const plus = el("path", { d: `M${last.x + last.w - 8},${last.y + last.h - 5}h6M${last.x + last.w - 5},${last.y + last.h - 8}v6`, stroke: "#fff", "stroke-width": 1.5 }, SVG);
    const title = el("title", {}, SVG); title.textContent = `${s.id}: ${s.overset_chars} characters overset`;
    m.append(r, plus, title);
    proof.append(m);
  }
  svg.append(proof);
  for (const f of p.frames) {
    const r = el("rect", { class: "frame", x: f.x, y: f.y, width: f.w, height: f.h, "data-frame": f.id }, SVG);
    if (f.story) r.dataset.story = f.story;
    if (selected && selected.page === p.number && f.story === selected.id) r.classList.add("selected");
    const title = el("title", {}, SVG); title.textContent = f.story ? `${f.id} — ${f.story}` : f.id;
    r.append(title);
    r.addEventListener("click", () => f.story ? select(p.number, f.story) : showFrame(p, f));
    svg.append(r);
  }
}

// --- stories: list and panel ---------------------------------------------------

function select(page, id) {
  selected = { page, id };
  renderStories();
  renderPanel();
  for (const p of state.pages) {
    const fig = document.querySelector(`.page[data-page="${p.number}"]`);
    if (fig) drawOverlay(fig.querySelector("svg"), p);
  }
}

function renderStories() {
  const ul = $("story-list");
  ul.textContent = "";
  for (const s of state.stories) {
    const li = el("li", { class: s.status, "data-story": s.id, "data-page": s.page, title: s.article });
    if (selected && selected.page === s.page && selected.id === s.id) li.classList.add("selected");
    const name = el("span"); name.textContent = (state.pages.length > 1 ? `${s.page + 1}: ` : "") + s.id;
    const st = el("span", { class: "st" });
    st.textContent = s.status === "overset" ? `+${s.overset_chars}` : s.status === "short" ? `−${s.empty_lines}` : s.status;
    li.append(el("span", { class: "dot" }), name, st);
    li.addEventListener("click", () => select(s.page, s.id));
    ul.append(li);
  }
}

function field(dl, label, value, cls) {
  const dt = el("dt"); dt.textContent = label;
  const dd = el("dd"); if (cls) dd.className = cls;
  if (Array.isArray(value)) {
    if (!value.length) dd.textContent = "none";
    value.forEach((v) => { const div = el("div"); div.textContent = typeof v === "object" ? JSON.stringify(v) : v; dd.append(div); });
  } else if (value !== null && typeof value === "object") dd.textContent = JSON.stringify(value);
  else dd.textContent = value === "" || value === null || value === undefined ? "—" : String(value);
  dl.append(dt, dd);
}

function renderPanel() {
  const panel = $("panel");
  if (!selected || !state) { panel.hidden = true; return; }
  const s = state.stories.find((q) => q.page === selected.page && q.id === selected.id);
  if (!s) { panel.hidden = true; return; }
  panel.hidden = false;
  $("panel-title").textContent = `Story ${s.id}`;
  const dl = $("panel-fields");
  dl.textContent = "";
  const known = new Set(["page"]);
  for (const [k, label] of LABELS) {
    known.add(k);
    if (k in s) field(dl, label, s[k], k === "warnings" && s[k].length ? "warn" : "");
  }
  for (const [k, v] of Object.entries(s)) if (!known.has(k)) field(dl, k.replace(/_/g, " "), v);
  if (state.error && state.error.file === s.article) field(dl, "error", state.error.text, "warn");
}

function showFrame(p, f) {
  selected = null;
  renderStories();
  const panel = $("panel");
  panel.hidden = false;
  $("panel-title").textContent = `Frame ${f.id}`;
  const dl = $("panel-fields");
  dl.textContent = "";
  field(dl, "story", "none (a label or picture frame)");
  field(dl, "columns", f.columns.length);
}

// --- the whole update ----------------------------------------------------------

async function apply(next) {
  state = next;
  document.body.dataset.version = state.version;
  $("target").textContent = state.target;
  const badge = $("status");
  badge.textContent = state.status;
  badge.className = "badge " + state.status;
  $("timing").textContent = `${state.render_ms} ms · ${state.rendered_at}`;
  const err = $("error");
  if (state.error) {
    err.hidden = false;
    err.textContent = state.error.text;
    if (state.stale) {
      const note = el("div", { class: "stale" });
      note.textContent = "Showing the last good pages; they update when the error is fixed.";
      err.append(note);
    }
  } else err.hidden = true;
  const dl = $("downloads");
  dl.textContent = "";
  for (const p of state.pages) {
    if (!p.pdf) continue;
    const a = el("a", { href: p.pdf, download: p.pdf_name, class: "pdf" });
    a.textContent = "⤓ " + p.pdf_name;
    dl.append(a, " ");
  }
  const now = state.session + "/" + state.pages.map((p) => p.number + ":" + p.pdf_name).join(",") +
    ($("spread").checked ? "/s" : "");
  if (now !== structure) { structure = now; build(); }
  await Promise.all(state.pages.map(updatePage));
  renderStories();
  renderPanel();
  if (!state.error || state.stale) markShown();
}

let queue = Promise.resolve();
function connect() {
  const source = new EventSource("/events");
  source.addEventListener("update", (e) => {
    const next = JSON.parse(e.data);
    window.__received = { version: next.version, at: performance.timeOrigin + performance.now() };  // for bench/serve.py
    queue = queue.then(() => apply(next)).catch((err) => console.error(err));
  });
}

$("zoom").addEventListener("change", () => { zoom = $("zoom").value === "fit" ? "fit" : +$("zoom").value; applyZoom(); });
function step(dir) {
  const opts = [...$("zoom").options].map((o) => o.value).filter((v) => v !== "fit").map(Number);
  const cur = zoom === "fit" ? 0.5 : zoom;
  const i = opts.findIndex((v) => v >= cur - 1e-9);
  zoom = opts[Math.max(0, Math.min(opts.length - 1, (i < 0 ? opts.length - 1 : i) + dir))];
  $("zoom").value = String(zoom);
  applyZoom();
}
$("zoom-in").addEventListener("click", () => step(1));
$("zoom-out").addEventListener("click", () => step(-1));
$("spread").addEventListener("change", () => { if (state) { structure = ""; apply(state); } });
$("overlay").addEventListener("change", () => document.body.classList.toggle("proof", $("overlay").checked));
$("panel-close").addEventListener("click", () => { selected = null; $("panel").hidden = true; renderStories(); if (state) state.pages.forEach(updatePage); });
new ResizeObserver(() => { if (zoom === "fit") applyZoom(); }).observe($("pages"));
connect();
