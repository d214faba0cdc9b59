// One realtime voice session in the browser, shared by the duplex page (/duplex) and the
// Gradio component (workbench.app.ui.realtime_audio): microphone -> capture AudioWorklet
// -> binary WebSocket (`WS /ws/realtime`, docs/api.md) -> relay -> model, and back:
// WebSocket -> jitter-buffered playback AudioWorklet -> speakers.
//
// No DOM: the page or component listens with `client.on(name, fn)`:
//   phase {phase}                  idle, connecting, listening, user_speaking, waiting,
//                                  playing, interrupted, ended (see PHASES)
//   level {source, rms}            "input" per capture frame, "output" every ~50 ms
//   session {...server session message, context_rate_hz, output_latency_ms}
//   transcript {role, item_id, text, final}
//   note {text}                    speech started/stopped, interrupted, turn status
//   turn {report}                  one per turn_done, once the reply was heard (turn-meter.js)
//   error {code, message, retryable, fatal, source}   server errors verbatim; client ones
//   ended {reason, code, message, text}  the session is over; reason is the server's end
//                                  reason (docs/api.md) or the page's own (stopped,
//                                  closed, error, connection_lost); text says it for people
//
// When the server's `session` message lists them in `features`, the client also keeps
// its clock against the server's (`clock_ping` at start and every 10 s) and sends one
// `turn_report` per finished turn with what it measured, on the server's clock
// (clock-sync.js). Without them it sends neither (a server answers unknown types with
// an error).
//
// The AudioContext runs at 24 kHz when asked and allowed (the playback worklet then
// reads 1:1), else at the device rate; either way the client declares the context's
// real rate as the input rate and lets the server resample.

import { openAudio, sessionOpening, sessionParams } from "./audio-graph.js";
import {
  CLOCK_FIRST_PINGS, CLOCK_FIRST_PING_GAP_MS, CLOCK_PING_EVERY_MS, ClockSync, turnInstants,
  turnReportMessage,
} from "./clock-sync.js";
import { TurnMeter } from "./turn-meter.js";

export { sessionOpening, sessionParams };

export const PLAYOUT_REPORT_EVERY_MS = 100;
/** A turn whose reply was never heard is reported anyway after this long (ms). */
const TURN_REPORT_TIMEOUT_MS = 10_000;
/** How long `interrupt()` waits for the playback worklet's exact position (ms). */
const FLUSH_WAIT_MS = 200;
/** After sending `close`, how long the server has to close the socket itself (ms). */
const CLOSE_GRACE_MS = 1000;
/** "Interrupted" stays the phase this long unless something newer happens (ms). */
const INTERRUPTED_HOLD_MS = 1500;

export const PHASES = {
  idle: "Idle",
  connecting: "Connecting…",
  listening: "Listening",
  user_speaking: "You are speaking",
  waiting: "Waiting for the model",
  playing: "Playing the reply",
  interrupted: "Interrupted",
  ended: "Ended",
};

/** Why a session ended, for people: the server's end reasons and the page's own. */
export const END_TEXT = {
  stopped: "stopped",
  closed: "closed by the server",
  connection_lost: "connection lost",
  error: "error",
};

export const DEFAULT_SETTINGS = Object.freeze({
  // Session settings (WebSocket query keys, docs/api.md); null: the server's default.
  sessionSettings: null, // {key: value} of RelaySettings names, sent as they are
  turnDetection: null, // none | server_vad | semantic_vad (overrides sessionSettings)
  vadThreshold: null,
  vadPrefixMs: null,
  vadSilenceMs: null,
  vadEagerness: null,
  voice: "",
  instructions: "",
  chunkMs: null, // the relay's upstream frame (ms)
  surface: null, // e.g. "talk": the session is recorded with that kind
  // The page's own choices.
  captureFrameMs: 10, // microphone frame sent over the WebSocket (ms): half of it, on
  // average, is added to the time the server's VAD needs to see your silence
  prebufferMs: 25, // the first reply's jitter cushion (playback-worklet.js; ms)
  contextRateHz: 24000, // null: the device rate
  latencyHint: "interactive", // AudioContext latencyHint: a category or seconds
  echoCancellation: true,
});

