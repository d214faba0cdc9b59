// AudioWorklet processor "pcm-playback": jitter-buffered playback of the model's
// PCM16 24 kHz audio at whatever rate the AudioContext runs.
//
// The main thread posts {type:"item", itemId} before each new assistant item and
// {type:"pcm", pcm:ArrayBuffer(Int16 24 kHz)} as audio arrives. Samples go into one
// ring buffer indexed by absolute 24 kHz sample number; the read position advances by
// 24000/sampleRate per output sample and reads with 4-point cubic (Catmull-Rom)
// interpolation, so a 44.1/48 kHz context gets a continuous resample with no
// per-chunk edges (a 24 kHz context simply reads sample by sample).
//
// Jitter buffer, a cushion in time rather than in samples: an item starts playing
// `cushionMs` after its first audio arrived, at once when a burst has queued more than
// its largest chunk plus the cushion (a source faster than real time), or when the turn
// is over. For a source that paces its chunks in real time the cushion is what is left
// in the buffer when the next chunk is due, so it only has to cover how late chunks come
// relative to their real-time schedule ("lateness", measured here on the audio clock
// from the item's first chunk). Each new item's cushion is the previous item's largest
// lateness + 10 ms, or half the previous cushion if that is more (a spike is forgotten
// over a few replies rather than at once), 10..300 ms; within an item it rises at once
// when a chunk comes later than it allows. The first item, with no history yet, waits
// `prebufferMs`. After an underrun,
// playback resumes one cushion after audio is there again. (A buffer that only counts
// queued samples either starves at every chunk boundary of a real-time source or, once
// grown past a chunk, adds a whole chunk of latency to every later reply.)
//
// The processor reports where the listener is: {type:"position", itemId, playedMs}
// about every 50 ms (the page forwards it to the server, which truncates at that
// point on barge-in), {type:"item_started"} at the first sample of an item,
// {type:"item_audible"} at its first 128-sample block louder than `audibleDbfs`, and the
// output level for the meter. {type:"flush"} drops everything (barge-in) and answers
// {type:"flushed", itemId, playedMs}: exactly how much of the item was played.

const IN_RATE_HZ = 24000;
const CAPACITY = IN_RATE_HZ * 120; // 2 minutes of queued audio
const MIN_CUSHION_MS = 10;
const MAX_CUSHION_MS = 300;
const CUSHION_MARGIN_MS = 10;
const CUSHION_RELEASE = 0.5; // per item: how fast a lateness spike is forgotten

