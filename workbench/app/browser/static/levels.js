// Pure helpers shared by the duplex page and the Gradio component: loudness in dBFS,
// meter widths and percentiles. No DOM, no audio graph.

/** A capture block louder than this (RMS, dBFS) counts as the user speaking. */
export const SPEECH_DBFS = -45;
/** A played block louder than this (RMS, dBFS) counts as audible reply audio. */
export const AUDIBLE_DBFS = -40;

/** Linear RMS or peak (0..1) -> dBFS (-Infinity for silence). */
export function toDb(x) {
  return x > 0 ? 20 * Math.log10(x) : -Infinity;
}

/** dBFS -> meter width in percent: -60 dBFS .. 0 dBFS maps to 0 .. 100. */
export function meterPercent(db) {
  if (!Number.isFinite(db)) return 0;
  return Math.max(0, Math.min(100, ((db + 60) / 60) * 100));
}

/** A dBFS reading as text, e.g. "-18.2 dBFS" or "–∞ dBFS". */
export function formatDb(db) {
  return Number.isFinite(db) ? `${db.toFixed(1)} dBFS` : "–∞ dBFS";
}

/** {n, p50, p90, p99} of a list of numbers (linear interpolation); {n: 0} when empty. */
export function percentiles(values) {
  if (!values.length) return { n: 0 };
  const s = [...values].sort((a, b) => a - b);
  const q = (p) => {
    const pos = ((s.length - 1) * p) / 100;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  };
  return { n: s.length, p50: q(50), p90: q(90), p99: q(99) };
}