export class RealtimeClient {
  /**
   * @param {object} options
   * @param {{capture: string|URL, playback: string|URL}} options.workletUrls  the two
   *   worklet scripts (capture-worklet.js, playback-worklet.js), as URLs.
   * @param {string} [options.wsPath]  `WS /ws/realtime`, relative to the page or absolute.
   * @param {boolean} [options.tap]  keep copies of what was played (tests, diagnostics).
   */
  constructor({ workletUrls, wsPath = "/ws/realtime", tap = false }) {
    this.workletUrls = workletUrls;
    this.wsPath = wsPath;
    this.listeners = new Map();
    this.session = null;
    this.phase = "idle";
    this.metrics = {
      state: "idle", // idle | starting | live (kept for the duplex tests)
      phase: "idle",
      contextRateHz: null,
      outputLatencyMs: null,
      events: [], // {t, type} of every JSON message but levels (bounded)
      turns: [], // server turn_done messages (bounded)
      reports: [], // turn reports (bounded)
      items: [], // {itemId, startCtx, micToSpeakerMs, micToAudibleMs} (bounded)
      micToSpeakerMs: [],
      underruns: 0,
      playoutReports: 0,
      interrupts: [], // {itemId, playedMs} sent by interrupt()
      interrupted: [], // the server's interrupted messages (where it cut the reply)
      errors: [],
      sentBytes: 0,
      receivedBytes: 0,
      tap: tap ? { sampleRateHz: null, chunks: [], mic: [] } : null,
      endReason: null,
      endText: null,
      features: [],
      clock: { offsetMs: null, rttMs: null, pongs: 0 },
      turnReportsSent: 0,
    };
  }

  on(name, fn) {
    if (!this.listeners.has(name)) this.listeners.set(name, []);
    this.listeners.get(name).push(fn);
    return () => this.listeners.set(name, this.listeners.get(name).filter((f) => f !== fn));
  }

  emit(name, payload) {
    for (const fn of this.listeners.get(name) || []) {
      try {
        fn(payload);
      } catch (err) {
        console.error(`realtime client: a ${name} listener failed`, err);
      }
    }
  }

  get live() {
    return this.session !== null;
  }

  /** Open the microphone and the WebSocket; `settings` as DEFAULT_SETTINGS. */
  async start(settings = {}) {
    if (this.session) return;
    const s = { ...DEFAULT_SETTINGS, ...settings };
    this.setState("starting");
    this.setPhase("connecting");
    let audio;
    try {
      audio = await openAudio(s, this.workletUrls, !!this.metrics.tap);
    } catch (err) {
      this.setState("idle");
      this.setPhase("idle");
      this.fail({ code: "audio_unavailable", message: `Microphone/audio unavailable: ${(err && err.message) || err}` });
      return;
    }
    const session = (this.session = {
      ...audio, settings: s, ws: null, ready: false, meter: new TurnMeter(),
      lastPlayoutSentAt: 0, lastPlayed: { itemId: null, playedMs: 0 }, speaking: false,
      awaiting: false, playing: false, interruptedAt: 0, timers: new Set(), flushWaiters: [],
      serverEndReason: null, serverEndText: null, lastError: null, features: new Set(),
      clock: new ClockSync(), pinging: false, inputSentMs: 0,
    });
    const ctx = session.ctx;
    this.metrics.contextRateHz = ctx.sampleRate;
    this.metrics.outputLatencyMs = 1000 * this.outputLatencyS();
    if (this.metrics.tap) this.metrics.tap.sampleRateHz = ctx.sampleRate;
    session.capture.port.onmessage = (e) => this.onCapture(e.data);
    session.playback.port.onmessage = (e) => this.onPlayback(e.data);

    let ws;
    const opening = sessionOpening(this.wsPath, sessionParams(s, ctx.sampleRate));
    try {
      ws = new WebSocket(opening.url);
    } catch (err) {
      const message = `Cannot open the WebSocket: ${(err && err.message) || err}`;
      this.fail({ code: "bad_url", message });
      this.teardown({ reason: "error", code: null, message, text: message });
      return;
    }
    ws.binaryType = "arraybuffer";
    session.ws = ws;
    // The settings are in the query string (an empty settings message spares the
    // server's wait) or, when too long for a URL, all in this first message.
    ws.onopen = () => ws.send(JSON.stringify(opening.settings));
    ws.onmessage = (e) => this.onMessage(session, e.data);
    ws.onclose = (e) => {
      if (this.session !== session) return;
      const serverSaid = session.lastError;
      if (e.code !== 1000 && !serverSaid) {
        this.fail({
          code: "connection_closed",
          message: `Connection closed (code ${e.code}${e.reason ? ": " + e.reason : ""}); is the server running, are you logged in?`,
        });
      }
      const reason = session.serverEndReason || (e.code === 1000 ? "closed" : serverSaid ? "error" : "connection_lost");
      const text = session.serverEndText || (reason === "error" && serverSaid ? serverSaid.message : END_TEXT[reason] || reason);
      this.teardown({ reason, code: e.code, message: serverSaid ? serverSaid.message : e.reason || null, text });
    };
  }

