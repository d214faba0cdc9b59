// What the listener of a Gradio page hears, measured in the page (window.wbPageTap).
//
// Gradio's own audio components do not say when a reply is heard. This module, loaded
// into the Gradio app through gr.HTML's `head` parameter (workbench/app/ui/page_tap.py),
// measures it on the audio clock with an AudioWorklet (page-tap-worklet.js):
// - the microphone stream Gradio opens (getUserMedia, while `arm()`ed): the end of the
//   last block louder than SPEECH_DBFS ("last voiced input sample");
// - the <audio> elements inside watched containers (e.g. #talk-reply): routed through
//   Web Audio (createMediaElementSource → the speakers, as before) so that the first
//   block of each reply louder than AUDIBLE_DBFS is seen; the element's own events give
//   when playing starts and when it stalls ("waiting") mid-reply.
// Per reply it reports (watch(id, fn)): mic → first playout and mic → first audible
// (+ the context's output latency, as realtime-client.js measures it), or, with no
// microphone, Send → first playout / first audible from the last click on the watch's
// `gesture` element (e.g. #file-send).
// The first playout is the element's "playing" event read on the audio clock (±one
// render buffer); the audible figure is exact to a 128-sample block.
//
// Nothing is tapped before the page has an AudioContext that runs (a user gesture came
// first); an element is never rerouted into a suspended context (it would go silent).

import { AUDIBLE_DBFS, SPEECH_DBFS } from "./levels.js";

const WORKLET_URL = new URL("./page-tap-worklet.js", import.meta.url);
const MAX_REPLIES = 100;
/** Raw samples kept per signal when window.__wbPageTapRaw is set (tests), in seconds. */
const MAX_RAW_S = 90;

class PageTap {
  constructor() {
    this.ctx = null;
    this.ready = null;
    this.armed = false;
    this.voiceEndCtx = null; // context time (s) of the last voiced microphone sample
    this.watchers = new Map(); // container id -> {listeners, tag, replies, current, seq}
    this.micNodes = [];
    this.streams = []; // microphone streams seen while armed
    this.errors = [];
    this.raw = window.__wbPageTapRaw ? { mic: [], out: [] } : null;
  }

  /** Create (once) the AudioContext and load the worklet. */
  prepare() {
    if (!this.ready) {
      const ctx = new AudioContext({ latencyHint: "interactive" });
      this.ready = ctx.audioWorklet.addModule(WORKLET_URL)
        .then(() => ctx.resume())
        .then(() => (this.ctx = ctx))
        .catch((err) => {
          this.errors.push(`context: ${err}`);
          return null;
        });
    }
    return this.ready;
  }

  /** Tap the microphone streams the page opens from now on (Talk, Gradio streaming mode). */
  arm() {
    this.armed = true;
    this.voiceEndCtx = null;
    return this.prepare();
  }

  /** Stop tapping microphones (Stop). */
  disarm() {
    this.armed = false;
    for (const node of this.micNodes) node.disconnect();
    this.micNodes = [];
  }

  /**
   * Measure the replies played by <audio> elements inside #`id`. `onReport(report)` gets
   * {target, seq, response_id, phase, played_ms, mic_to_first_playout_ms,
   * mic_to_audible_ms, send_to_first_playout_ms, send_to_audible_ms, stalls, stall_ms,
   * output_latency_ms} at phase "playing", "audible", "stalled", "resumed", "ended".
   * `tag()` names the reply being streamed (the server's response id), read when a reply
   * starts playing. `gesture`: a selector (e.g. "#file-send") whose clicks start the
   * Send → figures.
   */
  watch(id, onReport, { tag = () => null, gesture = null } = {}) {
    let w = this.watchers.get(id);
    if (!w) {
      w = { listeners: [], tag, gesture, gesturePerf: null, replies: [], current: null, seq: 0 };
      this.watchers.set(id, w);
    }
    w.tag = tag;
    w.gesture = gesture;
    w.listeners.push(onReport);
    return () => (w.listeners = w.listeners.filter((f) => f !== onReport));
  }

  replies(id) {
    const w = this.watchers.get(id);
    return w ? w.replies.map((r) => this.report(r, r.lastPhase)) : [];
  }

  // --- internals ----------------------------------------------------------------------

