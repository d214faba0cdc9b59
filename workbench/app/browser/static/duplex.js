// The duplex page: microphone -> AudioWorklet -> binary WebSocket -> relay -> model,
// and back: WebSocket -> jitter-buffered AudioWorklet -> speakers.
//
// Protocol (see workbench/app/api/ws_server_messages.py): binary frames are PCM16 LE mono, at the
// declared `sample_rate_hz` upstream and at 24 kHz downstream; everything else is JSON.
// The AudioContext is created at 24 kHz when the browser allows it (then the playback
// worklet reads 1:1), else at the device rate; either way the page declares the
// context's real rate as the input rate and lets the server resample.
//
// window.duplex exposes the page's measurements (and, with ?tap=1, the played
// samples) for the browser tests and for anyone poking at the console.
"use strict";

(() => {
  const UI = window.DuplexUI;
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const SPEECH_DB = -45; // a capture frame louder than this counts as the user speaking
  const PLAYOUT_EVERY_MS = 100;

  const metrics = (window.duplex = {
    state: "idle",
    contextRateHz: null,
    events: [], // {t, type} of every JSON message (for tests and debugging)
    turns: [], // server turn_done timelines
    items: [], // {itemId, startCtx, micToSpeakerMs}
    micToSpeakerMs: [],
    lastVoiceEndCtx: null,
    underruns: 0,
    // ?tap=1: keep what was played (samples) and the microphone's level per frame.
    tap: params.get("tap") === "1" ? { sampleRateHz: null, chunks: [], mic: [] } : null,
    sentBytes: 0,
    receivedBytes: 0,
  });

  let session = null; // {ctx, ws, stream, capture, playback, source, sink, ...}

  // Prefill the settings form from the query string (handy for links and tests).
  for (const el of $("settings").elements) {
    if (el.name && params.has(el.name)) {
      if (el.type === "checkbox") el.checked = params.get(el.name) !== "0";
      else el.value = params.get(el.name);
    }
  }

  function readSettings() {
    const f = $("settings").elements;
    const num = (name) => Number(f[name].value);
    return {
      turnDetection: f.turn_detection.value,
      vadThreshold: num("vad_threshold"),
      vadPrefixMs: num("vad_prefix_padding_ms"),
      vadSilenceMs: num("vad_silence_ms"),
      voice: f.voice.value.trim(),
      instructions: f.instructions.value.trim(),
      chunkMs: num("chunk_ms"),
      prebufferMs: num("prebuffer_ms"),
      rate: f.rate.value,
      echoCancellation: f.echo_cancellation.checked,
    };
  }

  async function makeContext(rate) {
    const opts = { latencyHint: "interactive" };
    if (rate === "24000") {
      try {
        return new AudioContext({ ...opts, sampleRate: 24000 });
      } catch (err) {
        console.info("24 kHz AudioContext refused, using the device rate", err);
      }
    }
    return new AudioContext(opts);
  }

  async function openAudio(s) {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        channelCount: 1,
        echoCancellation: s.echoCancellation,
        noiseSuppression: true,
        autoGainControl: true,
      },
    });
    let ctx = await makeContext(s.rate);
    let source;
    try {
      source = ctx.createMediaStreamSource(stream);
    } catch (err) {
      // Firefox cannot connect a mic to a context at another rate: use the device rate.
      console.info("mic cannot join a", ctx.sampleRate, "Hz context:", err);
      await ctx.close();
      ctx = new AudioContext({ latencyHint: "interactive" });
      source = ctx.createMediaStreamSource(stream);
    }
    await ctx.audioWorklet.addModule("/duplex/static/capture-worklet.js");
    await ctx.audioWorklet.addModule("/duplex/static/playback-worklet.js");
    const capture = new AudioWorkletNode(ctx, "pcm-capture", {
      processorOptions: { chunkMs: s.chunkMs },
    });
    // A node is only pulled while connected towards the destination: route the
    // capture node through a muted gain so it keeps running without being heard.
    const sink = ctx.createGain();
    sink.gain.value = 0;
    source.connect(capture).connect(sink).connect(ctx.destination);
    const playback = new AudioWorkletNode(ctx, "pcm-playback", {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      processorOptions: { prebufferMs: s.prebufferMs, tap: !!metrics.tap },
    });
    playback.connect(ctx.destination);
    await ctx.resume();
    return { ctx, stream, source, capture, sink, playback };
  }

  function wsUrl(s, rateHz) {
    const q = new URLSearchParams({
      sample_rate_hz: String(rateHz),
      turn_detection: s.turnDetection,
      chunk_ms: String(s.chunkMs),
      vad_threshold: String(s.vadThreshold),
      vad_prefix_padding_ms: String(s.vadPrefixMs),
      vad_silence_ms: String(s.vadSilenceMs),
    });
    if (s.voice) q.set("voice", s.voice);
    if (s.instructions) q.set("instructions", s.instructions);
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    return `${proto}//${location.host}/ws/realtime?${q}`;
  }

  async function start() {
    if (session) return;
    const s = readSettings();
    setButtons("starting");
    UI.setStatus("Opening the microphone…");
    try {
      session = await openAudio(s);
    } catch (err) {
      session = null;
      setButtons("idle");
      UI.setStatus("Microphone/audio unavailable: " + (err && err.message ? err.message : err), "error");
      return;
    }
    const ctx = session.ctx;
    metrics.contextRateHz = ctx.sampleRate;
    metrics.outputLatencyMs = 1000 * (ctx.outputLatency || ctx.baseLatency || 0);
    if (metrics.tap) metrics.tap.sampleRateHz = ctx.sampleRate;
    $("audio-info").textContent =
      `AudioContext ${ctx.sampleRate} Hz (input declared at ${ctx.sampleRate} Hz; ` +
      `reply 24000 Hz ${ctx.sampleRate === 24000 ? "played 1:1" : "resampled in the worklet"}), ` +
      `output latency ${(1000 * (ctx.outputLatency || ctx.baseLatency || 0)).toFixed(0)} ms`;
    session.turnDetection = s.turnDetection;
    session.lastPlayoutSent = 0;
    session.lastPlayed = { itemId: null, playedMs: 0 };
    session.capture.port.onmessage = (e) => onCapture(e.data);
    session.playback.port.onmessage = (e) => onPlayback(e.data);

    const ws = new WebSocket(wsUrl(s, ctx.sampleRate));
    ws.binaryType = "arraybuffer";
    session.ws = ws;
    session.ready = false;
    ws.onopen = () => {
      // The settings are in the query string; saying so spares the server's wait for
      // a settings message.
      ws.send(JSON.stringify({ type: "settings" }));
      UI.setStatus("Connected; waiting for the session…");
    };
    ws.onmessage = (e) => onMessage(e.data);
    ws.onerror = () => UI.setStatus("WebSocket error (is the server running? are you logged in?)", "error");
    ws.onclose = (e) => {
      if (session && session.ws === ws) {
        const why = e.code === 1000 ? "Session closed." : `Connection closed (code ${e.code}${e.reason ? ": " + e.reason : ""}).`;
        stop(false);
        if (!$("status").classList.contains("error")) UI.setStatus(why);
      }
    };
  }

  function onCapture(msg) {
    if (msg.type !== "frame" || !session) return;
    UI.setLevel("in", msg.rms);
    if (UI.toDb(msg.rms) > SPEECH_DB) metrics.lastVoiceEndCtx = msg.endTime;
    if (metrics.tap) metrics.tap.mic.push([msg.endTime, msg.rms]);
    const ws = session.ws;
    if (ws && ws.readyState === WebSocket.OPEN && session.ready) {
      ws.send(msg.pcm);
      metrics.sentBytes += msg.pcm.byteLength;
    }
  }

  function onPlayback(msg) {
    if (!session) return;
    switch (msg.type) {
      case "position":
        UI.setLevel("out", msg.rms);
        if (msg.itemId && msg.playedMs !== null) {
          session.lastPlayed = { itemId: msg.itemId, playedMs: msg.playedMs };
          const now = performance.now();
          if (now - session.lastPlayoutSent >= PLAYOUT_EVERY_MS) {
            session.lastPlayoutSent = now;
            sendJson({ type: "playout", played_ms: Math.round(msg.playedMs), item_id: msg.itemId });
          }
        }
        break;
      case "item_started": {
        const outLatency = session.ctx.outputLatency || session.ctx.baseLatency || 0;
        const heardCtx = msg.ctxTime + outLatency;
        const voice = metrics.lastVoiceEndCtx;
        const m2s = voice !== null && voice < msg.ctxTime && msg.ctxTime - voice < 30
          ? (heardCtx - voice) * 1000 : null;
        metrics.items.push({ itemId: msg.itemId, startCtx: msg.ctxTime, micToSpeakerMs: m2s });
        if (m2s !== null) metrics.micToSpeakerMs.push(m2s);
        // Report at once so the relay stamps first_playout without a 100 ms lag.
        sendJson({ type: "playout", played_ms: 0, item_id: msg.itemId });
        break;
      }
      case "underrun":
        metrics.underruns = msg.count;
        break;
      case "tap":
        if (metrics.tap) metrics.tap.chunks.push({ ctxTime: msg.ctxTime, samples: msg.samples });
        break;
    }
  }

  function onMessage(data) {
    if (!session) return;
    if (data instanceof ArrayBuffer) {
      metrics.receivedBytes += data.byteLength;
      session.playback.port.postMessage({ type: "pcm", pcm: data }, [data]);
      return;
    }
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (msg.type !== "level" && metrics.events.length < 5000) {
      metrics.events.push({ t: performance.now(), type: msg.type });
    }
    switch (msg.type) {
      case "session":
        session.ready = true;
        UI.setBackend(msg);
        UI.setStatus(session.turnDetection === "none"
          ? "Live. Speak, then press “Send turn”." : "Live. Speak; pause to let the model answer.", "live");
        setButtons("live");
        break;
      case "audio_start":
        session.playback.port.postMessage({ type: "item", itemId: msg.item_id });
        break;
      case "transcript":
        UI.transcript(msg.role, msg.item_id, msg.text, msg.final);
        break;
      case "speech_started":
        UI.note(`speech started at ${msg.audio_start_ms} ms`);
        break;
      case "speech_stopped":
        UI.note(`speech stopped at ${msg.audio_end_ms} ms`);
        break;
      case "interrupted":
        session.playback.port.postMessage({ type: "flush" });
        UI.note(`interrupted: reply cut at ${msg.audio_end_ms} ms`);
        break;
      case "turn_done":
        session.playback.port.postMessage({ type: "drain" });
        metrics.turns.push(msg);
        onTurnDone(msg);
        break;
      case "error":
        UI.setStatus(`Error ${msg.code}: ${msg.message}${msg.retryable ? " (retrying)" : ""}`, "error");
        UI.note(`error: ${msg.code}`);
        break;
      case "session_ended":
        UI.note(`session ended (${msg.reason})`);
        break;
    }
  }

  function onTurnDone(msg) {
    const last = metrics.items.length ? metrics.items[metrics.items.length - 1] : null;
    const m2s = last ? last.micToSpeakerMs : null;
    if (msg.timeline) UI.drawTimeline(msg.timeline, m2s);
    UI.drawSummary(msg.summary || {}, UI.percentiles(metrics.micToSpeakerMs));
    if (msg.status !== "completed") UI.note(`turn ${msg.status}`);
  }

  function sendJson(obj) {
    const ws = session && session.ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(obj));
  }

  function stop(sendClose = true) {
    const s = session;
    if (!s) return;
    session = null;
    if (sendClose) {
      try {
        if (s.ws.readyState === WebSocket.OPEN) s.ws.send(JSON.stringify({ type: "close" }));
      } catch { /* already closing */ }
    }
    try { s.ws.close(1000); } catch { /* ignore */ }
    for (const track of s.stream.getTracks()) track.stop();
    s.ctx.close();
    UI.setLevel("in", 0);
    UI.setLevel("out", 0);
    setButtons("idle");
    UI.setStatus("Stopped.");
  }

  function setButtons(state) {
    metrics.state = state;
    const live = state === "live";
    $("start").disabled = state !== "idle";
    $("stop").disabled = state === "idle";
    $("interrupt").disabled = !live;
    $("commit").disabled = !(live && session && session.turnDetection === "none");
  }

  $("start").addEventListener("click", start);
  $("stop").addEventListener("click", () => stop(true));
  $("commit").addEventListener("click", () => {
    sendJson({ type: "commit" });
    UI.note("turn sent");
  });
  $("interrupt").addEventListener("click", () => {
    if (!session) return;
    const played = session.lastPlayed.playedMs || 0;
    session.playback.port.postMessage({ type: "flush" });
    sendJson({ type: "interrupt", played_ms: Math.round(played) });
  });
  window.addEventListener("beforeunload", () => stop(true));
})();
