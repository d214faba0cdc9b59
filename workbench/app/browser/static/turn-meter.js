// What the listener hears, per turn, on the audio clock: bookkeeping of reply items and
// the per-turn report (no DOM, no sockets, no timers; the session feeds it events).
//
// mic_to_speaker_ms = last voiced microphone sample -> first sample of the reply at the
// speaker; mic_to_audible_ms = ... -> first reply block louder than AUDIBLE_DBFS. Both
// are AudioContext times (capture and playback worklets share the context's clock) plus
// the context's outputLatency, so they include the jitter buffer and the device path.
// The server's own timeline for the same turn rides along in the report.

/** A voice end older than this before the reply starts belongs to another turn (s). */
const MAX_TURN_GAP_S = 30;

function msBetween(fromCtx, toCtx, outputLatencyS) {
  if (fromCtx === null || toCtx === null || !(fromCtx < toCtx) || toCtx - fromCtx > MAX_TURN_GAP_S) {
    return null;
  }
  return (toCtx + outputLatencyS - fromCtx) * 1000;
}

export class TurnMeter {
  constructor() {
    this.items = new Map(); // item_id -> item record (see audioStart)
    this.itemByResponse = new Map(); // response_id -> item_id
    this.pending = []; // turn_done messages waiting for their item to be heard
    this.lastVoiceEndCtx = null; // end of the newest voiced capture block (context s)
    this.lastVoiceEndInputMs = null; // ... as a position in the input sent (ms), or null
    this.lastUserText = null;
    this.underruns = 0;
    this.deviceUnderruns = null; // the output device's glitches so far (null: unknown)
    this.lastItemId = null;
  }

  /**
   * The microphone heard voice up to context time `endCtx` (s), which is `inputMs` into
   * the input sent to the server (ms since its first sample; null if not sent).
   */
  voiced(endCtx, inputMs = null) {
    this.lastVoiceEndCtx = endCtx;
    this.lastVoiceEndInputMs = inputMs;
  }

  setUnderruns(count) {
    this.underruns = count;
  }

  /** The output device's underrun (glitch) count so far, e.g. `ctx.playbackStats`. */
  setDeviceUnderruns(count) {
    this.deviceUnderruns = count;
  }

  /** `audio_start` from the server arrived at `receivedMs` (performance.now()): a new reply item. */
  audioStart(itemId, responseId, receivedMs = null) {
    const item = {
      itemId, responseId, receivedMs, startCtx: null, audibleCtx: null, voiceEndCtx: null,
      voiceEndInputMs: null,
      micToSpeakerMs: null, micToAudibleMs: null, outputLatencyMs: null,
      jitterBufferMs: null, underrunsAtStart: this.underruns,
      deviceUnderrunsAtStart: this.deviceUnderruns, text: "", textFinal: false,
      ended: false,
    };
    this.items.set(itemId, item);
    if (responseId) this.itemByResponse.set(responseId, itemId);
    // Bounded: only the newest items can still be reported.
    if (this.items.size > 64) this.items.delete(this.items.keys().next().value);
    if (this.itemByResponse.size > 64) this.itemByResponse.delete(this.itemByResponse.keys().next().value);
    if (this.lastItemId && this.lastItemId !== itemId) this.endItem(this.lastItemId);
    this.lastItemId = itemId;
    return item;
  }

  /** The playback worklet played the item's first sample at context time `ctxTime`. */
  itemStarted(itemId, ctxTime, outputLatencyS, jitterBufferMs) {
    const item = this.items.get(itemId);
    if (!item || item.startCtx !== null) return item || null;
    item.startCtx = ctxTime;
    item.voiceEndCtx = this.lastVoiceEndCtx;
    item.voiceEndInputMs = this.lastVoiceEndInputMs;
    item.outputLatencyMs = outputLatencyS * 1000;
    item.jitterBufferMs = jitterBufferMs;
    item.micToSpeakerMs = msBetween(item.voiceEndCtx, ctxTime, outputLatencyS);
    return item;
  }

  /** The item's first audible block was played at context time `ctxTime`. */
  itemAudible(itemId, ctxTime, outputLatencyS) {
    const item = this.items.get(itemId);
    if (!item || item.audibleCtx !== null) return [];
    item.audibleCtx = ctxTime;
    item.micToAudibleMs = msBetween(item.voiceEndCtx, ctxTime, outputLatencyS);
    return this.ready();
  }

  transcript(role, itemId, text, final) {
    if (role === "user") {
      if (final) this.lastUserText = text;
      return;
    }
    const item = this.items.get(itemId);
    if (!item) return;
    item.text = final ? text : item.textFinal ? item.text : item.text + text;
    if (final) item.textFinal = true;
  }

  /** `turn_done` from the server; returns the reports that are complete now. */
  turnDone(msg) {
    const itemId = (msg.response_id && this.itemByResponse.get(msg.response_id)) || null;
    this.pending.push({ msg, itemId });
    return this.ready();
  }

  /** Playback went idle (drained or flushed): every pending turn was heard as far as it goes. */
  playbackIdle() {
    for (const item of this.items.values()) if (item.startCtx !== null) item.ended = true;
    return this.ready();
  }

  endItem(itemId) {
    const item = this.items.get(itemId);
    if (item) item.ended = true;
  }

  /** Reports of every pending turn, complete or not (session over, or waited long enough). */
  flushAll() {
    const out = this.pending.map((p) => this.report(p));
    this.pending = [];
    return out;
  }

  ready() {
    const out = [];
    this.pending = this.pending.filter((p) => {
      const item = p.itemId ? this.items.get(p.itemId) : null;
      const done = !item || item.audibleCtx !== null || item.ended;
      if (done) out.push(this.report(p));
      return !done;
    });
    return out;
  }

  report({ msg, itemId }) {
    const item = itemId ? this.items.get(itemId) : null;
    const timeline = msg.timeline || {};
    return {
      turn_index: Number.isInteger(timeline.turn_index) ? timeline.turn_index : null,
      status: msg.status,
      response_id: msg.response_id || null,
      item_id: itemId,
      mic_to_speaker_ms: item ? item.micToSpeakerMs : null,
      mic_to_audible_ms: item ? item.micToAudibleMs : null,
      output_latency_ms: item ? item.outputLatencyMs : null,
      jitter_buffer_ms: item ? item.jitterBufferMs : null,
      underruns: item ? Math.max(0, this.underruns - item.underrunsAtStart) : 0,
      device_underruns: item && item.deviceUnderrunsAtStart !== null && this.deviceUnderruns !== null
        ? Math.max(0, this.deviceUnderruns - item.deviceUnderrunsAtStart) : null,
      user_text: this.lastUserText,
      assistant_text: item && item.text ? item.text : null,
      timeline,
      summary: msg.summary || {},
    };
  }
}
