// AudioWorklet processor "pcm-capture": microphone -> PCM16 LE mono frames.
//
// Runs on the audio rendering thread. Mixes the input to mono, converts to 16-bit
// integers and posts one frame of `frameMs` at the context's own sample rate (the
// page declares that rate to the server, which resamples; resampling here would add
// a second, worse resampler). Each frame carries its RMS/peak (for the input meter
// and the page's local end-of-speech estimate) and the context time at which the
// frame's last sample was captured, so the page can measure mic-to-speaker latency
// on the audio clock rather than on message-arrival time. For that measurement each
// frame also says where the voice in it ended (`voicedEnd`: the context time of the end
// of the last 128-sample render block louder than `voiceDbfs`), a few ms of resolution
// instead of a whole frame; null when the frame carries no voice.

class PcmCapture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const opts = (options && options.processorOptions) || {};
    // The page always passes frameMs (DEFAULT_SETTINGS.captureFrameMs in realtime-client.js).
    this.chunkSamples = Math.max(32, Math.round((sampleRate * opts.frameMs) / 1000));
    this.frame = new Int16Array(this.chunkSamples);
    this.filled = 0;
    this.sumSquares = 0;
    this.peak = 0;
    this.voiceRms = Math.pow(10, (opts.voiceDbfs === undefined ? -45 : opts.voiceDbfs) / 20);
    this.voicedEnd = null;
    this.enabled = true;
    this.port.onmessage = (event) => {
      if (event.data && event.data.type === "enable") this.enabled = !!event.data.value;
    };
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0 || !this.enabled) return true;
    const channels = input.length;
    const n = input[0].length;
    let blockSquares = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < channels; c++) s += input[c][i];
      s /= channels;
      if (s > 1) s = 1;
      else if (s < -1) s = -1;
      this.sumSquares += s * s;
      blockSquares += s * s;
      const a = s < 0 ? -s : s;
      if (a > this.peak) this.peak = a;
      this.frame[this.filled++] = s < 0 ? Math.round(s * 32768) : Math.round(s * 32767);
      if (this.filled === this.chunkSamples) {
        // currentTime is the time of the block's first sample; this frame ends at i.
        const endTime = currentTime + (i + 1) / sampleRate;
        this.flush(endTime);
      }
    }
    // The block's voice end rides with the next frame posted (only its value matters:
    // it is a context time, read when the reply starts playing).
    if (Math.sqrt(blockSquares / n) > this.voiceRms) {
      this.voicedEnd = currentTime + n / sampleRate;
    }
    return true;
  }

  flush(endTime) {
    const rms = Math.sqrt(this.sumSquares / this.chunkSamples);
    const buffer = this.frame.buffer;
    this.port.postMessage(
      { type: "frame", pcm: buffer, rms: rms, peak: this.peak, endTime: endTime, voicedEnd: this.voicedEnd },
      [buffer],
    );
    this.frame = new Int16Array(this.chunkSamples);
    this.filled = 0;
    this.sumSquares = 0;
    this.peak = 0;
    this.voicedEnd = null; // reported once
  }
}

registerProcessor("pcm-capture", PcmCapture);