  /** End the session (sends `close` first). */
  stop() {
    const s = this.session;
    if (!s) return;
    try {
      if (s.ws && s.ws.readyState === WebSocket.OPEN) s.ws.send(JSON.stringify({ type: "close" }));
    } catch { /* already closing */ }
    this.teardown({ reason: "stopped", code: 1000, message: null, text: END_TEXT.stopped });
  }

  /** End the user's turn (turn detection "none"; with VAD it forces the end of the turn). */
  commit() {
    if (!this.session) return;
    this.sendJson({ type: "commit" });
    this.session.awaiting = true;
    this.updatePhase();
  }

  /** Barge in: stop playing at once and cut the reply exactly where the listener is. */
  async interrupt() {
    const s = this.session;
    if (!s) return null;
    const pos = await this.flushPlayback(s);
    const msg = { type: "interrupt" };
    if (pos.itemId) msg.played_ms = Math.round(pos.playedMs || 0);
    this.sendJson(msg);
    this.metrics.interrupts.push({ itemId: pos.itemId, playedMs: msg.played_ms ?? null });
    return msg;
  }

  // --- internals -----------------------------------------------------------------

  outputLatencyS() {
    const ctx = this.session && this.session.ctx;
    return ctx ? ctx.outputLatency || ctx.baseLatency || 0 : 0;
  }

  setState(state) {
    this.metrics.state = state;
  }

  setPhase(phase, label = PHASES[phase]) {
    if (phase === this.phase) return;
    this.phase = phase;
    this.metrics.phase = phase;
    this.emit("phase", { phase, label });
  }

  updatePhase() {
    const s = this.session;
    if (!s) return;
    if (!s.ready) return this.setPhase("connecting");
    if (s.playing) return this.setPhase("playing");
    if (s.speaking) return this.setPhase("user_speaking");
    if (s.awaiting) return this.setPhase("waiting");
    if (performance.now() - s.interruptedAt < INTERRUPTED_HOLD_MS) return this.setPhase("interrupted");
    this.setPhase("listening");
  }

  later(s, ms, fn) {
    const id = setTimeout(() => {
      s.timers.delete(id);
      if (this.session === s) fn();
    }, ms);
    s.timers.add(id);
  }

  fail(err) {
    const e = { code: err.code, message: err.message, retryable: !!err.retryable, fatal: !!err.fatal, source: err.source || "client" };
    if (this.metrics.errors.length < 100) this.metrics.errors.push(e);
    this.emit("error", e);
  }

