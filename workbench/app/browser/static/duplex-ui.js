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
  ["ttfa_ms", "time to first audio (server)"],
  ["model_ttfb_ms", "model TTFB (server)"],
  ["relay_overhead_ms", "relay overhead (server)"],
  ["playout_delay_ms", "playout delay (server, page-reported)"],
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

/** Stages that end the latency window, first found wins (ms since the turn's start). */
const WINDOW_END = ["first_playout", "first_audio_out", "first_audio_delta"];

/**
 * The latency window of one turn: end of the user's speech (VAD stop, else the commit)
 * → the first reply audio, with a margin; stage times relative to that origin (ms).
 * Returns {origin, from, to, inside: [[stage, ms]], outside: [[stage, ms]]} or null.
 */
export function latencyWindow(stagesMs) {
  const origin = stagesMs.speech_stopped !== undefined ? "speech_stopped" : stagesMs.commit !== undefined ? "commit" : null;
  if (origin === null) return null;
  const t0 = stagesMs[origin];
  const endStage = WINDOW_END.find((k) => stagesMs[k] !== undefined);
  const span = endStage ? Math.max(0, stagesMs[endStage] - t0) : 0;
  const margin = Math.max(50, 0.1 * span);
  const ordered = Object.entries(stagesMs)
    .sort((a, b) => STAGE_ORDER.indexOf(a[0]) - STAGE_ORDER.indexOf(b[0]))
    .map(([k, t]) => [k, t - t0]);
  return {
    origin, from: -margin, to: span + margin,
    inside: ordered.filter(([, t]) => t >= -margin && t <= span + margin),
    outside: ordered.filter(([, t]) => t < -margin || t > span + margin),
  };
}

export function drawTimeline(timeline, report) {
  const box = $("timeline");
  box.textContent = "";
  const win = latencyWindow(timeline.stages_ms || {});
  if (!win || win.inside.length === 0) return;
  const rowH = 18, left = 130, right = 70, width = 560;
  const height = rowH * win.inside.length + 92;
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
  const scale = (t) => left + ((width - left - right) * (t - win.from)) / (win.to - win.from);
  const zero = scale(0);
  svg.appendChild(svgEl("line", { x1: zero, x2: zero, y1: 2, y2: rowH * win.inside.length + 6, stroke: "#94a3b8", "stroke-dasharray": "3 3" }));
  win.inside.forEach(([stage, t], i) => {
    const y = 6 + i * rowH;
    svg.appendChild(svgEl("text", { x: left - 6, y: y + 12, "text-anchor": "end", "font-size": 11, fill: "#334155" }, stage));
    const x0 = Math.min(zero, scale(t));
    svg.appendChild(svgEl("rect", { x: x0, y: y + 3, width: Math.max(1, Math.abs(scale(t) - zero)), height: rowH - 7, fill: "#cbd5e1", rx: 2 }));
    svg.appendChild(svgEl("circle", { cx: scale(t), cy: y + rowH / 2, r: 4, fill: "#f97316" }));
    svg.appendChild(svgEl("text", { x: scale(t) + 7, y: y + 12, "font-size": 11, fill: "#334155" }, `${t >= 0 ? "+" : ""}${t.toFixed(0)} ms`));
  });
  const axisY = rowH * win.inside.length + 22;
  const originText = win.origin === "speech_stopped" ? "the end of your speech (VAD stop)" : "the commit (Send turn)";
  svg.appendChild(svgEl("text", { x: 4, y: axisY, "font-size": 11, fill: "#64748b" }, `ms after ${originText}, server clock`));
  const secs = (t) => `${t >= 0 ? "+" : "−"}${(Math.abs(t) / 1000).toFixed(1)} s`;
  const outside = win.outside.map(([k, t]) => `${k} ${secs(t)}`).join(" · ");
  if (outside) svg.appendChild(svgEl("text", { x: 4, y: axisY + 14, "font-size": 10, fill: "#94a3b8" }, `outside the window: ${outside}`));
  const line = (pairs) => pairs.filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k} ${Number(v).toFixed(0)} ms`).join(" · ");
  svg.appendChild(svgEl("text", { x: 4, y: height - 38, "font-size": 12, "font-weight": 600, fill: "#0f172a" },
    `Turn ${timeline.turn_index + 1}`)); // turn_index counts from 0; people count from 1
  svg.appendChild(svgEl("text", { x: 4, y: height - 22, "font-size": 11, fill: "#0f172a" }, "page: " + line([
    ["mic→first reply sample", report && report.mic_to_speaker_ms], ["mic→first audible", report && report.mic_to_audible_ms],
  ])));
  svg.appendChild(svgEl("text", { x: 4, y: height - 7, "font-size": 11, fill: "#0f172a" }, "server: " + line([
    ["TTFA", timeline.ttfa_ms], ["model TTFB", timeline.model_ttfb_ms],
    ["relay", timeline.relay_overhead_ms], ["playout delay", timeline.playout_delay_ms],
  ])));
  box.appendChild(svg);
}

function fmt(v) {
  return v === null || v === undefined ? "–" : Number(v).toFixed(0);
}

export function drawSummary(summary, micToSpeaker, micToAudible) {
  const body = document.querySelector("#stats tbody");
  body.textContent = "";
  const rows = [];
  if (micToSpeaker && micToSpeaker.n) rows.push(["mic→first reply sample (page)", micToSpeaker]);
  if (micToAudible && micToAudible.n) rows.push(["mic→first audible reply (page)", micToAudible]);
  rows.push(...SUMMARY_ROWS.filter(([key]) => summary && summary[key]).map(([key, label]) => [label, summary[key]]));
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


