// Test-only init script: records what the microphone delivers to the page, the page's
// media element events, and every MediaStream it opened. The mic tap is an AudioWorklet
// (audio thread, so a busy page cannot make it drop blocks) posting [t_ms, rms] per 256
// samples, t_ms on the performance.now() clock mapped from the audio clock.
// What the <audio> players play is tapped by the app's own page tap
// (workbench/app/browser/static/page-tap.js; an element can be routed into Web Audio only
// once); `window.__wbPageTapRaw = true` makes it keep the played samples for the tests.
// window.__wbTap holds: mics (one list of [t_ms, rms] per microphone stream), mic (the
// newest), out (unused, kept empty), media (element events), errors, and streams.
(() => {
  window.__wbPageTapRaw = true;
  const SUB = 256;
  const tap = (window.__wbTap = {
    mic: [], mics: [], out: [], media: [], errors: [], rateHz: null, outputLatencyMs: 0,
    streams: [],
  });
  const rawByList = new Map(); // level list -> [[t_ms, Float32Array]] of the same tap
  // Blocks [[t_ms, Float32Array]] as one base64 float32 string (compact to hand to the
  // test); the app's own page tap keeps its played blocks in the same shape.
  window.__wbFloat32Base64 = (blocks) => {
    const n = blocks.reduce((k, b) => k + b[1].length, 0);
    const all = new Float32Array(n);
    let at = 0;
    for (const [, x] of blocks) { all.set(x, at); at += x.length; }
    const bytes = new Uint8Array(all.buffer);
    let bin = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(bin);
  };
  // The raw samples of a tap (the level list it belongs to) with the time of the first.
  window.__wbTapRaw = (list) => {
    const blocks = rawByList.get(list) || [];
    return { t0: blocks.length ? blocks[0][0] : null, b64: window.__wbFloat32Base64(blocks) };
  };
  // Media events do not bubble, but a capturing listener on the document sees them all.
  for (const type of ["loadstart", "loadedmetadata", "canplay", "play", "playing", "waiting",
                      "stalled", "pause", "ended", "emptied"]) {
    document.addEventListener(type, (e) => {
      if (e.target instanceof HTMLMediaElement) {
        tap.media.push([performance.now(), type, e.target.closest("[id]")?.id || "", e.target.currentTime]);
      }
    }, true);
  }
  const WORKLET = `
    class Tap extends AudioWorkletProcessor {
      constructor() {
        super(); this.sum = 0; this.n = 0; this.t0 = 0;
        this.raw = new Float32Array(8192); this.rawN = 0; this.rawT0 = 0;
      }
      process(inputs) {
        const ch = inputs[0] && inputs[0][0];
        if (!ch) return true;
        for (let i = 0; i < ch.length; i++) {
          if (this.n === 0) this.t0 = currentTime + i / sampleRate;
          this.sum += ch[i] * ch[i];
          if (++this.n === ${SUB}) {
            this.port.postMessage([this.t0, Math.sqrt(this.sum / ${SUB})]);
            this.sum = 0; this.n = 0;
          }
        }
        if (this.rawN === 0) this.rawT0 = currentTime;
        this.raw.set(ch, this.rawN);
        this.rawN += ch.length;
        if (this.rawN + ch.length > this.raw.length) {
          const copy = this.raw.slice(0, this.rawN);
          this.port.postMessage({ t0: this.rawT0, raw: copy }, [copy.buffer]);
          this.rawN = 0;
        }
        return true;
      }
    }
    registerProcessor("wb-tap", Tap);`;
  let ready = null;
  function context() {
    if (!ready) {
      const ctx = new AudioContext();
      tap.rateHz = ctx.sampleRate;
      const url = URL.createObjectURL(new Blob([WORKLET], { type: "application/javascript" }));
      ready = ctx.audioWorklet.addModule(url).then(() => ctx);
    }
    return ready;
  }
  const keep = []; // nodes must stay referenced
  function record(ctx, node, list) {
    const worklet = new AudioWorkletNode(ctx, "wb-tap");
    const raw = [];
    rawByList.set(list, raw);
    worklet.port.onmessage = (e) => {
      const ts = ctx.getOutputTimestamp();
      const toPerf = (c) => ts.performanceTime + (c - ts.contextTime) * 1000;
      if (e.data.raw) {
        raw.push([toPerf(e.data.t0), e.data.raw]);
        return;
      }
      tap.outputLatencyMs = 1000 * (ctx.outputLatency || ctx.baseLatency || 0);
      list.push([toPerf(e.data[0]), e.data[1]]);
    };
    const mute = ctx.createGain();
    mute.gain.value = 0;
    node.connect(worklet).connect(mute).connect(ctx.destination);
    keep.push(node, worklet, mute);
  }
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await gum(constraints);
    tap.streams.push(stream); // to check that the page ends its capture tracks
    try {
      if (stream.getAudioTracks().length) {
        const ctx = await context();
        // One list per stream (pages may open the microphone more than once); tap.mic is
        // the newest.
        const list = [];
        tap.mics.push(list);
        tap.mic = list;
        record(ctx, ctx.createMediaStreamSource(stream), list);
      }
    } catch (err) {
      tap.errors.push("mic: " + err);
    }
    return stream;
  };
})();