  sendJson(obj) {
    const ws = this.session && this.session.ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(obj));
  }

  flushPlayback(s) {
    return new Promise((resolve) => {
      const fallback = { ...s.lastPlayed };
      const done = (pos) => {
        clearTimeout(timer);
        resolve(pos);
      };
      const timer = setTimeout(() => {
        s.flushWaiters = s.flushWaiters.filter((w) => w !== done);
        resolve(fallback);
      }, FLUSH_WAIT_MS);
      s.flushWaiters.push(done);
      s.playback.port.postMessage({ type: "flush" });
    });
  }

  reportTurns(s, reports) {
    if (reports.length) s.meter.setDeviceUnderruns(deviceUnderruns(s.ctx));
    for (const report of reports) {
      push(this.metrics.reports, report, 500);
      this.sendTurnReport(s, report);
      this.emit("turn", report);
    }
  }

  // --- the server's clock and turn reports (only when the server lists them) ----------

  startClock(s) {
    if (s.pinging || !s.features.has("clock_ping")) return;
    s.pinging = true;
    const ping = () => this.sendJson(s.clock.ping(performance.now()));
    for (let i = 0; i < CLOCK_FIRST_PINGS; i++) this.later(s, i * CLOCK_FIRST_PING_GAP_MS, ping);
    const every = setInterval(() => (this.session === s ? ping() : clearInterval(every)), CLOCK_PING_EVERY_MS);
    s.timers.add(every);
  }

  sendTurnReport(s, report) {
    if (!s.features.has("turn_report") || !s.ctx) return;
    const item = report.item_id ? s.meter.items.get(report.item_id) : null;
    const mapping = outputTimestamp(s.ctx, this.outputLatencyS());
    const instants = item ? turnInstants(item, mapping, this.outputLatencyS())
      : { speechEndMs: null, firstSampleMs: null, firstAudibleMs: null, receivedMs: null, speechEndInputMs: null };
    const msg = turnReportMessage(report, instants, s.clock);
    if (msg) {
      this.sendJson(msg);
      this.metrics.turnReportsSent += 1;
    }
  }

  onCapture(msg) {
    const s = this.session;
    if (msg.type !== "frame" || !s) return;
    this.emit("level", { source: "input", rms: msg.rms });
    if (this.metrics.tap) push(this.metrics.tap.mic, [msg.endTime, msg.rms], 100_000);
    const sent = s.ws && s.ws.readyState === WebSocket.OPEN && s.ready;
    if (sent) {
      s.ws.send(msg.pcm);
      this.metrics.sentBytes += msg.pcm.byteLength;
      s.inputSentMs += (msg.pcm.byteLength / 2 / s.ctx.sampleRate) * 1000; // PCM16 mono
    }
    if (msg.voicedEnd !== null && msg.voicedEnd !== undefined) {
      // Where the voice ended in the input the server got (ms since its first sample):
      // the server looks up when that arrived (the uplink part of the turn report).
      const inputMs = sent ? s.inputSentMs - (msg.endTime - msg.voicedEnd) * 1000 : null;
      s.meter.voiced(msg.voicedEnd, inputMs);
    }
  }

  onPlayback(msg) {
    const s = this.session;
    if (!s) return;
    switch (msg.type) {
      case "position":
        this.emit("level", { source: "output", rms: msg.rms });
        if (msg.itemId && msg.playedMs !== null) {
          s.lastPlayed = { itemId: msg.itemId, playedMs: msg.playedMs };
          const now = performance.now();
          if (now - s.lastPlayoutSentAt >= PLAYOUT_REPORT_EVERY_MS) {
            s.lastPlayoutSentAt = now;
            this.sendPlayout(msg.itemId, msg.playedMs);
          }
        }
        break;
      case "item_started": {
        const item = s.meter.itemStarted(msg.itemId, msg.ctxTime, this.outputLatencyS(), msg.targetMs);
        if (item) {
          push(this.metrics.items, {
            itemId: msg.itemId, startCtx: msg.ctxTime, micToSpeakerMs: item.micToSpeakerMs, micToAudibleMs: null,
            jitterBufferMs: msg.targetMs,
          }, 500);
          if (item.micToSpeakerMs !== null) push(this.metrics.micToSpeakerMs, item.micToSpeakerMs, 500);
        }
        s.playing = true;
        s.awaiting = false;
        this.updatePhase();
        // Report at once so the relay stamps first_playout without a 100 ms lag.
        this.sendPlayout(msg.itemId, 0);
        break;
      }
      case "item_audible": {
        const reports = s.meter.itemAudible(msg.itemId, msg.ctxTime, this.outputLatencyS());
        const entry = this.metrics.items.find((i) => i.itemId === msg.itemId);
        const item = s.meter.items.get(msg.itemId);
        if (entry && item) entry.micToAudibleMs = item.micToAudibleMs;
        this.reportTurns(s, reports);
        break;
      }
      case "underrun":
        this.metrics.underruns = msg.count;
        s.meter.setUnderruns(msg.count);
        break;
      case "drained":
      case "flushed":
        if (msg.type === "flushed") {
          const waiters = s.flushWaiters;
          s.flushWaiters = [];
          for (const w of waiters) w({ itemId: msg.itemId, playedMs: msg.playedMs });
        }
        s.playing = false;
        this.reportTurns(s, s.meter.playbackIdle());
        this.updatePhase();
        break;
      case "tap":
        if (this.metrics.tap) push(this.metrics.tap.chunks, { ctxTime: msg.ctxTime, samples: msg.samples }, 20_000);
        break;
    }
  }

  sendPlayout(itemId, playedMs) {
    this.sendJson({ type: "playout", played_ms: Math.round(playedMs), item_id: itemId });
    this.metrics.playoutReports += 1;
  }

  onMessage(s, data) {
    if (this.session !== s) return;
    if (data instanceof ArrayBuffer) {
      this.metrics.receivedBytes += data.byteLength;
      s.playback.port.postMessage({ type: "pcm", pcm: data }, [data]);
      return;
    }
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (!msg || typeof msg.type !== "string") return;
    if (msg.type !== "level") push(this.metrics.events, { t: performance.now(), type: msg.type }, 5000);
    switch (msg.type) {
      case "session":
        s.ready = true;
        s.features = new Set(Array.isArray(msg.features) ? msg.features : []);
        this.metrics.features = [...s.features];
        this.startClock(s);
        this.setState("live");
        this.emit("session", {
          ...msg, context_rate_hz: s.ctx.sampleRate, output_latency_ms: 1000 * this.outputLatencyS(),
        });
        this.updatePhase();
        break;
      case "audio_start":
        s.meter.setDeviceUnderruns(deviceUnderruns(s.ctx));
        s.meter.audioStart(msg.item_id, msg.response_id, performance.now());
        s.playback.port.postMessage({ type: "item", itemId: msg.item_id });
        break;
      case "transcript":
        s.meter.transcript(msg.role, msg.item_id, msg.text, msg.final);
        this.emit("transcript", { role: msg.role, item_id: msg.item_id, text: msg.text, final: !!msg.final });
        break;
      case "speech_started":
        s.speaking = true;
        this.emit("note", { text: `speech started at ${msg.audio_start_ms} ms` });
        this.updatePhase();
        break;
      case "speech_stopped":
        s.speaking = false;
        s.awaiting = true;
        this.emit("note", { text: `speech stopped at ${msg.audio_end_ms} ms` });
        this.updatePhase();
        break;
      case "interrupted":
        push(this.metrics.interrupted, msg, 100);
        s.playback.port.postMessage({ type: "flush" });
        s.interruptedAt = performance.now();
        s.playing = false;
        this.emit("note", { text: `interrupted: reply cut at ${msg.audio_end_ms} ms`, interrupted: msg });
        this.updatePhase();
        this.later(s, INTERRUPTED_HOLD_MS + 10, () => this.updatePhase());
        break;
      case "turn_done":
        s.playback.port.postMessage({ type: "drain" });
        push(this.metrics.turns, msg, 500);
        s.awaiting = false;
        if (msg.status !== "completed") this.emit("note", { text: `turn ${msg.status}` });
        this.reportTurns(s, s.meter.turnDone(msg));
        // A reply that is never heard (cancelled before it played) is reported anyway.
        this.later(s, TURN_REPORT_TIMEOUT_MS, () => this.reportTurns(s, s.meter.flushAll()));
        this.updatePhase();
        break;
      case "error":
        s.lastError = msg;
        this.fail({ ...msg, source: "server" });
        break;
      case "session_ended":
        s.serverEndReason = msg.reason;
        s.serverEndText = typeof msg.text === "string" ? msg.text : null;
        break;
      case "clock_pong":
        s.clock.pong(msg, performance.now());
        this.metrics.clock = { offsetMs: s.clock.offsetMs, rttMs: s.clock.rttMs, pongs: s.clock.pongs };
        break;
    }
  }

  teardown(end) {
    const s = this.session;
    if (!s) return;
    this.reportTurns(s, s.meter.flushAll());
    this.session = null;
    for (const id of s.timers) {
      clearTimeout(id);
      clearInterval(id);
    }
    for (const w of s.flushWaiters) w({ ...s.lastPlayed });
    const ws = s.ws;
    if (end.reason === "stopped" && ws && ws.readyState === WebSocket.OPEN) {
      // `close` was just sent: let the server end the session and close the socket
      // (closing first would race it, and the server would record "client_gone").
      setTimeout(() => { try { ws.close(1000); } catch { /* closed */ } }, CLOSE_GRACE_MS);
    } else {
      try { ws && ws.close(1000); } catch { /* already closed */ }
    }
    for (const track of s.stream.getTracks()) track.stop();
    s.ctx.close();
    this.emit("level", { source: "input", rms: 0 });
    this.emit("level", { source: "output", rms: 0 });
    this.setState("idle");
    const text = end.text || END_TEXT[end.reason] || end.reason;
    this.metrics.endReason = end.reason;
    this.metrics.endText = text;
    this.setPhase("ended", `${PHASES.ended}: ${text}`);
    this.emit("ended", { ...end, text });
  }
}

/** The output device's underrun (glitch) count so far, or null where the browser does
 * not say (`AudioContext.playbackStats`, Chromium). */
function deviceUnderruns(ctx) {
  try {
    const stats = ctx && ctx.playbackStats;
    return stats && Number.isFinite(stats.underrunEvents) ? stats.underrunEvents : null;
  } catch {
    return null;
  }
}

/** {contextTime, performanceTime} of the sample at the speaker now (see clock-sync.js). */
function outputTimestamp(ctx, outputLatencyS) {
  const ts = ctx.getOutputTimestamp ? ctx.getOutputTimestamp() : null;
  if (ts && ts.performanceTime > 0) return { contextTime: ts.contextTime, performanceTime: ts.performanceTime };
  // No timestamp yet: what is rendered now is heard one output latency from now.
  return { contextTime: ctx.currentTime, performanceTime: performance.now() + outputLatencyS * 1000 };
}

function push(list, value, max) {
  list.push(value);
  if (list.length > max) list.splice(0, list.length - max);
}
