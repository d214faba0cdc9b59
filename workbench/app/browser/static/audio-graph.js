// The browser end of a realtime session's audio: microphone -> capture worklet, playback
// worklet -> speakers, in one AudioContext (so both worklets share one clock), and the
// WebSocket URL that declares the session's settings. Used by realtime-client.js.

import { AUDIBLE_DBFS, SPEECH_DBFS } from "./levels.js";

/**
 * The session's WebSocket query keys, as strings: `sample_rate_hz` (the context's real
 * rate), every key of `settings.sessionSettings` (RelaySettings names, as given), then
 * the explicit settings that are set (they win), and `surface` when set.
 */
export function sessionParams(settings, inputRateHz) {
  const params = {};
  const set = (key, value) => {
    if (value !== null && value !== undefined && value !== "") params[key] = String(value);
  };
  for (const [key, value] of Object.entries(settings.sessionSettings || {})) set(key, value);
  params.sample_rate_hz = String(inputRateHz);
  const explicit = {
    turn_detection: settings.turnDetection,
    chunk_ms: settings.chunkMs,
    vad_threshold: settings.vadThreshold,
    vad_prefix_padding_ms: settings.vadPrefixMs,
    vad_silence_ms: settings.vadSilenceMs,
    vad_eagerness: settings.vadEagerness,
    voice: settings.voice,
    instructions: settings.instructions,
    surface: settings.surface,
  };
  for (const [key, value] of Object.entries(explicit)) set(key, value);
  return params;
}

/** Longest URL the page opens (characters); a server reads at most ~8 KB of request line. */
export const MAX_URL_CHARS = 4000;

/**
 * How to open the session: `{url, settings}`. The settings go in the query (the server
 * opens the upstream session at once) unless that makes the URL too long (long
 * instructions); then only `surface` is in the query and every setting goes in the first
 * `settings` message (the server waits for it). `path` is absolute (ws:, wss:, http:,
 * https:) or relative to the page.
 */
export function sessionOpening(path, params, pageUrl = location.href) {
  const url = new URL(path, pageUrl);
  if (url.protocol === "https:") url.protocol = "wss:";
  else if (url.protocol === "http:") url.protocol = "ws:";
  const { surface, ...settings } = params;
  const withQuery = new URL(url);
  for (const [key, value] of Object.entries(params)) withQuery.searchParams.set(key, value);
  if (withQuery.href.length <= MAX_URL_CHARS) return { url: withQuery.href, settings: { type: "settings" } };
  if (surface !== undefined) url.searchParams.set("surface", surface);
  return { url: url.href, settings: { type: "settings", ...settings } };
}

/**
 * Open the microphone and build the graph; `s` as DEFAULT_SETTINGS (realtime-client.js).
 * Returns {ctx, stream, source, capture, sink, playback}; throws when the microphone or
 * the worklets are unavailable (nothing is left open then).
 */
export async function openAudio(s, workletUrls, tap) {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: s.echoCancellation, noiseSuppression: true, autoGainControl: true },
  });
  const opts = { latencyHint: s.latencyHint ?? "interactive" };
  let ctx = null;
  if (s.contextRateHz) {
    try {
      ctx = new AudioContext({ ...opts, sampleRate: s.contextRateHz });
    } catch (err) {
      console.info(`${s.contextRateHz} Hz AudioContext refused, using the device rate`, err);
    }
  }
  ctx = ctx || new AudioContext(opts);
  let source;
  try {
    source = ctx.createMediaStreamSource(stream);
  } catch (err) {
    // Firefox cannot connect a mic to a context at another rate: use the device rate.
    console.info("mic cannot join a", ctx.sampleRate, "Hz context:", err);
    await ctx.close();
    ctx = new AudioContext(opts);
    source = ctx.createMediaStreamSource(stream);
  }
  try {
    await ctx.audioWorklet.addModule(workletUrls.capture);
    await ctx.audioWorklet.addModule(workletUrls.playback);
  } catch (err) {
    for (const track of stream.getTracks()) track.stop();
    await ctx.close();
    throw err;
  }
  const capture = new AudioWorkletNode(ctx, "pcm-capture", {
    processorOptions: { frameMs: s.captureFrameMs, voiceDbfs: SPEECH_DBFS },
  });
  // A node is only pulled while connected towards the destination: route the capture
  // node through a muted gain so it keeps running without being heard.
  const sink = ctx.createGain();
  sink.gain.value = 0;
  source.connect(capture).connect(sink).connect(ctx.destination);
  const playback = new AudioWorkletNode(ctx, "pcm-playback", {
    numberOfInputs: 0,
    numberOfOutputs: 1,
    outputChannelCount: [1],
    processorOptions: { prebufferMs: s.prebufferMs, tap, audibleDbfs: AUDIBLE_DBFS },
  });
  playback.connect(ctx.destination);
  await ctx.resume();
  return { ctx, stream, source, capture, sink, playback };
}
