// Test-only init script: records what the microphone delivers to the page and what the
// page's <audio> elements actually play. The taps are AudioWorklets (audio thread, so a
// busy page cannot make them drop blocks); each posts [t_ms, rms] per 256 samples, with
// t_ms on the performance.now() clock, mapped from the audio clock.
// window.__wbTap holds: mics (one list of [t_ms, rms] per microphone stream), mic (the
// newest), out (everything <audio> played), media (element events), errors.
(() => {
  const SUB = 256;
  const tap = (window.__wbTap = {
    mic: [], mics: [], out: [], media: [], errors: [], rateHz: null, outputLatencyMs: 0,
  });
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
      constructor() { super(); this.sum = 0; this.n = 0; this.t0 = 0; }
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
    worklet.port.onmessage = (e) => {
      const ts = ctx.getOutputTimestamp();
      const t = ts.performanceTime + (e.data[0] - ts.contextTime) * 1000;
      tap.outputLatencyMs = 1000 * (ctx.outputLatency || ctx.baseLatency || 0);
      list.push([t, e.data[1]]);
    };
    const mute = ctx.createGain();
    mute.gain.value = 0;
    node.connect(worklet).connect(mute).connect(ctx.destination);
    keep.push(node, worklet, mute);
  }
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await gum(constraints);
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
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (...args) {
    if (!this.__wbTapped) {
      this.__wbTapped = true;
      const element = this;
      context().then((ctx) => {
        const src = ctx.createMediaElementSource(element);
        src.connect(ctx.destination);
        record(ctx, src, tap.out);
      }).catch((err) => tap.errors.push("out: " + err));
    }
    return play.apply(this, args);
  };
})();
