// Rendering helpers of the duplex page: transcript, level meters, latency panel.
// Plain DOM, no framework; text always goes in through textContent (never innerHTML),
// so nothing the model says can inject markup.

import { formatDb, meterPercent, toDb } from "./levels.js";

const $ = (id) => document.getElementById(id);
const STAGE_ORDER = [
  "first_input_audio", "speech_started", "speech_stopped", "commit", "response_create",
  "response_created", "first_audio_delta", "first_audio_out", "first_playout",
  "last_audio_delta", "done",
];
const SUMMARY_ROWS = [
  ["ttfa_ms", "time to first audio"],
  ["model_ttfb_ms", "model TTFB"],
  ["relay_overhead_ms", "relay overhead"],
  ["playout_delay_ms", "playout delay"],
];

export function setStatus(text, kind) {
  const el = $("status");
  el.textContent = text;
  el.className = "status" + (kind ? " " + kind : "");
}

export function setBackend(info) {
  const el = $("backend");
  const what = info.is_mock ? "MOCK" : "LIVE";
  el.textContent = `Backend: ${info.description} (${what}, ${info.dialect} dialect)`;
  el.className = "backend " + (info.is_mock ? "mock" : "live");
}

export function setLevel(which, rms) {
  const db = toDb(rms);
  $(which + "-bar").style.width = meterPercent(db).toFixed(1) + "%";
  $(which + "-db").textContent = formatDb(db);
  if (which === "out") {
    // The seed's circle, sized by the loudness actually being played.
    const size = 24 + meterPercent(db) * 0.96;
    const c = $("circle");
    c.style.width = size + "px";
    c.style.height = size + "px";
  }
}

// --- transcript --------------------------------------------------------------
const messages = new Map(); // key role:item_id -> element

export function transcript(role, itemId, text, final) {
  const key = role + ":" + itemId;
  let el = messages.get(key);
  if (!el) {
    el = document.createElement("div");
    el.dataset.role = role;
    el.dataset.itemId = itemId;
    el.dataset.text = "";
    messages.set(key, el);
    $("transcript").appendChild(el);
  }
  el.dataset.text = final ? text : el.dataset.text + text;
  el.textContent = (role === "user" ? "You: " : "Assistant: ") + el.dataset.text;
  el.className = "msg " + role + (final ? "" : " partial");
  scrollDown();
}

export function note(text) {
  const el = document.createElement("div");
  el.className = "msg note";
  el.textContent = text;
  $("transcript").appendChild(el);
  scrollDown();
}

function scrollDown() {
  const box = $("transcript");
  box.scrollTop = box.scrollHeight;
}

export function clearTranscript() {
  messages.clear();
  $("transcript").textContent = "";
}

// --- latency panel -------------------------------------------------------------
const SVG_NS = "http://www.w3.org/2000/svg";

function svgEl(name, attrs, text) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

export function drawTimeline(timeline, micToSpeakerMs) {
  let stages = Object.entries(timeline.stages_ms || {})
    .sort((a, b) => STAGE_ORDER.indexOf(a[0]) - STAGE_ORDER.indexOf(b[0]));
  const speech = (timeline.stages_ms || {}).speech_started;
  if (speech !== undefined) {
    // With VAD a turn "starts" at the first audio after the previous one (often a
    // long silence earlier): draw it from the start of speech instead.
    stages = stages.filter(([, t]) => t >= speech).map(([k, t]) => [k, t - speech]);
  }
  const box = $("timeline");
  box.textContent = "";
  if (stages.length === 0) return;
  const maxMs = Math.max(1, ...stages.map(([, t]) => t));
  const rowH = 18, left = 130, right = 70, width = 560;
  const height = rowH * stages.length + 44;
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
  const scale = (t) => left + ((width - left - right) * t) / maxMs;
  stages.forEach(([stage, t], i) => {
    const y = 6 + i * rowH;
    svg.appendChild(svgEl("text", { x: left - 6, y: y + 12, "text-anchor": "end", "font-size": 11, fill: "#334155" }, stage));
    svg.appendChild(svgEl("rect", { x: left, y: y + 3, width: Math.max(1, scale(t) - left), height: rowH - 7, fill: "#cbd5e1", rx: 2 }));
    svg.appendChild(svgEl("circle", { cx: scale(t), cy: y + rowH / 2, r: 4, fill: "#f97316" }));
    svg.appendChild(svgEl("text", { x: scale(t) + 7, y: y + 12, "font-size": 11, fill: "#334155" }, t.toFixed(0) + " ms"));
  });
  const figures = [
    ["TTFA", timeline.ttfa_ms], ["model TTFB", timeline.model_ttfb_ms],
    ["relay", timeline.relay_overhead_ms], ["playout", timeline.playout_delay_ms],
    ["mic→speaker", micToSpeakerMs],
  ].filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k} ${Number(v).toFixed(0)} ms`).join(" · ");
  svg.appendChild(svgEl("text", { x: 4, y: height - 24, "font-size": 12, "font-weight": 600, fill: "#0f172a" },
    `turn ${timeline.turn_index + 1}`)); // turn_index counts from 0
  svg.appendChild(svgEl("text", { x: 4, y: height - 8, "font-size": 11, fill: "#0f172a" }, figures));
  box.appendChild(svg);
}

function fmt(v) {
  return v === null || v === undefined ? "–" : Number(v).toFixed(0);
}

export function drawSummary(summary, micToSpeaker) {
  const body = document.querySelector("#stats tbody");
  body.textContent = "";
  const rows = SUMMARY_ROWS.filter(([key]) => summary && summary[key])
    .map(([key, label]) => [label, summary[key]]);
  if (micToSpeaker && micToSpeaker.n) rows.push(["mic→speaker (page)", micToSpeaker]);
  for (const [label, s] of rows) {
    const tr = document.createElement("tr");
    for (const v of [label, s.n, fmt(s.p50), fmt(s.p90), fmt(s.p99)]) {
      const td = document.createElement("td");
      td.textContent = String(v);
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
}