  outputLatencyS() {
    return this.ctx ? this.ctx.outputLatency || this.ctx.baseLatency || 0 : 0;
  }

  node(kind, thresholdDbfs) {
    const node = new AudioWorkletNode(this.ctx, "page-tap", {
      numberOfOutputs: 1,
      processorOptions: { kind, thresholdDbfs, raw: !!this.raw },
    });
    const mute = this.ctx.createGain();
    mute.gain.value = 0; // pulled by the graph, never heard
    node.connect(mute).connect(this.ctx.destination);
    return node;
  }

  keepRaw(list, msg) {
    list.push([msg.t0, msg.raw]);
    let kept = list.reduce((n, [, x]) => n + x.length, 0);
    while (list.length > 1 && kept > MAX_RAW_S * this.ctx.sampleRate) kept -= list.shift()[1].length;
  }

  async tapStream(stream) {
    const ctx = await this.prepare();
    if (!ctx || ctx.state !== "running" || !stream.getAudioTracks().length) return;
    const node = this.node("mic", SPEECH_DBFS);
    node.port.onmessage = (e) => {
      if (e.data.raw) return this.raw && this.keepRaw(this.raw.mic, e.data);
      if (this.armed && e.data.voicedEnd !== null) this.voiceEndCtx = e.data.voicedEnd;
    };
    ctx.createMediaStreamSource(stream).connect(node);
    this.micNodes.push(node);
    this.streams.push(stream);
  }

  onClick(e) {
    for (const w of this.watchers.values()) {
      if (w.gesture && e.target instanceof Element && e.target.closest(w.gesture)) {
        w.gesturePerf = performance.now();
        this.prepare(); // the reply will play through a running context
      }
    }
  }

  watcherOf(element) {
    for (const [id, w] of this.watchers) if (element.closest(`#${CSS.escape(id)}`)) return [id, w];
    return [null, null];
  }

  async tapElement(element) {
    if (element.__wbPageTap) return;
    element.__wbPageTap = "pending";
    const ctx = await this.prepare();
    if (!ctx || ctx.state !== "running") {
      element.__wbPageTap = null; // untouched: it keeps playing on its own
      return;
    }
    try {
      const source = ctx.createMediaElementSource(element);
      source.connect(ctx.destination);
      const node = this.node("out", AUDIBLE_DBFS);
      source.connect(node);
      node.port.onmessage = (e) => {
        if (e.data.raw) return this.raw && this.keepRaw(this.raw.out, e.data);
        this.onAudible(element, e.data.audibleAt);
      };
      element.__wbPageTap = node;
      // The reply that started loading before the tap was ready is watched too.
      const [, w] = this.watcherOf(element);
      const r = w && w.current;
      if (r && r.element === element && r.audibleCtx === null && !r.ended) node.port.postMessage({ type: "watch" });
    } catch (err) {
      this.errors.push(`element: ${err}`);
      element.__wbPageTap = null;
    }
  }

  onMediaEvent(e) {
    const element = e.target;
    if (!(element instanceof HTMLMediaElement)) return;
    const [id, w] = this.watcherOf(element);
    if (!w) return;
    const now = performance.now();
    const r = w.current;
    switch (e.type) {
      case "loadstart": {
        if (r && !r.ended) this.end(w, r, "ended");
        const reply = {
          target: id, seq: ++w.seq, responseId: safeTag(w.tag), element, voiceEndCtx: null,
          playingCtx: null, playingPerf: null, audibleCtx: null, gesturePerf: null,
          stalls: 0, stallMs: 0, stalledAt: null, ended: false, lastPhase: null,
        };
        w.current = reply;
        w.replies.push(reply);
        if (w.replies.length > MAX_REPLIES) w.replies.shift();
        if (element.__wbPageTap && element.__wbPageTap.port) element.__wbPageTap.port.postMessage({ type: "watch" });
        break;
      }
      case "playing":
        if (!r || r.ended) return;
        if (r.playingCtx === null) {
          // What started this reply: the tag, the last voiced sample, the last click.
          r.responseId = safeTag(w.tag) || r.responseId;
          r.playingCtx = this.ctx ? this.ctx.currentTime : null;
          r.playingPerf = now;
          r.voiceEndCtx = this.voiceEndCtx;
          r.gesturePerf = w.gesturePerf;
          this.emit(w, r, "playing");
        } else if (r.stalledAt !== null) {
          r.stallMs += now - r.stalledAt;
          r.stalledAt = null;
          this.emit(w, r, "resumed");
        }
        break;
      case "waiting":
        if (r && r.playingCtx !== null && !r.ended && r.stalledAt === null) {
          r.stalls += 1;
          r.stalledAt = now;
          this.emit(w, r, "stalled");
        }
        break;
      case "ended":
      case "emptied":
        if (r && !r.ended && r.playingCtx !== null) this.end(w, r, "ended");
        break;
    }
  }

