// The page's clock against the server's, and the per-turn report the page sends the
// server (the latency lab's `clock_ping` / `clock_pong` / `turn_report` messages).
// Pure: no DOM, no sockets, no audio graph; realtime-client.js feeds it.
//
// Offset: for each pong, rtt = received - client_ms and offset = server_ms - (client_ms +
// rtt / 2); the pong with the smallest round trip wins (its uncertainty is rtt / 2: the
// server may have stamped anywhere inside that round trip).

/** How often to ping after the first burst (ms). */
export const CLOCK_PING_EVERY_MS = 10_000;
/** Pings sent at session start, this far apart (ms): the best of a few beats one. */
export const CLOCK_FIRST_PINGS = 3;
export const CLOCK_FIRST_PING_GAP_MS = 150;

export class ClockSync {
  constructor() {
    this.offsetMs = null; // server_ms - page performance.now() ms
    this.rttMs = null; // of the best pong so far
    this.pongs = 0;
  }

  /** A `clock_ping` message for now (`nowMs`: performance.now()). */
  ping(nowMs) {
    return { type: "clock_ping", client_ms: nowMs };
  }

  /** A `clock_pong` arrived at `receivedMs` (performance.now()); returns true if it was used. */
  pong(msg, receivedMs) {
    const sent = Number(msg && msg.client_ms);
    const server = Number(msg && msg.server_ms);
    if (!Number.isFinite(sent) || !Number.isFinite(server) || receivedMs < sent) return false;
    const rtt = receivedMs - sent;
    this.pongs += 1;
    if (this.rttMs !== null && rtt >= this.rttMs) return false;
    this.rttMs = rtt;
    this.offsetMs = server - (sent + rtt / 2);
    return true;
  }

  /** Half the best round trip (ms), or null before the first pong. */
  get uncertaintyMs() {
    return this.rttMs === null ? null : this.rttMs / 2;
  }

  /** A page instant (performance.now() ms) on the server's clock, or null before a pong. */
  toServer(pageMs) {
    return this.offsetMs === null || pageMs === null || pageMs === undefined ? null : pageMs + this.offsetMs;
  }
}

/**
 * Page instants (performance.now() ms) of a turn from AudioContext times.
 *
 * `mapping` is {contextTime, performanceTime} from `ctx.getOutputTimestamp()`: the context
 * time of the sample at the speaker now and when that was. A played sample at context time
 * t is heard at performanceTime + (t - contextTime) s; a captured microphone block at
 * context time t was rendered one output latency before it would be heard.
 *
 * `receivedMs` (performance.now() when the reply's `audio_start` arrived) and
 * `speechEndInputMs` (the end of speech as a position in the input sent) pass through.
 *
 * @param {{voiceEndCtx: number|null, startCtx: number|null, audibleCtx: number|null,
 *   receivedMs?: number|null, voiceEndInputMs?: number|null}} item
 * @param {{contextTime: number, performanceTime: number}} mapping
 * @param {number} outputLatencyS
 * @returns {{speechEndMs: number|null, firstSampleMs: number|null, firstAudibleMs: number|null,
 *   receivedMs: number|null, speechEndInputMs: number|null}}
 */
export function turnInstants(item, mapping, outputLatencyS) {
  const heard = (t) => (t === null || t === undefined ? null : mapping.performanceTime + (t - mapping.contextTime) * 1000);
  const voiceHeard = heard(item.voiceEndCtx);
  return {
    speechEndMs: voiceHeard === null ? null : voiceHeard - outputLatencyS * 1000,
    firstSampleMs: heard(item.startCtx),
    firstAudibleMs: heard(item.audibleCtx),
    receivedMs: item.receivedMs ?? null,
    speechEndInputMs: item.voiceEndInputMs ?? null,
  };
}

/** The `turn_report` message for one turn report (realtime-client.js), or null. */
export function turnReportMessage(report, instants, sync) {
  if (!report.response_id || sync.offsetMs === null) return null;
  const round = (v) => (v === null || v === undefined ? null : Math.round(v * 10) / 10);
  return {
    type: "turn_report",
    response_id: report.response_id,
    speech_end_ms: round(sync.toServer(instants.speechEndMs)),
    speech_end_input_ms: instants.speechEndInputMs == null ? null : round(Math.max(0, instants.speechEndInputMs)),
    first_audio_received_ms: round(sync.toServer(instants.receivedMs)),
    first_audible_ms: round(sync.toServer(instants.firstAudibleMs)),
    first_sample_ms: round(sync.toServer(instants.firstSampleMs)),
    output_latency_ms: round(report.output_latency_ms),
    jitter_buffer_ms: round(report.jitter_buffer_ms),
    underruns: report.underruns,
    clock_uncertainty_ms: round(sync.uncertaintyMs),
  };
}
