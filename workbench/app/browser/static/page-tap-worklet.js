// AudioWorklet processor "page-tap" (page-tap.js): watches one audio signal of a Gradio
// page on the audio clock, without changing it (its output is muted by the page).
//
// kind "mic": posts {voicedEnd} — the context time of the end of the last 128-sample
//   block louder than `thresholdDbfs` — when a voiced stretch ends (and every ~40 ms
//   while it lasts), so the page knows the last voiced microphone sample.
// kind "out": after {type: "watch"}, posts {audibleAt} — the context time of the first
//   block louder than `thresholdDbfs` — once; the page sends "watch" when a reply starts.
// raw (diagnostics and tests): also posts {raw: Float32Array, t0} every ~170 ms.

const POST_EVERY_BLOCKS = 8;

class PageTap extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const opts = (options && options.processorOptions) || {};
    this.kind = opts.kind;
    this.threshold = Math.pow(10, opts.thresholdDbfs / 20);
    this.voicedEnd = null;
    this.sincePost = 0;
    this.watching = false;
    this.raw = opts.raw ? new Float32Array(8192) : null;
    this.rawN = 0;
    this.rawT0 = 0;
    this.port.onmessage = (e) => {
      if (e.data && e.data.type === "watch") this.watching = true;
    };
  }

  process(inputs) {
    const ch = inputs[0] && inputs[0][0];
    if (!ch) return true;
    let sum = 0;
    for (let i = 0; i < ch.length; i++) sum += ch[i] * ch[i];
    const loud = Math.sqrt(sum / ch.length) > this.threshold;
    if (this.kind === "mic") {
      if (loud) {
        this.voicedEnd = currentTime + ch.length / sampleRate;
        if (++this.sincePost >= POST_EVERY_BLOCKS) this.post();
      } else if (this.voicedEnd !== null) {
        this.post();
        this.voicedEnd = null;
      }
    } else if (this.watching && loud) {
      this.watching = false;
      this.port.postMessage({ audibleAt: currentTime });
    }
    if (this.raw) this.keepRaw(ch);
    return true;
  }

  post() {
    this.port.postMessage({ voicedEnd: this.voicedEnd });
    this.sincePost = 0;
  }

  keepRaw(ch) {
    if (this.rawN === 0) this.rawT0 = currentTime;
    this.raw.set(ch, this.rawN);
    this.rawN += ch.length;
    if (this.rawN + ch.length > this.raw.length) {
      const copy = this.raw.slice(0, this.rawN);
      this.port.postMessage({ raw: copy, t0: this.rawT0 }, [copy.buffer]);
      this.rawN = 0;
    }
  }
}

registerProcessor("page-tap", PageTap);