  onAudible(element, audibleCtx) {
    const [, w] = this.watcherOf(element);
    const r = w && w.current;
    if (!r || r.element !== element || r.audibleCtx !== null || r.ended) return;
    r.audibleCtx = audibleCtx;
    if (r.voiceEndCtx === null) r.voiceEndCtx = this.voiceEndCtx;
    this.emit(w, r, "audible");
  }

  end(w, r, phase) {
    if (r.stalledAt !== null) r.stallMs += performance.now() - r.stalledAt;
    r.stalledAt = null;
    r.ended = true;
    this.emit(w, r, phase);
  }

  heardPerf(ctxTime) {
    // The performance.now() at which a sample of context time `ctxTime` is heard.
    const ts = this.ctx.getOutputTimestamp ? this.ctx.getOutputTimestamp() : null;
    if (ts && ts.performanceTime > 0) return ts.performanceTime + (ctxTime - ts.contextTime) * 1000;
    return performance.now() + (ctxTime - this.ctx.currentTime + this.outputLatencyS()) * 1000;
  }

  report(r, phase) {
    const outS = this.outputLatencyS();
    const fromVoice = (t) => (t === null || r.voiceEndCtx === null || !(t > r.voiceEndCtx) ? null
      : (t - r.voiceEndCtx + outS) * 1000);
    const fromSend = (perf) => (perf === null || r.gesturePerf === null || !(perf > r.gesturePerf) ? null
      : perf - r.gesturePerf);
    const round = (v) => (v === null ? null : Math.round(v * 10) / 10);
    const audiblePerf = r.audibleCtx === null || !this.ctx ? null : this.heardPerf(r.audibleCtx);
    return {
      target: r.target, seq: r.seq, response_id: r.responseId, phase,
      played_ms: round(r.element.currentTime * 1000),
      mic_to_first_playout_ms: round(fromVoice(r.playingCtx)),
      mic_to_audible_ms: round(fromVoice(r.audibleCtx)),
      send_to_first_playout_ms: round(fromSend(r.playingPerf === null ? null : r.playingPerf + outS * 1000)),
      send_to_audible_ms: round(fromSend(audiblePerf)),
      stalls: r.stalls, stall_ms: round(r.stallMs), output_latency_ms: round(outS * 1000),
    };
  }

  emit(w, r, phase) {
    r.lastPhase = phase;
    const report = this.report(r, phase);
    for (const fn of w.listeners) {
      try {
        fn(report);
      } catch (err) {
        this.errors.push(`listener: ${err}`);
      }
    }
  }
}

function safeTag(tag) {
  try {
    const value = tag();
    return typeof value === "string" && value ? value.slice(0, 128) : null;
  } catch {
    return null;
  }
}

function install() {
  if (window.wbPageTap) return;
  const tap = new PageTap();
  window.wbPageTap = tap;
  const gum = navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (gum) {
    navigator.mediaDevices.getUserMedia = async function (constraints) {
      const stream = await gum.call(this, constraints);
      if (tap.armed) tap.tapStream(stream).catch((err) => tap.errors.push(`mic: ${err}`));
      return stream;
    };
  }
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (...args) {
    if (!this.__wbPageTap && tap.watcherOf(this)[1]) tap.tapElement(this);
    return play.apply(this, args);
  };
  // Media events do not bubble; a capturing listener on the document sees them all.
  for (const type of ["loadstart", "playing", "waiting", "ended", "emptied"]) {
    document.addEventListener(type, (e) => tap.onMediaEvent(e), true);
  }
  document.addEventListener("click", (e) => tap.onClick(e), true);
  window.dispatchEvent(new Event("wb-page-tap-ready"));
}

install();