class PcmPlayback extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const opts = (options && options.processorOptions) || {};
    // The page always passes prebufferMs (DEFAULT_SETTINGS in realtime-client.js).
    this.cushionMs = clampCushion(opts.prebufferMs);
    this.lastLateMs = null; // the previous item's largest lateness (ms)
    this.arrival = null; // this item's {firstCtx, receivedMs, maxLateMs}
    this.waitSince = null; // context time audio has been waiting to (re)start playback
    this.tap = !!opts.tap;
    this.audibleRms = Math.pow(10, (opts.audibleDbfs === undefined ? -40 : opts.audibleDbfs) / 20);
    this.ring = new Float32Array(CAPACITY);
    this.writeAbs = 0; // next absolute 24 kHz sample index to write
    this.readPos = 0; // absolute fractional read position
    this.step = IN_RATE_HZ / sampleRate;
    this.items = []; // {id, start, end, started}
    this.playing = false;
    this.draining = false;
    this.underruns = 0;
    this.maxChunkMs = 0;
    this.reportEvery = Math.round(sampleRate * 0.05);
    this.sinceReport = 0;
    this.levelSum = 0;
    this.levelPeak = 0;
    this.levelN = 0;
    this.tapBuf = this.tap ? new Float32Array(4096) : null;
    this.tapN = 0;
    this.tapStart = 0;
    this.port.onmessage = (event) => this.onMessage(event.data);
  }

  onMessage(msg) {
    switch (msg.type) {
      case "item": {
        const last = this.items[this.items.length - 1];
        if (last && last.end === Infinity) last.end = this.writeAbs;
        this.items.push({ id: msg.itemId, start: this.writeAbs, end: Infinity, started: false, audible: false });
        this.draining = false;
        this.closeArrival();
        break;
      }
      case "pcm": {
        const pcm = new Int16Array(msg.pcm);
        if (this.items.length === 0) {
          this.items.push({ id: msg.itemId || null, start: this.writeAbs, end: Infinity, started: false, audible: false });
        }
        if (this.writeAbs + pcm.length - this.readPos > CAPACITY) {
          this.readPos = this.writeAbs + pcm.length - CAPACITY; // overflow: drop oldest
        }
        for (let i = 0; i < pcm.length; i++) {
          this.ring[(this.writeAbs + i) % CAPACITY] = pcm[i] / 32768;
        }
        this.writeAbs += pcm.length;
        const chunkMs = (pcm.length / IN_RATE_HZ) * 1000;
        this.maxChunkMs = Math.max(this.maxChunkMs, chunkMs);
        this.arrived(chunkMs);
        this.draining = false;
        break;
      }
      case "drain":
        this.draining = true; // the turn is over: play out what is queued, no prebuffer
        this.closeArrival();
        break;
      case "flush": {
        const pos = this.position();
        this.readPos = this.writeAbs;
        this.items = [];
        this.playing = false;
        this.draining = false;
        this.waitSince = null;
        this.closeArrival();
        this.port.postMessage({ type: "flushed", itemId: pos.itemId, playedMs: pos.playedMs });
        break;
      }
      case "prebuffer":
        this.cushionMs = clampCushion(msg.ms);
        break;
    }
  }

  arrived(chunkMs) {
    const now = currentTime;
    const a = this.arrival;
    if (a === null) {
      // A new item: its cushion comes from how late the last items' chunks were.
      if (this.lastLateMs !== null) {
        this.cushionMs = clampCushion(
          Math.max(this.lastLateMs + CUSHION_MARGIN_MS, CUSHION_RELEASE * this.cushionMs),
        );
      }
      this.arrival = { firstCtx: now, receivedMs: chunkMs, maxLateMs: 0 };
    } else {
      const lateMs = (now - a.firstCtx) * 1000 - a.receivedMs;
      if (lateMs > a.maxLateMs) a.maxLateMs = lateMs;
      if (lateMs + CUSHION_MARGIN_MS > this.cushionMs) this.cushionMs = clampCushion(lateMs + CUSHION_MARGIN_MS);
      a.receivedMs += chunkMs;
    }
    if (!this.playing && this.waitSince === null) this.waitSince = now;
  }

  closeArrival() {
    if (this.arrival === null) return;
    this.lastLateMs = this.arrival.maxLateMs;
    this.arrival = null;
  }

  sample(abs) {
    // Clamp at the write edge so the last samples of a drained turn still play.
    const i = abs < this.writeAbs ? abs : this.writeAbs - 1;
    return this.ring[((i % CAPACITY) + CAPACITY) % CAPACITY];
  }

  currentItem() {
    while (this.items.length > 1 && this.readPos >= this.items[1].start) {
      this.items.shift();
    }
    return this.items[0];
  }

  process(_inputs, outputs) {
    const out = outputs[0];
    const n = out[0].length;
    const ch0 = out[0];
    if (!this.playing && this.writeAbs - this.readPos > 1) {
      const queuedMs = ((this.writeAbs - this.readPos) / IN_RATE_HZ) * 1000;
      const waitedMs = this.waitSince === null ? 0 : (currentTime - this.waitSince) * 1000;
      if (this.draining || waitedMs >= this.cushionMs || queuedMs >= this.maxChunkMs + this.cushionMs) {
        this.playing = true;
        this.waitSince = null;
      }
    }
    for (let k = 0; k < n; k++) {
      let y = 0;
      if (this.playing) {
        const limit = this.draining ? this.writeAbs - 1 : this.writeAbs - 2;
        if (this.readPos >= limit) {
          this.playing = false;
          this.waitSince = null; // restart one cushion after audio is there again
          if (!this.draining) {
            this.underruns += 1;
            this.port.postMessage({ type: "underrun", count: this.underruns, targetMs: this.cushionMs });
          } else {
            this.readPos = this.writeAbs;
            this.port.postMessage({ type: "drained" });
          }
        } else {
          const item = this.currentItem();
          if (item && !item.started && this.readPos >= item.start) {
            item.started = true;
            this.port.postMessage({
              type: "item_started", itemId: item.id, ctxTime: currentTime + k / sampleRate,
              targetMs: this.cushionMs,
            });
          }
          const i = Math.floor(this.readPos);
          const t = this.readPos - i;
          const p0 = this.sample(i > 0 ? i - 1 : 0);
          const p1 = this.sample(i);
          const p2 = this.sample(i + 1);
          const p3 = this.sample(i + 2);
          // Catmull-Rom cubic through p1..p2
          y = p1 + 0.5 * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3 + t * (3 * (p1 - p2) + p3 - p0)));
          this.readPos += this.step;
        }
      }
      ch0[k] = y;
      this.levelSum += y * y;
      const a = y < 0 ? -y : y;
      if (a > this.levelPeak) this.levelPeak = a;
      this.levelN += 1;
    }
    this.checkAudible(ch0);
    for (let c = 1; c < out.length; c++) out[c].set(ch0);
    if (this.tap) this.tapSamples(ch0);
    this.sinceReport += n;
    if (this.sinceReport >= this.reportEvery) this.report();
    return true;
  }

  checkAudible(block) {
    // First block of the current item louder than the threshold: what a listener hears
    // as the reply's onset (a reply may begin with near-silence).
    const item = this.items.length ? this.items[0] : null;
    if (!item || !item.started || item.audible) return;
    let sum = 0;
    for (let k = 0; k < block.length; k++) sum += block[k] * block[k];
    if (Math.sqrt(sum / block.length) > this.audibleRms) {
      item.audible = true;
      this.port.postMessage({ type: "item_audible", itemId: item.id, ctxTime: currentTime });
    }
  }

  position() {
    // {itemId, playedMs}: how far into the current item the listener is (ms).
    const item = this.items.length ? this.currentItem() : null;
    let playedMs = null;
    if (item) {
      const pos = Math.min(this.readPos, item.end);
      playedMs = item.started ? Math.max(0, ((pos - item.start) / IN_RATE_HZ) * 1000) : 0;
    }
    return { itemId: item ? item.id : null, playedMs };
  }

  report() {
    const item = this.items.length ? this.currentItem() : null;
    const pos = this.position();
    this.port.postMessage({
      type: "position",
      itemId: pos.itemId,
      playedMs: item && item.started ? pos.playedMs : null,
      playing: this.playing,
      queuedMs: ((this.writeAbs - this.readPos) / IN_RATE_HZ) * 1000,
      rms: Math.sqrt(this.levelSum / Math.max(1, this.levelN)),
      peak: this.levelPeak,
      ctxTime: currentTime,
    });
    this.sinceReport = 0;
    this.levelSum = 0;
    this.levelPeak = 0;
    this.levelN = 0;
  }

  tapSamples(block) {
    // Test and diagnostics hook (?tap=1): copies of exactly what was played.
    if (this.tapN === 0) this.tapStart = currentTime;
    this.tapBuf.set(block, this.tapN);
    this.tapN += block.length;
    if (this.tapN + block.length > this.tapBuf.length) {
      const copy = this.tapBuf.slice(0, this.tapN);
      this.port.postMessage({ type: "tap", samples: copy, ctxTime: this.tapStart }, [copy.buffer]);
      this.tapN = 0;
    }
  }
}

registerProcessor("pcm-playback", PcmPlayback);

function clampCushion(ms) {
  return Math.max(MIN_CUSHION_MS, Math.min(MAX_CUSHION_MS, Number(ms) || 0));
}
