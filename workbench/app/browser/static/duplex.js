// The duplex page: a settings form and a few panels around the shared RealtimeClient
// (realtime-client.js, also used by the Gradio component).
//
// window.duplex exposes the client's measurements (and, with ?tap=1, the played
// samples) for the browser tests and for anyone poking at the console.

import { percentiles } from "./levels.js";
import { DEFAULT_SETTINGS, PHASES, RealtimeClient } from "./realtime-client.js";
import * as UI from "./duplex-ui.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

const client = new RealtimeClient({
  workletUrls: {
    capture: new URL("./capture-worklet.js", import.meta.url),
    playback: new URL("./playback-worklet.js", import.meta.url),
  },
  tap: params.get("tap") === "1",
});
window.duplex = client.metrics;

// Prefill the settings form from the query string (handy for links and tests).
for (const el of $("settings").elements) {
  if (el.name && params.has(el.name)) {
    if (el.type === "checkbox") el.checked = params.get(el.name) !== "0";
    else el.value = params.get(el.name);
  }
}

// Empty fields mean the server's default (placeholders say so); the page's own
// defaults come from DEFAULT_SETTINGS, the one place they are written.
$("settings").elements.prebuffer_ms.placeholder = `${DEFAULT_SETTINGS.prebufferMs} (default)`;

function readSettings() {
  const f = $("settings").elements;
  const num = (name) => (f[name].value.trim() === "" ? null : Number(f[name].value));
  return {
    turnDetection: f.turn_detection.value || null, // "": the server's default
    vadThreshold: num("vad_threshold"),
    vadPrefixMs: num("vad_prefix_padding_ms"),
    vadSilenceMs: num("vad_silence_ms"),
    voice: f.voice.value.trim(),
    instructions: f.instructions.value.trim(),
    chunkMs: num("chunk_ms"),
    prebufferMs: num("prebuffer_ms") ?? DEFAULT_SETTINGS.prebufferMs,
    contextRateHz: f.rate.value === "24000" ? 24000 : null,
    echoCancellation: f.echo_cancellation.checked,
  };
}

let turnDetection = null; // null: the server's default (then "Send turn" is offered too)
let lastError = null;

client.on("phase", ({ phase, label }) => {
  setButtons(phase);
  if (phase === "connecting") UI.setStatus("Opening the microphone and connecting…");
  // "Ended: idle timeout", "Ended: stopped", or the server's error message verbatim.
  else if (phase === "ended") UI.setStatus(lastError ? `Ended: ${lastError.message}` : `${label}.`, lastError ? "error" : undefined);
  else if (phase !== "idle") {
    const hint = phase === "listening"
      ? (turnDetection === "none" ? " Speak, then press “Send turn”." : " Speak; pause to let the model answer.")
      : "";
    UI.setStatus(`${label}.${hint}`, "live");
  }
});
client.on("level", ({ source, rms }) => UI.setLevel(source === "input" ? "in" : "out", rms));
client.on("session", (info) => {
  UI.setBackend(info);
  $("audio-info").textContent =
    `AudioContext ${info.context_rate_hz} Hz (input declared at ${info.context_rate_hz} Hz; ` +
    `reply 24000 Hz ${info.context_rate_hz === 24000 ? "played 1:1" : "resampled in the worklet"}), ` +
    `output latency ${info.output_latency_ms.toFixed(0)} ms`;
});
client.on("transcript", (t) => UI.transcript(t.role, t.item_id, t.text, t.final));
client.on("note", ({ text }) => UI.note(text));
client.on("turn", (report) => {
  if (report.timeline && Object.keys(report.timeline).length) UI.drawTimeline(report.timeline, report);
  const audible = client.metrics.reports.map((r) => r.mic_to_audible_ms).filter((v) => v !== null);
  UI.drawSummary(report.summary || {}, percentiles(client.metrics.micToSpeakerMs), percentiles(audible));
});
client.on("error", (err) => {
  // The server's message, verbatim: it says what was wrong and what to do.
  if (err.fatal || !client.live) lastError = err;
  UI.setStatus(`Error ${err.code}: ${err.message}${err.retryable ? " (retrying)" : ""}`, "error");
  UI.note(`error: ${err.code}`);
});

function setButtons(phase) {
  const live = client.live && phase !== "connecting";
  $("start").disabled = client.live || phase === "connecting";
  $("stop").disabled = !client.live;
  $("interrupt").disabled = !live;
  $("commit").disabled = !(live && turnDetection !== "server_vad" && turnDetection !== "semantic_vad");
}

$("start").addEventListener("click", () => {
  const s = readSettings();
  turnDetection = s.turnDetection;
  lastError = null;
  client.start(s);
});
$("stop").addEventListener("click", () => client.stop());
$("commit").addEventListener("click", () => {
  client.commit();
  UI.note("turn sent");
});
$("interrupt").addEventListener("click", () => client.interrupt());
window.addEventListener("beforeunload", () => client.stop());
UI.setStatus(`${PHASES.idle}. Press Start and allow the microphone.`);
