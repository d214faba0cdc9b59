import { i as De, g as Fe, o as pt, a as mt, b as _t, T as bt, c as vt, d as q, e as ae, r as ce, f as K, p as ue, h as j, m as gt, s as We, j as qe, u as W, k as V, l as Ye, E as yt, n as h, q as Ae, t as kt, v as Mt, w as Te, x as wt, y as St, z as xt, A as he, B as D, I as se, C as At, D as Tt, L as It, N as Pt, F as Et, G as Ct, H as Rt, J as Nt, S as Lt, K as Ot, M as Ht, O as $t, P as N, Q as oe, R as x, U as Ut, V as $, W as zt, X as w, Y as Bt, Z as T, _ as C, $ as Ie } from "./render-BJ5-vMyo.js";
function Ge(n) {
  throw new Error("https://svelte.dev/e/lifecycle_outside_component");
}
const Dt = [];
function Ft(n, e = !1, s = !1) {
  return Q(n, /* @__PURE__ */ new Map(), "", Dt, null, s);
}
function Q(n, e, s, t, i = null, r = !1) {
  if (typeof n == "object" && n !== null) {
    var l = e.get(n);
    if (l !== void 0) return l;
    if (n instanceof Map) return (
      /** @type {Snapshot<T>} */
      new Map(n)
    );
    if (n instanceof Set) return (
      /** @type {Snapshot<T>} */
      new Set(n)
    );
    if (De(n)) {
      var a = (
        /** @type {Snapshot<any>} */
        Array(n.length)
      );
      e.set(n, a), i !== null && e.set(i, a);
      for (var c = 0; c < n.length; c += 1) {
        var u = n[c];
        c in n && (a[c] = Q(u, e, s, t, null, r));
      }
      return a;
    }
    if (Fe(n) === pt) {
      a = {}, e.set(n, a), i !== null && e.set(i, a);
      for (var p in n)
        a[p] = Q(
          // @ts-expect-error
          n[p],
          e,
          s,
          t,
          null,
          r
        );
      return a;
    }
    if (n instanceof Date)
      return (
        /** @type {Snapshot<T>} */
        structuredClone(n)
      );
    if (typeof /** @type {T & { toJSON?: any } } */
    n.toJSON == "function" && !r)
      return Q(
        /** @type {T & { toJSON(): any } } */
        n.toJSON(),
        e,
        s,
        t,
        // Associate the instance with the toJSON clone
        n
      );
  }
  if (n instanceof EventTarget)
    return (
      /** @type {Snapshot<T>} */
      n
    );
  try {
    return (
      /** @type {Snapshot<T>} */
      structuredClone(n)
    );
  } catch {
    return (
      /** @type {Snapshot<T>} */
      n
    );
  }
}
function Wt(n) {
  var e = document.createElement("template");
  return e.innerHTML = n.replaceAll("<!>", "<!---->"), e.content;
}
function Je(n, e) {
  var s = (
    /** @type {Effect} */
    vt
  );
  s.nodes === null && (s.nodes = { start: n, end: e, a: null, t: null });
}
// @__NO_SIDE_EFFECTS__
function L(n, e) {
  var s = (e & bt) !== 0, t, i = !n.startsWith("<!>");
  return () => {
    t === void 0 && (t = Wt(i ? n : "<!>" + n), t = /** @type {TemplateNode} */
    mt(t));
    var r = (
      /** @type {TemplateNode} */
      s || _t ? document.importNode(t, !0) : t.cloneNode(!0)
    );
    return Je(r, r), r;
  };
}
function qt(n = "") {
  {
    var e = q(n + "");
    return Je(e, e), e;
  }
}
function R(n, e) {
  n !== null && n.before(
    /** @type {Node} */
    e
  );
}
class Yt {
  /** @type {TemplateNode} */
  anchor;
  /** @type {Map<Batch, Key>} */
  #t = /* @__PURE__ */ new Map();
  /**
   * Map of keys to effects that are currently rendered in the DOM.
   * These effects are visible and actively part of the document tree.
   * Example:
   * ```
   * {#if condition}
   * 	foo
   * {:else}
   * 	bar
   * {/if}
   * ```
   * Can result in the entries `true->Effect` and `false->Effect`
   * @type {Map<Key, Effect>}
   */
  #s = /* @__PURE__ */ new Map();
  /**
   * Similar to #onscreen with respect to the keys, but contains branches that are not yet
   * in the DOM, because their insertion is deferred.
   * @type {Map<Key, Branch>}
   */
  #e = /* @__PURE__ */ new Map();
  /**
   * Keys of effects that are currently outroing
   * @type {Set<Key>}
   */
  #n = /* @__PURE__ */ new Set();
  /**
   * Whether to pause (i.e. outro) on change, or destroy immediately.
   * This is necessary for `<svelte:element>`
   */
  #i = !0;
  /**
   * @param {TemplateNode} anchor
   * @param {boolean} transition
   */
  constructor(e, s = !0) {
    this.anchor = e, this.#i = s;
  }
  #r = () => {
    var e = (
      /** @type {Batch} */
      ae
    );
    if (this.#t.has(e)) {
      var s = (
        /** @type {Key} */
        this.#t.get(e)
      ), t = this.#s.get(s);
      if (t)
        ce(t), this.#n.delete(s);
      else {
        var i = this.#e.get(s);
        i && (this.#s.set(s, i.effect), this.#e.delete(s), i.fragment.lastChild.remove(), this.anchor.before(i.fragment), t = i.effect);
      }
      for (const [r, l] of this.#t) {
        if (this.#t.delete(r), r === e)
          break;
        const a = this.#e.get(l);
        a && (K(a.effect), this.#e.delete(l));
      }
      for (const [r, l] of this.#s) {
        if (r === s || this.#n.has(r)) continue;
        const a = () => {
          if (Array.from(this.#t.values()).includes(r)) {
            var u = document.createDocumentFragment();
            gt(l, u), u.append(q()), this.#e.set(r, { effect: l, fragment: u });
          } else
            K(l);
          this.#n.delete(r), this.#s.delete(r);
        };
        this.#i || !t ? (this.#n.add(r), ue(l, a, !1)) : a();
      }
    }
  };
  /**
   * @param {Batch} batch
   */
  #a = (e) => {
    this.#t.delete(e);
    const s = Array.from(this.#t.values());
    for (const [t, i] of this.#e)
      s.includes(t) || (K(i.effect), this.#e.delete(t));
  };
  /**
   *
   * @param {any} key
   * @param {null | ((target: TemplateNode) => void)} fn
   */
  ensure(e, s) {
    var t = (
      /** @type {Batch} */
      ae
    ), i = We();
    if (s && !this.#s.has(e) && !this.#e.has(e))
      if (i) {
        var r = document.createDocumentFragment(), l = q();
        r.append(l), this.#e.set(e, {
          effect: j(() => s(l)),
          fragment: r
        });
      } else
        this.#s.set(
          e,
          j(() => s(this.anchor))
        );
    if (this.#t.set(t, e), i) {
      for (const [a, c] of this.#s)
        a === e ? t.skipped_effects.delete(c) : t.skipped_effects.add(c);
      for (const [a, c] of this.#e)
        a === e ? t.skipped_effects.delete(c.effect) : t.skipped_effects.add(c.effect);
      t.oncommit(this.#r), t.ondiscard(this.#a);
    } else
      this.#r();
  }
}
function Gt(n) {
  qe === null && Ge(), W(() => {
    const e = V(n);
    if (typeof e == "function") return (
      /** @type {() => void} */
      e
    );
  });
}
function Jt(n) {
  qe === null && Ge(), Gt(() => () => V(n));
}
function U(n, e, s = !1) {
  var t = new Yt(n), i = s ? yt : 0;
  function r(l, a) {
    t.ensure(l, a);
  }
  Ye(() => {
    var l = !1;
    e((a, c = !0) => {
      l = !0, r(c, a);
    }), l || r(!1, null);
  }, i);
}
function jt(n, e, s) {
  for (var t = [], i = e.length, r, l = e.length, a = 0; a < i; a++) {
    let m = e[a];
    ue(
      m,
      () => {
        if (r) {
          if (r.pending.delete(m), r.done.add(m), r.pending.size === 0) {
            var b = (
              /** @type {Set<EachOutroGroup>} */
              n.outrogroups
            );
            le(he(r.done)), b.delete(r), b.size === 0 && (n.outrogroups = null);
          }
        } else
          l -= 1;
      },
      !1
    );
  }
  if (l === 0) {
    var c = t.length === 0 && s !== null;
    if (c) {
      var u = (
        /** @type {Element} */
        s
      ), p = (
        /** @type {Element} */
        u.parentNode
      );
      At(p), p.append(u), n.items.clear();
    }
    le(e, !c);
  } else
    r = {
      pending: new Set(e),
      done: /* @__PURE__ */ new Set()
    }, (n.outrogroups ??= /* @__PURE__ */ new Set()).add(r);
}
function le(n, e = !0) {
  for (var s = 0; s < n.length; s++)
    K(n[s], e);
}
var Pe;
function Vt(n, e, s, t, i, r = null) {
  var l = n, a = /* @__PURE__ */ new Map();
  {
    var c = (
      /** @type {Element} */
      n
    );
    l = c.appendChild(q());
  }
  var u = null, p = kt(() => {
    var y = s();
    return De(y) ? y : y == null ? [] : he(y);
  }), m, b = !0;
  function O() {
    v.fallback = u, Xt(v, m, l, e, t), u !== null && (m.length === 0 ? (u.f & D) === 0 ? ce(u) : (u.f ^= D, J(u, null, l)) : ue(u, () => {
      u = null;
    }));
  }
  var d = Ye(() => {
    m = /** @type {V[]} */
    h(p);
    for (var y = m.length, E = /* @__PURE__ */ new Set(), S = (
      /** @type {Batch} */
      ae
    ), F = We(), A = 0; A < y; A += 1) {
      var I = m[A], H = t(I, A), k = b ? null : a.get(H);
      k ? (k.v && Ae(k.v, I), k.i && Ae(k.i, A), F && S.skipped_effects.delete(k.e)) : (k = Zt(
        a,
        b ? l : Pe ??= q(),
        I,
        H,
        A,
        i,
        e,
        s
      ), b || (k.e.f |= D), a.set(H, k)), E.add(H);
    }
    if (y === 0 && r && !u && (b ? u = j(() => r(l)) : (u = j(() => r(Pe ??= q())), u.f |= D)), !b)
      if (F) {
        for (const [M, X] of a)
          E.has(M) || S.skipped_effects.add(X.e);
        S.oncommit(O), S.ondiscard(() => {
        });
      } else
        O();
    h(p);
  }), v = { effect: d, items: a, outrogroups: null, fallback: u };
  b = !1;
}
function Xt(n, e, s, t, i) {
  var r = e.length, l = n.items, a = n.effect.first, c, u = null, p = [], m = [], b, O, d, v;
  for (v = 0; v < r; v += 1) {
    if (b = e[v], O = i(b, v), d = /** @type {EachItem} */
    l.get(O).e, n.outrogroups !== null)
      for (const M of n.outrogroups)
        M.pending.delete(d), M.done.delete(d);
    if ((d.f & D) !== 0)
      if (d.f ^= D, d === a)
        J(d, null, s);
      else {
        var y = u ? u.next : a;
        d === n.effect.last && (n.effect.last = d.prev), d.prev && (d.prev.next = d.next), d.next && (d.next.prev = d.prev), z(n, u, d), z(n, d, y), J(d, y, s), u = d, p = [], m = [], a = u.next;
        continue;
      }
    if ((d.f & se) !== 0 && ce(d), d !== a) {
      if (c !== void 0 && c.has(d)) {
        if (p.length < m.length) {
          var E = m[0], S;
          u = E.prev;
          var F = p[0], A = p[p.length - 1];
          for (S = 0; S < p.length; S += 1)
            J(p[S], E, s);
          for (S = 0; S < m.length; S += 1)
            c.delete(m[S]);
          z(n, F.prev, A.next), z(n, u, F), z(n, A, E), a = E, u = A, v -= 1, p = [], m = [];
        } else
          c.delete(d), J(d, a, s), z(n, d.prev, d.next), z(n, d, u === null ? n.effect.first : u.next), z(n, u, d), u = d;
        continue;
      }
      for (p = [], m = []; a !== null && a !== d; )
        (c ??= /* @__PURE__ */ new Set()).add(a), m.push(a), a = a.next;
      if (a === null)
        continue;
    }
    (d.f & D) === 0 && p.push(d), u = d, a = d.next;
  }
  if (n.outrogroups !== null) {
    for (const M of n.outrogroups)
      M.pending.size === 0 && (le(he(M.done)), n.outrogroups?.delete(M));
    n.outrogroups.size === 0 && (n.outrogroups = null);
  }
  if (a !== null || c !== void 0) {
    var I = [];
    if (c !== void 0)
      for (d of c)
        (d.f & se) === 0 && I.push(d);
    for (; a !== null; )
      (a.f & se) === 0 && a !== n.fallback && I.push(a), a = a.next;
    var H = I.length;
    if (H > 0) {
      var k = r === 0 ? s : null;
      jt(n, I, k);
    }
  }
}
function Zt(n, e, s, t, i, r, l, a) {
  var c = (l & wt) !== 0 ? (l & St) === 0 ? xt(s, !1, !1) : Te(s) : null, u = (l & Mt) !== 0 ? Te(i) : null;
  return {
    v: c,
    i: u,
    e: j(() => (r(e, c ?? s, u ?? i, a), () => {
      n.delete(t);
    }))
  };
}
function J(n, e, s) {
  if (n.nodes)
    for (var t = n.nodes.start, i = n.nodes.end, r = e && (e.f & D) === 0 ? (
      /** @type {EffectNodes} */
      e.nodes.start
    ) : s; t !== null; ) {
      var l = (
        /** @type {TemplateNode} */
        Tt(t)
      );
      if (r.before(t), t === i)
        return;
      t = l;
    }
}
function z(n, e, s) {
  e === null ? n.effect.first = s : e.next = s, s === null ? n.effect.last = e : s.prev = e;
}
const Ee = [...` 	
\r\f \v\uFEFF`];
function Kt(n, e, s) {
  var t = n == null ? "" : "" + n;
  if (e && (t = t ? t + " " + e : e), s) {
    for (var i in s)
      if (s[i])
        t = t ? t + " " + i : i;
      else if (t.length)
        for (var r = i.length, l = 0; (l = t.indexOf(i, l)) >= 0; ) {
          var a = l + r;
          (l === 0 || Ee.includes(t[l - 1])) && (a === t.length || Ee.includes(t[a])) ? t = (l === 0 ? "" : t.substring(0, l)) + t.substring(a + 1) : l = a;
        }
  }
  return t === "" ? null : t;
}
function Ce(n, e = !1) {
  var s = e ? " !important;" : ";", t = "";
  for (var i in n) {
    var r = n[i];
    r != null && r !== "" && (t += " " + i + ": " + r + s);
  }
  return t;
}
function Qt(n, e) {
  if (e) {
    var s = "", t, i;
    return Array.isArray(e) ? (t = e[0], i = e[1]) : t = e, t && (s += Ce(t)), i && (s += Ce(i, !0)), s = s.trim(), s === "" ? null : s;
  }
  return String(n);
}
function ne(n, e, s, t, i, r) {
  var l = n.__className;
  if (l !== s || l === void 0) {
    var a = Kt(s, t, r);
    a == null ? n.removeAttribute("class") : n.className = a, n.__className = s;
  } else if (r && i !== r)
    for (var c in r) {
      var u = !!r[c];
      (i == null || u !== !!i[c]) && n.classList.toggle(c, u);
    }
  return r;
}
function ie(n, e = {}, s, t) {
  for (var i in s) {
    var r = s[i];
    e[i] !== r && (s[i] == null ? n.style.removeProperty(i) : n.style.setProperty(i, r, t));
  }
}
function re(n, e, s, t) {
  var i = n.__style;
  if (i !== e) {
    var r = Qt(e, t);
    r == null ? n.removeAttribute("style") : n.style.cssText = r, n.__style = e;
  } else t && (Array.isArray(t) ? (ie(n, s?.[0], t[0]), ie(n, s?.[1], t[1], "important")) : ie(n, s, t));
  return t;
}
const es = /* @__PURE__ */ Symbol("is custom element"), ts = /* @__PURE__ */ Symbol("is html");
function Re(n, e, s, t) {
  var i = ss(n);
  i[e] !== (i[e] = s) && (e === "loading" && (n[It] = s), s == null ? n.removeAttribute(e) : typeof s != "string" && ns(n).includes(e) ? n[e] = s : n.setAttribute(e, s));
}
function ss(n) {
  return (
    /** @type {Record<string | symbol, unknown>} **/
    // @ts-expect-error
    n.__attributes ??= {
      [es]: n.nodeName.includes("-"),
      [ts]: n.namespaceURI === Pt
    }
  );
}
var Ne = /* @__PURE__ */ new Map();
function ns(n) {
  var e = n.getAttribute("is") || n.nodeName, s = Ne.get(e);
  if (s) return s;
  Ne.set(e, s = []);
  for (var t, i = n, r = Element.prototype; r !== i; ) {
    t = Et(i);
    for (var l in t)
      t[l].set && s.push(l);
    i = Fe(i);
  }
  return s;
}
function Le(n, e) {
  return n === e || n?.[Lt] === e;
}
function is(n = {}, e, s, t) {
  return Ct(() => {
    var i, r;
    return Rt(() => {
      i = r, r = [], V(() => {
        n !== s(...r) && (e(n, ...r), i && Le(s(...i), n) && e(null, ...i));
      });
    }), () => {
      Nt(() => {
        r && Le(s(...r), n) && e(null, ...r);
      });
    };
  }), n;
}
function rs(n, e, s) {
  if (n == null)
    return e(void 0), Ot;
  const t = V(
    () => n.subscribe(
      e,
      // @ts-expect-error
      s
    )
  );
  return t.unsubscribe ? () => t.unsubscribe() : t;
}
function as(n) {
  let e;
  return rs(n, (s) => e = s)(), e;
}
const os = {
  get(n, e) {
    if (!n.exclude.includes(e))
      return n.props[e];
  },
  set(n, e) {
    return !1;
  },
  getOwnPropertyDescriptor(n, e) {
    if (!n.exclude.includes(e) && e in n.props)
      return {
        enumerable: !0,
        configurable: !0,
        value: n.props[e]
      };
  },
  has(n, e) {
    return n.exclude.includes(e) ? !1 : e in n.props;
  },
  ownKeys(n) {
    return Reflect.ownKeys(n.props).filter((e) => !n.exclude.includes(e));
  }
};
// @__NO_SIDE_EFFECTS__
function ls(n, e, s) {
  return new Proxy(
    { props: n, exclude: e },
    os
  );
}
const cs = [
  { color: "red", primary: 600, secondary: 100 },
  { color: "green", primary: 600, secondary: 100 },
  { color: "blue", primary: 600, secondary: 100 },
  { color: "yellow", primary: 500, secondary: 100 },
  { color: "purple", primary: 600, secondary: 100 },
  { color: "teal", primary: 600, secondary: 100 },
  { color: "orange", primary: 600, secondary: 100 },
  { color: "cyan", primary: 600, secondary: 100 },
  { color: "lime", primary: 500, secondary: 100 },
  { color: "pink", primary: 600, secondary: 100 }
], Oe = {
  inherit: "inherit",
  current: "currentColor",
  transparent: "transparent",
  black: "#000",
  white: "#fff",
  slate: {
    50: "#f8fafc",
    100: "#f1f5f9",
    200: "#e2e8f0",
    300: "#cbd5e1",
    400: "#94a3b8",
    500: "#64748b",
    600: "#475569",
    700: "#334155",
    800: "#1e293b",
    900: "#0f172a",
    950: "#020617"
  },
  gray: {
    50: "#f9fafb",
    100: "#f3f4f6",
    200: "#e5e7eb",
    300: "#d1d5db",
    400: "#9ca3af",
    500: "#6b7280",
    600: "#4b5563",
    700: "#374151",
    800: "#1f2937",
    900: "#111827",
    950: "#030712"
  },
  zinc: {
    50: "#fafafa",
    100: "#f4f4f5",
    200: "#e4e4e7",
    300: "#d4d4d8",
    400: "#a1a1aa",
    500: "#71717a",
    600: "#52525b",
    700: "#3f3f46",
    800: "#27272a",
    900: "#18181b",
    950: "#09090b"
  },
  neutral: {
    50: "#fafafa",
    100: "#f5f5f5",
    200: "#e5e5e5",
    300: "#d4d4d4",
    400: "#a3a3a3",
    500: "#737373",
    600: "#525252",
    700: "#404040",
    800: "#262626",
    900: "#171717",
    950: "#0a0a0a"
  },
  stone: {
    50: "#fafaf9",
    100: "#f5f5f4",
    200: "#e7e5e4",
    300: "#d6d3d1",
    400: "#a8a29e",
    500: "#78716c",
    600: "#57534e",
    700: "#44403c",
    800: "#292524",
    900: "#1c1917",
    950: "#0c0a09"
  },
  red: {
    50: "#fef2f2",
    100: "#fee2e2",
    200: "#fecaca",
    300: "#fca5a5",
    400: "#f87171",
    500: "#ef4444",
    600: "#dc2626",
    700: "#b91c1c",
    800: "#991b1b",
    900: "#7f1d1d",
    950: "#450a0a"
  },
  orange: {
    50: "#fff7ed",
    100: "#ffedd5",
    200: "#fed7aa",
    300: "#fdba74",
    400: "#fb923c",
    500: "#f97316",
    600: "#ea580c",
    700: "#c2410c",
    800: "#9a3412",
    900: "#7c2d12",
    950: "#431407"
  },
  amber: {
    50: "#fffbeb",
    100: "#fef3c7",
    200: "#fde68a",
    300: "#fcd34d",
    400: "#fbbf24",
    500: "#f59e0b",
    600: "#d97706",
    700: "#b45309",
    800: "#92400e",
    900: "#78350f",
    950: "#451a03"
  },
  yellow: {
    50: "#fefce8",
    100: "#fef9c3",
    200: "#fef08a",
    300: "#fde047",
    400: "#facc15",
    500: "#eab308",
    600: "#ca8a04",
    700: "#a16207",
    800: "#854d0e",
    900: "#713f12",
    950: "#422006"
  },
  lime: {
    50: "#f7fee7",
    100: "#ecfccb",
    200: "#d9f99d",
    300: "#bef264",
    400: "#a3e635",
    500: "#84cc16",
    600: "#65a30d",
    700: "#4d7c0f",
    800: "#3f6212",
    900: "#365314",
    950: "#1a2e05"
  },
  green: {
    50: "#f0fdf4",
    100: "#dcfce7",
    200: "#bbf7d0",
    300: "#86efac",
    400: "#4ade80",
    500: "#22c55e",
    600: "#16a34a",
    700: "#15803d",
    800: "#166534",
    900: "#14532d",
    950: "#052e16"
  },
  emerald: {
    50: "#ecfdf5",
    100: "#d1fae5",
    200: "#a7f3d0",
    300: "#6ee7b7",
    400: "#34d399",
    500: "#10b981",
    600: "#059669",
    700: "#047857",
    800: "#065f46",
    900: "#064e3b",
    950: "#022c22"
  },
  teal: {
    50: "#f0fdfa",
    100: "#ccfbf1",
    200: "#99f6e4",
    300: "#5eead4",
    400: "#2dd4bf",
    500: "#14b8a6",
    600: "#0d9488",
    700: "#0f766e",
    800: "#115e59",
    900: "#134e4a",
    950: "#042f2e"
  },
  cyan: {
    50: "#ecfeff",
    100: "#cffafe",
    200: "#a5f3fc",
    300: "#67e8f9",
    400: "#22d3ee",
    500: "#06b6d4",
    600: "#0891b2",
    700: "#0e7490",
    800: "#155e75",
    900: "#164e63",
    950: "#083344"
  },
  sky: {
    50: "#f0f9ff",
    100: "#e0f2fe",
    200: "#bae6fd",
    300: "#7dd3fc",
    400: "#38bdf8",
    500: "#0ea5e9",
    600: "#0284c7",
    700: "#0369a1",
    800: "#075985",
    900: "#0c4a6e",
    950: "#082f49"
  },
  blue: {
    50: "#eff6ff",
    100: "#dbeafe",
    200: "#bfdbfe",
    300: "#93c5fd",
    400: "#60a5fa",
    500: "#3b82f6",
    600: "#2563eb",
    700: "#1d4ed8",
    800: "#1e40af",
    900: "#1e3a8a",
    950: "#172554"
  },
  indigo: {
    50: "#eef2ff",
    100: "#e0e7ff",
    200: "#c7d2fe",
    300: "#a5b4fc",
    400: "#818cf8",
    500: "#6366f1",
    600: "#4f46e5",
    700: "#4338ca",
    800: "#3730a3",
    900: "#312e81",
    950: "#1e1b4b"
  },
  violet: {
    50: "#f5f3ff",
    100: "#ede9fe",
    200: "#ddd6fe",
    300: "#c4b5fd",
    400: "#a78bfa",
    500: "#8b5cf6",
    600: "#7c3aed",
    700: "#6d28d9",
    800: "#5b21b6",
    900: "#4c1d95",
    950: "#2e1065"
  },
  purple: {
    50: "#faf5ff",
    100: "#f3e8ff",
    200: "#e9d5ff",
    300: "#d8b4fe",
    400: "#c084fc",
    500: "#a855f7",
    600: "#9333ea",
    700: "#7e22ce",
    800: "#6b21a8",
    900: "#581c87",
    950: "#3b0764"
  },
  fuchsia: {
    50: "#fdf4ff",
    100: "#fae8ff",
    200: "#f5d0fe",
    300: "#f0abfc",
    400: "#e879f9",
    500: "#d946ef",
    600: "#c026d3",
    700: "#a21caf",
    800: "#86198f",
    900: "#701a75",
    950: "#4a044e"
  },
  pink: {
    50: "#fdf2f8",
    100: "#fce7f3",
    200: "#fbcfe8",
    300: "#f9a8d4",
    400: "#f472b6",
    500: "#ec4899",
    600: "#db2777",
    700: "#be185d",
    800: "#9d174d",
    900: "#831843",
    950: "#500724"
  },
  rose: {
    50: "#fff1f2",
    100: "#ffe4e6",
    200: "#fecdd3",
    300: "#fda4af",
    400: "#fb7185",
    500: "#f43f5e",
    600: "#e11d48",
    700: "#be123c",
    800: "#9f1239",
    900: "#881337",
    950: "#4c0519"
  }
};
cs.reduce((n, { color: e, primary: s, secondary: t }) => ({
  ...n,
  [e]: {
    primary: Oe[e][s],
    secondary: Oe[e][t]
  }
}), {});
function us(n) {
  let e;
  const s = $t((i) => {
    let r = !1;
    const l = n.subscribe((a) => {
      e = a, r && i();
    });
    return r = !0, l;
  });
  function t() {
    return Ht() ? (s(), e) : as(n);
  }
  return "set" in n ? {
    get current() {
      return t();
    },
    set current(i) {
      n.set(i);
    }
  } : {
    get current() {
      return t();
    }
  };
}
const hs = "__i18n__", ds = [
  "label",
  "info",
  "placeholder",
  "description",
  "title",
  "value"
], fs = [
  "elem_id",
  "elem_classes",
  "visible",
  "interactive",
  "server_fns",
  "server",
  "id",
  "target",
  "theme_mode",
  "version",
  "root",
  "autoscroll",
  "max_file_size",
  "formatter",
  "client",
  "load_component",
  "scale",
  "min_width",
  "theme",
  "padding",
  "loading_status",
  "label",
  "show_label",
  "validation_error",
  "show_progress",
  "api_prefix",
  "container",
  "attached_events",
  "register_component",
  "unregister_component",
  "dispatcher"
];
function ps(n) {
  return typeof n == "string" && n.includes(hs);
}
class ms {
  load_component;
  #t = N(oe({}));
  get shared() {
    return h(this.#t);
  }
  set shared(e) {
    x(this.#t, e, !0);
  }
  #s = N(oe({}));
  get props() {
    return h(this.#s);
  }
  set props(e) {
    x(this.#s, e, !0);
  }
  #e = N((e) => e);
  get i18n() {
    return h(this.#e);
  }
  set i18n(e) {
    x(this.#e, e, !0);
  }
  i18n_store;
  _i18n_from_store;
  translatable_props = {};
  dispatcher;
  last_update = null;
  shared_props = fs;
  mounted = !1;
  old_value;
  register_component;
  unregister_component;
  set_data_callback;
  get_data_callback;
  registered_id = null;
  last_shared_props;
  last_props;
  constructor(e, s) {
    for (const t in e.shared_props)
      this.shared[t] = e.shared_props[t];
    for (const t in e.props)
      t !== "i18n_store" && (this.props[t] = e.props[t]);
    if (s)
      for (const t in s)
        this.props[t] === void 0 && (this.props[t] = s[t]);
    this.i18n = this.props.i18n ?? ((t) => t), this.i18n_store = e.props.i18n_store, this._i18n_from_store = this.i18n_store ? us(this.i18n_store) : void 0;
    for (const t of ds)
      this.shared[t] = this._translate_and_store(
        "shared",
        t,
        // @ts-ignore
        e.shared_props[t]
      ), this.props[t] = this._translate_and_store(
        "props",
        t,
        // @ts-ignore
        e.props[t]
      );
    this.load_component = this.shared.load_component, this.register_component = this.shared.register_component || (() => {
    }), this.unregister_component = this.shared.unregister_component || (() => {
    }), this.dispatcher = this.shared.dispatcher || (() => {
    }), this.set_data_callback = this.set_data.bind(this), this.get_data_callback = this.get_data.bind(this), this.register_component(
      this.shared.id,
      // @ts-ignore
      this.set_data_callback,
      this.get_data_callback
    ), this.registered_id = this.shared.id, this.last_shared_props = e.shared_props, this.last_props = e.props, W(() => {
      const t = e.shared_props.id;
      if (this.last_shared_props !== e.shared_props) {
        for (const i in e.shared_props) {
          const r = e.shared_props[i];
          r !== void 0 && (this._is_i18n_managed(`shared.${i}`, r) || (this.shared[i] = r));
        }
        this.last_shared_props = e.shared_props;
      }
      if (this.last_props !== e.props) {
        for (const i in e.props) {
          if (i === "i18n_store") continue;
          const r = e.props[i];
          r !== void 0 && (this._is_i18n_managed(`props.${i}`, r) || (this.props[i] = r));
        }
        this.last_props = e.props;
      }
      this.registered_id !== null && this.registered_id !== t && this.unregister_component(this.registered_id, this.set_data_callback), this.register_component(
        t,
        // @ts-ignore
        this.set_data_callback,
        this.get_data_callback
      ), this.registered_id = t, V(() => {
        this.shared.id = t;
      });
    }), W(() => () => {
      this.registered_id !== null && this.unregister_component(this.registered_id, this.set_data_callback);
    }), W(() => this.i18n_store ? this.i18n_store.subscribe(() => {
      for (const [i, r] of Object.entries(this.translatable_props)) {
        const [l, a] = i.split("."), c = this.i18n(r);
        l === "shared" ? this.shared[a] = c : this.props[a] = c;
      }
    }) : void 0);
  }
  // check if props are translatable
  _is_i18n_managed(e, s) {
    const t = this.translatable_props[e];
    return t ? s === t ? !0 : (delete this.translatable_props[e], !1) : !1;
  }
  _translate_and_store(e, s, t) {
    if (typeof t != "string") return t;
    const i = this.i18n(t);
    return i !== t && (this.translatable_props[`${e}.${s}`] = t), i;
  }
  // Reactive variant of `i18n`. Reading it inside a derived or template
  // subscribes to the live locale store (via Svelte's createSubscriber), so
  // the caller re-runs when the locale changes at runtime. The store is only
  // the reactivity trigger; translation always goes through `this.i18n` so a
  // custom formatter passed via props keeps taking effect.
  live_i18n = (e) => (this._i18n_from_store?.current, this.i18n(e));
  dispatch(e, s) {
    this.dispatcher(this.shared.id, e, s);
  }
  async get_data() {
    return Ft(this.props);
  }
  update(e) {
    this.set_data(e);
  }
  set_data(e) {
    for (const s in e) {
      const t = e[s], i = ps(t) ? this._translate_and_store(this.shared_props.includes(s) ? "shared" : "props", s, t) : t;
      if (this.shared_props.includes(s)) {
        const r = s;
        this.shared[r] = i;
        continue;
      }
      this.props[s] = i;
    }
  }
  watch_for_change() {
    W(() => {
      this.mounted || (this.old_value = this.props.value, this.mounted = !0), this.old_value != this.props.value && (this.old_value = this.props.value, this.dispatch("change"));
    });
  }
}
const _s = -45, bs = -40;
function He(n) {
  return n > 0 ? 20 * Math.log10(n) : -1 / 0;
}
function $e(n) {
  return Number.isFinite(n) ? Math.max(0, Math.min(100, (n + 60) / 60 * 100)) : 0;
}
function Ue(n) {
  return Number.isFinite(n) ? `${n.toFixed(1)} dBFS` : "–∞ dBFS";
}
function vs(n, e, s, t = location.href) {
  const i = new URL(n, t);
  i.protocol === "https:" ? i.protocol = "wss:" : i.protocol === "http:" && (i.protocol = "ws:");
  const r = i.searchParams;
  r.set("sample_rate_hz", String(s)), r.set("turn_detection", e.turnDetection), r.set("chunk_ms", String(e.chunkMs));
  const l = {
    vad_threshold: e.vadThreshold,
    vad_prefix_padding_ms: e.vadPrefixMs,
    vad_silence_ms: e.vadSilenceMs,
    vad_eagerness: e.vadEagerness,
    voice: e.voice,
    instructions: e.instructions
  };
  for (const [a, c] of Object.entries(l))
    c != null && c !== "" && r.set(a, String(c));
  return i.href;
}
async function gs(n, e, s) {
  const t = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: n.echoCancellation, noiseSuppression: !0, autoGainControl: !0 }
  }), i = { latencyHint: "interactive" };
  let r = null;
  if (n.contextRateHz)
    try {
      r = new AudioContext({ ...i, sampleRate: n.contextRateHz });
    } catch (p) {
      console.info(`${n.contextRateHz} Hz AudioContext refused, using the device rate`, p);
    }
  r = r || new AudioContext(i);
  let l;
  try {
    l = r.createMediaStreamSource(t);
  } catch (p) {
    console.info("mic cannot join a", r.sampleRate, "Hz context:", p), await r.close(), r = new AudioContext(i), l = r.createMediaStreamSource(t);
  }
  try {
    await r.audioWorklet.addModule(e.capture), await r.audioWorklet.addModule(e.playback);
  } catch (p) {
    for (const m of t.getTracks()) m.stop();
    throw await r.close(), p;
  }
  const a = new AudioWorkletNode(r, "pcm-capture", {
    processorOptions: { chunkMs: n.chunkMs, voiceDbfs: _s }
  }), c = r.createGain();
  c.gain.value = 0, l.connect(a).connect(c).connect(r.destination);
  const u = new AudioWorkletNode(r, "pcm-playback", {
    numberOfInputs: 0,
    numberOfOutputs: 1,
    outputChannelCount: [1],
    processorOptions: { prebufferMs: n.prebufferMs, tap: s, audibleDbfs: bs }
  });
  return u.connect(r.destination), await r.resume(), { ctx: r, stream: t, source: l, capture: a, sink: c, playback: u };
}
const ys = 30;
function ze(n, e, s) {
  return n === null || e === null || !(n < e) || e - n > ys ? null : (e + s - n) * 1e3;
}
class ks {
  constructor() {
    this.items = /* @__PURE__ */ new Map(), this.itemByResponse = /* @__PURE__ */ new Map(), this.pending = [], this.lastVoiceEndCtx = null, this.lastUserText = null, this.underruns = 0, this.lastItemId = null;
  }
  /** The microphone heard voice up to context time `endCtx` (s). */
  voiced(e) {
    this.lastVoiceEndCtx = e;
  }
  setUnderruns(e) {
    this.underruns = e;
  }
  /** `audio_start` from the server: a new reply item begins. */
  audioStart(e, s) {
    const t = {
      itemId: e,
      responseId: s,
      startCtx: null,
      audibleCtx: null,
      voiceEndCtx: null,
      micToSpeakerMs: null,
      micToAudibleMs: null,
      outputLatencyMs: null,
      jitterBufferMs: null,
      underrunsAtStart: this.underruns,
      text: "",
      textFinal: !1,
      ended: !1
    };
    return this.items.set(e, t), s && this.itemByResponse.set(s, e), this.items.size > 64 && this.items.delete(this.items.keys().next().value), this.itemByResponse.size > 64 && this.itemByResponse.delete(this.itemByResponse.keys().next().value), this.lastItemId && this.lastItemId !== e && this.endItem(this.lastItemId), this.lastItemId = e, t;
  }
  /** The playback worklet played the item's first sample at context time `ctxTime`. */
  itemStarted(e, s, t, i) {
    const r = this.items.get(e);
    return !r || r.startCtx !== null ? r || null : (r.startCtx = s, r.voiceEndCtx = this.lastVoiceEndCtx, r.outputLatencyMs = t * 1e3, r.jitterBufferMs = i, r.micToSpeakerMs = ze(r.voiceEndCtx, s, t), r);
  }
  /** The item's first audible block was played at context time `ctxTime`. */
  itemAudible(e, s, t) {
    const i = this.items.get(e);
    return !i || i.audibleCtx !== null ? [] : (i.audibleCtx = s, i.micToAudibleMs = ze(i.voiceEndCtx, s, t), this.ready());
  }
  transcript(e, s, t, i) {
    if (e === "user") {
      i && (this.lastUserText = t);
      return;
    }
    const r = this.items.get(s);
    r && (r.text = i ? t : r.textFinal ? r.text : r.text + t, i && (r.textFinal = !0));
  }
  /** `turn_done` from the server; returns the reports that are complete now. */
  turnDone(e) {
    const s = e.response_id && this.itemByResponse.get(e.response_id) || null;
    return this.pending.push({ msg: e, itemId: s }), this.ready();
  }
  /** Playback went idle (drained or flushed): every pending turn was heard as far as it goes. */
  playbackIdle() {
    for (const e of this.items.values()) e.startCtx !== null && (e.ended = !0);
    return this.ready();
  }
  endItem(e) {
    const s = this.items.get(e);
    s && (s.ended = !0);
  }
  /** Reports of every pending turn, complete or not (session over, or waited long enough). */
  flushAll() {
    const e = this.pending.map((s) => this.report(s));
    return this.pending = [], e;
  }
  ready() {
    const e = [];
    return this.pending = this.pending.filter((s) => {
      const t = s.itemId ? this.items.get(s.itemId) : null, i = !t || t.audibleCtx !== null || t.ended;
      return i && e.push(this.report(s)), !i;
    }), e;
  }
  report({ msg: e, itemId: s }) {
    const t = s ? this.items.get(s) : null, i = e.timeline || {};
    return {
      turn_index: Number.isInteger(i.turn_index) ? i.turn_index : null,
      status: e.status,
      response_id: e.response_id || null,
      item_id: s,
      mic_to_speaker_ms: t ? t.micToSpeakerMs : null,
      mic_to_audible_ms: t ? t.micToAudibleMs : null,
      output_latency_ms: t ? t.outputLatencyMs : null,
      jitter_buffer_ms: t ? t.jitterBufferMs : null,
      underruns: t ? Math.max(0, this.underruns - t.underrunsAtStart) : 0,
      user_text: this.lastUserText,
      assistant_text: t && t.text ? t.text : null,
      timeline: i,
      summary: e.summary || {}
    };
  }
}
const Ms = 100, ws = 1e4, Ss = 200, Be = 1500, je = {
  idle: "Idle",
  connecting: "Connecting…",
  listening: "Listening",
  user_speaking: "You are speaking",
  waiting: "Waiting for the model",
  playing: "Playing the reply",
  interrupted: "Interrupted",
  ended: "Session ended"
}, xs = Object.freeze({
  turnDetection: "server_vad",
  // none | server_vad | semantic_vad
  vadThreshold: null,
  // null: the server's default
  vadPrefixMs: null,
  vadSilenceMs: null,
  vadEagerness: null,
  voice: "",
  instructions: "",
  chunkMs: 20,
  prebufferMs: 40,
  // the first reply's jitter cushion (playback-worklet.js)
  contextRateHz: 24e3,
  // null: the device rate
  echoCancellation: !0
});
class As {
  /**
   * @param {object} options
   * @param {{capture: string|URL, playback: string|URL}} options.workletUrls  the two
   *   worklet scripts (capture-worklet.js, playback-worklet.js), as URLs.
   * @param {string} [options.wsPath]  `WS /ws/realtime`, relative to the page or absolute.
   * @param {boolean} [options.tap]  keep copies of what was played (tests, diagnostics).
   */
  constructor({ workletUrls: e, wsPath: s = "/ws/realtime", tap: t = !1 }) {
    this.workletUrls = e, this.wsPath = s, this.listeners = /* @__PURE__ */ new Map(), this.session = null, this.phase = "idle", this.metrics = {
      state: "idle",
      // idle | starting | live (kept for the duplex tests)
      phase: "idle",
      contextRateHz: null,
      outputLatencyMs: null,
      events: [],
      // {t, type} of every JSON message but levels (bounded)
      turns: [],
      // server turn_done messages (bounded)
      reports: [],
      // turn reports (bounded)
      items: [],
      // {itemId, startCtx, micToSpeakerMs, micToAudibleMs} (bounded)
      micToSpeakerMs: [],
      underruns: 0,
      playoutReports: 0,
      interrupts: [],
      // {itemId, playedMs} sent by interrupt()
      interrupted: [],
      // the server's interrupted messages (where it cut the reply)
      errors: [],
      sentBytes: 0,
      receivedBytes: 0,
      tap: t ? { sampleRateHz: null, chunks: [], mic: [] } : null
    };
  }
  on(e, s) {
    return this.listeners.has(e) || this.listeners.set(e, []), this.listeners.get(e).push(s), () => this.listeners.set(e, this.listeners.get(e).filter((t) => t !== s));
  }
  emit(e, s) {
    for (const t of this.listeners.get(e) || [])
      try {
        t(s);
      } catch (i) {
        console.error(`realtime client: a ${e} listener failed`, i);
      }
  }
  get live() {
    return this.session !== null;
  }
  /** Open the microphone and the WebSocket; `settings` as DEFAULT_SETTINGS. */
  async start(e = {}) {
    if (this.session) return;
    const s = { ...xs, ...e };
    this.setState("starting"), this.setPhase("connecting");
    let t;
    try {
      t = await gs(s, this.workletUrls, !!this.metrics.tap);
    } catch (a) {
      this.setState("idle"), this.setPhase("idle"), this.fail({ code: "audio_unavailable", message: `Microphone/audio unavailable: ${a && a.message || a}` });
      return;
    }
    const i = this.session = {
      ...t,
      settings: s,
      ws: null,
      ready: !1,
      meter: new ks(),
      lastPlayoutSentAt: 0,
      lastPlayed: { itemId: null, playedMs: 0 },
      speaking: !1,
      awaiting: !1,
      playing: !1,
      interruptedAt: 0,
      timers: /* @__PURE__ */ new Set(),
      flushWaiters: [],
      serverEndReason: null,
      lastError: null
    }, r = i.ctx;
    this.metrics.contextRateHz = r.sampleRate, this.metrics.outputLatencyMs = 1e3 * this.outputLatencyS(), this.metrics.tap && (this.metrics.tap.sampleRateHz = r.sampleRate), i.capture.port.onmessage = (a) => this.onCapture(a.data), i.playback.port.onmessage = (a) => this.onPlayback(a.data);
    let l;
    try {
      l = new WebSocket(vs(this.wsPath, s, r.sampleRate));
    } catch (a) {
      this.fail({ code: "bad_url", message: `Cannot open the WebSocket: ${a && a.message || a}` }), this.teardown({ reason: "error" });
      return;
    }
    l.binaryType = "arraybuffer", i.ws = l, l.onopen = () => l.send(JSON.stringify({ type: "settings" })), l.onmessage = (a) => this.onMessage(i, a.data), l.onclose = (a) => {
      if (this.session !== i) return;
      const c = i.lastError;
      a.code !== 1e3 && !c && this.fail({
        code: "connection_closed",
        message: `Connection closed (code ${a.code}${a.reason ? ": " + a.reason : ""}); is the server running, are you logged in?`
      });
      const u = i.serverEndReason || (a.code === 1e3 ? "closed" : c ? "error" : "connection_lost");
      this.teardown({ reason: u, code: a.code, message: c ? c.message : a.reason || null });
    };
  }
  /** End the session (sends `close` first). */
  stop() {
    const e = this.session;
    if (e) {
      try {
        e.ws && e.ws.readyState === WebSocket.OPEN && e.ws.send(JSON.stringify({ type: "close" }));
      } catch {
      }
      this.teardown({ reason: "stopped", code: 1e3, message: null });
    }
  }
  /** End the user's turn (turn detection "none"; with VAD it forces the end of the turn). */
  commit() {
    this.session && (this.sendJson({ type: "commit" }), this.session.awaiting = !0, this.updatePhase());
  }
  /** Barge in: stop playing at once and cut the reply exactly where the listener is. */
  async interrupt() {
    const e = this.session;
    if (!e) return null;
    const s = await this.flushPlayback(e), t = { type: "interrupt" };
    return s.itemId && (t.played_ms = Math.round(s.playedMs || 0)), this.sendJson(t), this.metrics.interrupts.push({ itemId: s.itemId, playedMs: t.played_ms ?? null }), t;
  }
  // --- internals -----------------------------------------------------------------
  outputLatencyS() {
    const e = this.session && this.session.ctx;
    return e && (e.outputLatency || e.baseLatency) || 0;
  }
  setState(e) {
    this.metrics.state = e;
  }
  setPhase(e) {
    e !== this.phase && (this.phase = e, this.metrics.phase = e, this.emit("phase", { phase: e, label: je[e] }));
  }
  updatePhase() {
    const e = this.session;
    if (e) {
      if (!e.ready) return this.setPhase("connecting");
      if (e.playing) return this.setPhase("playing");
      if (e.speaking) return this.setPhase("user_speaking");
      if (e.awaiting) return this.setPhase("waiting");
      if (performance.now() - e.interruptedAt < Be) return this.setPhase("interrupted");
      this.setPhase("listening");
    }
  }
  later(e, s, t) {
    const i = setTimeout(() => {
      e.timers.delete(i), this.session === e && t();
    }, s);
    e.timers.add(i);
  }
  fail(e) {
    const s = { code: e.code, message: e.message, retryable: !!e.retryable, fatal: !!e.fatal, source: e.source || "client" };
    this.metrics.errors.length < 100 && this.metrics.errors.push(s), this.emit("error", s);
  }
  sendJson(e) {
    const s = this.session && this.session.ws;
    s && s.readyState === WebSocket.OPEN && s.send(JSON.stringify(e));
  }
  flushPlayback(e) {
    return new Promise((s) => {
      const t = { ...e.lastPlayed }, i = (l) => {
        clearTimeout(r), s(l);
      }, r = setTimeout(() => {
        e.flushWaiters = e.flushWaiters.filter((l) => l !== i), s(t);
      }, Ss);
      e.flushWaiters.push(i), e.playback.port.postMessage({ type: "flush" });
    });
  }
  reportTurns(e, s) {
    for (const t of s)
      B(this.metrics.reports, t, 500), this.emit("turn", t);
  }
  onCapture(e) {
    const s = this.session;
    e.type !== "frame" || !s || (this.emit("level", { source: "input", rms: e.rms }), e.voicedEnd !== null && e.voicedEnd !== void 0 && s.meter.voiced(e.voicedEnd), this.metrics.tap && B(this.metrics.tap.mic, [e.endTime, e.rms], 1e5), s.ws && s.ws.readyState === WebSocket.OPEN && s.ready && (s.ws.send(e.pcm), this.metrics.sentBytes += e.pcm.byteLength));
  }
  onPlayback(e) {
    const s = this.session;
    if (s)
      switch (e.type) {
        case "position":
          if (this.emit("level", { source: "output", rms: e.rms }), e.itemId && e.playedMs !== null) {
            s.lastPlayed = { itemId: e.itemId, playedMs: e.playedMs };
            const t = performance.now();
            t - s.lastPlayoutSentAt >= Ms && (s.lastPlayoutSentAt = t, this.sendPlayout(e.itemId, e.playedMs));
          }
          break;
        case "item_started": {
          const t = s.meter.itemStarted(e.itemId, e.ctxTime, this.outputLatencyS(), e.targetMs);
          t && (B(this.metrics.items, {
            itemId: e.itemId,
            startCtx: e.ctxTime,
            micToSpeakerMs: t.micToSpeakerMs,
            micToAudibleMs: null,
            jitterBufferMs: e.targetMs
          }, 500), t.micToSpeakerMs !== null && B(this.metrics.micToSpeakerMs, t.micToSpeakerMs, 500)), s.playing = !0, s.awaiting = !1, this.updatePhase(), this.sendPlayout(e.itemId, 0);
          break;
        }
        case "item_audible": {
          const t = s.meter.itemAudible(e.itemId, e.ctxTime, this.outputLatencyS()), i = this.metrics.items.find((l) => l.itemId === e.itemId), r = s.meter.items.get(e.itemId);
          i && r && (i.micToAudibleMs = r.micToAudibleMs), this.reportTurns(s, t);
          break;
        }
        case "underrun":
          this.metrics.underruns = e.count, s.meter.setUnderruns(e.count);
          break;
        case "drained":
        case "flushed":
          if (e.type === "flushed") {
            const t = s.flushWaiters;
            s.flushWaiters = [];
            for (const i of t) i({ itemId: e.itemId, playedMs: e.playedMs });
          }
          s.playing = !1, this.reportTurns(s, s.meter.playbackIdle()), this.updatePhase();
          break;
        case "tap":
          this.metrics.tap && B(this.metrics.tap.chunks, { ctxTime: e.ctxTime, samples: e.samples }, 2e4);
          break;
      }
  }
  sendPlayout(e, s) {
    this.sendJson({ type: "playout", played_ms: Math.round(s), item_id: e }), this.metrics.playoutReports += 1;
  }
  onMessage(e, s) {
    if (this.session !== e) return;
    if (s instanceof ArrayBuffer) {
      this.metrics.receivedBytes += s.byteLength, e.playback.port.postMessage({ type: "pcm", pcm: s }, [s]);
      return;
    }
    let t;
    try {
      t = JSON.parse(s);
    } catch {
      return;
    }
    if (!(!t || typeof t.type != "string"))
      switch (t.type !== "level" && B(this.metrics.events, { t: performance.now(), type: t.type }, 5e3), t.type) {
        case "session":
          e.ready = !0, this.setState("live"), this.emit("session", {
            ...t,
            context_rate_hz: e.ctx.sampleRate,
            output_latency_ms: 1e3 * this.outputLatencyS()
          }), this.updatePhase();
          break;
        case "audio_start":
          e.meter.audioStart(t.item_id, t.response_id), e.playback.port.postMessage({ type: "item", itemId: t.item_id });
          break;
        case "transcript":
          e.meter.transcript(t.role, t.item_id, t.text, t.final), this.emit("transcript", { role: t.role, item_id: t.item_id, text: t.text, final: !!t.final });
          break;
        case "speech_started":
          e.speaking = !0, this.emit("note", { text: `speech started at ${t.audio_start_ms} ms` }), this.updatePhase();
          break;
        case "speech_stopped":
          e.speaking = !1, e.awaiting = !0, this.emit("note", { text: `speech stopped at ${t.audio_end_ms} ms` }), this.updatePhase();
          break;
        case "interrupted":
          B(this.metrics.interrupted, t, 100), e.playback.port.postMessage({ type: "flush" }), e.interruptedAt = performance.now(), e.playing = !1, this.emit("note", { text: `interrupted: reply cut at ${t.audio_end_ms} ms`, interrupted: t }), this.updatePhase(), this.later(e, Be + 10, () => this.updatePhase());
          break;
        case "turn_done":
          e.playback.port.postMessage({ type: "drain" }), B(this.metrics.turns, t, 500), e.awaiting = !1, t.status !== "completed" && this.emit("note", { text: `turn ${t.status}` }), this.reportTurns(e, e.meter.turnDone(t)), this.later(e, ws, () => this.reportTurns(e, e.meter.flushAll())), this.updatePhase();
          break;
        case "error":
          e.lastError = t, this.fail({ ...t, source: "server" });
          break;
        case "session_ended":
          e.serverEndReason = t.reason;
          break;
      }
  }
  teardown(e) {
    const s = this.session;
    if (s) {
      this.reportTurns(s, s.meter.flushAll()), this.session = null;
      for (const t of s.timers) clearTimeout(t);
      for (const t of s.flushWaiters) t({ ...s.lastPlayed });
      try {
        s.ws && s.ws.close(1e3);
      } catch {
      }
      for (const t of s.stream.getTracks()) t.stop();
      s.ctx.close(), this.emit("level", { source: "input", rms: 0 }), this.emit("level", { source: "output", rms: 0 }), this.setState("idle"), this.setPhase("ended"), this.emit("ended", e);
    }
  }
}
function B(n, e, s) {
  n.push(e), n.length > s && n.splice(0, n.length - s);
}
const Ts = `// AudioWorklet processor "pcm-capture": microphone -> PCM16 LE mono frames.
//
// Runs on the audio rendering thread. Mixes the input to mono, converts to 16-bit
// integers and posts one frame of \`chunkMs\` at the context's own sample rate (the
// page declares that rate to the server, which resamples; resampling here would add
// a second, worse resampler). Each frame carries its RMS/peak (for the input meter
// and the page's local end-of-speech estimate) and the context time at which the
// frame's last sample was captured, so the page can measure mic-to-speaker latency
// on the audio clock rather than on message-arrival time. For that measurement each
// frame also says where the voice in it ended (\`voicedEnd\`: the context time of the end
// of the last 128-sample render block louder than \`voiceDbfs\`), a few ms of resolution
// instead of a whole frame; null when the frame carries no voice.

class PcmCapture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const opts = (options && options.processorOptions) || {};
    const chunkMs = opts.chunkMs || 20;
    this.chunkSamples = Math.max(32, Math.round((sampleRate * chunkMs) / 1000));
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
`, Is = `// AudioWorklet processor "pcm-playback": jitter-buffered playback of the model's
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
// \`cushionMs\` after its first audio arrived, at once when a burst has queued more than
// its largest chunk plus the cushion (a source faster than real time), or when the turn
// is over. For a source that paces its chunks in real time the cushion is what is left
// in the buffer when the next chunk is due, so it only has to cover how late chunks come
// relative to their real-time schedule ("lateness", measured here on the audio clock
// from the item's first chunk). Each new item's cushion is the previous item's largest
// lateness + 15 ms, or half the previous cushion if that is more (a spike is forgotten
// over a few replies rather than at once), 10..300 ms; within an item it rises at once
// when a chunk comes later than it allows. The first item, with no history yet, waits
// \`prebufferMs\`. After an underrun,
// playback resumes one cushion after audio is there again. (A buffer that only counts
// queued samples either starves at every chunk boundary of a real-time source or, once
// grown past a chunk, adds a whole chunk of latency to every later reply.)
//
// The processor reports where the listener is: {type:"position", itemId, playedMs}
// about every 50 ms (the page forwards it to the server, which truncates at that
// point on barge-in), {type:"item_started"} at the first sample of an item,
// {type:"item_audible"} at its first 128-sample block louder than \`audibleDbfs\`, and the
// output level for the meter. {type:"flush"} drops everything (barge-in) and answers
// {type:"flushed", itemId, playedMs}: exactly how much of the item was played.

const IN_RATE_HZ = 24000;
const CAPACITY = IN_RATE_HZ * 120; // 2 minutes of queued audio
const MIN_CUSHION_MS = 10;
const MAX_CUSHION_MS = 300;
const CUSHION_MARGIN_MS = 15;
const CUSHION_RELEASE = 0.5; // per item: how fast a lateness spike is forgotten

class PcmPlayback extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const opts = (options && options.processorOptions) || {};
    this.cushionMs = clampCushion(opts.prebufferMs === undefined ? 40 : opts.prebufferMs);
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
`;
var Ps = /* @__PURE__ */ L('<span class="label svelte-1dmniai"> </span>'), Es = /* @__PURE__ */ L('<button class="stop svelte-1dmniai">Stop</button>'), Cs = /* @__PURE__ */ L('<button class="start primary svelte-1dmniai">Start</button>'), Rs = /* @__PURE__ */ L('<button class="commit svelte-1dmniai">Send turn</button>'), Ns = /* @__PURE__ */ L('<p class="error svelte-1dmniai" role="alert"> </p>'), Ls = /* @__PURE__ */ L("<p> </p>"), Os = /* @__PURE__ */ L('<p class="small turn svelte-1dmniai"> <b> </b> <!></p>'), Hs = /* @__PURE__ */ L("<div> </div>"), $s = /* @__PURE__ */ L('<div class="transcript svelte-1dmniai" aria-live="polite"></div>'), Us = /* @__PURE__ */ L('<div><!> <div class="controls svelte-1dmniai"><!> <!> <button class="interrupt svelte-1dmniai">Interrupt</button> <span class="phase svelte-1dmniai" role="status"> </span></div> <!> <div class="meters svelte-1dmniai"><span>mic</span> <div class="meter svelte-1dmniai"><div class="bar in svelte-1dmniai"></div></div> <span class="db svelte-1dmniai"> </span> <span>reply</span> <div class="meter svelte-1dmniai"><div class="bar out svelte-1dmniai"></div></div> <span class="db svelte-1dmniai"> </span></div> <!> <!> <!></div>');
function Bs(n, e) {
  Bt(e, !0);
  const s = 100, t = 200, i = 200, r = /* @__PURE__ */ ls(e, ["$$slots", "$$events", "$$legacy"]), l = new ms(r), a = (o) => URL.createObjectURL(new Blob([o], { type: "text/javascript" })), c = new As({
    workletUrls: {
      capture: a(Ts),
      playback: a(Is)
    }
  });
  let u = N(null), p = N("idle"), m = N(null), b = N(null), O = N(-1 / 0), d = N(-1 / 0), v = N(null), y = N(oe(
    []
    // {key, role, text, final}
  ));
  const E = Ie(() => h(p) !== "idle" && h(p) !== "ended"), S = Ie(() => (l.props.turn_detection ?? "server_vad") === "none");
  function F() {
    const o = l.props;
    return {
      turnDetection: o.turn_detection ?? "server_vad",
      vadThreshold: o.vad_threshold ?? null,
      vadPrefixMs: o.vad_prefix_padding_ms ?? null,
      vadSilenceMs: o.vad_silence_ms ?? null,
      vadEagerness: o.vad_eagerness ?? null,
      voice: o.voice ?? "",
      instructions: o.instructions ?? "",
      chunkMs: o.chunk_ms ?? 20,
      prebufferMs: o.prebuffer_ms ?? 40,
      contextRateHz: o.context_rate_hz ?? null,
      echoCancellation: o.echo_cancellation ?? !0
    };
  }
  function A(o) {
    const f = l.props.value ?? { session_id: null, turns: [], transcript: [] };
    l.props.value = o({ ...f, turns: [...f.turns], transcript: [...f.transcript] });
  }
  function I(o, f) {
    return o.length > f ? o.slice(o.length - f) : o;
  }
  c.on("phase", (o) => x(p, o.phase, !0)), c.on("level", (o) => {
    o.source === "input" ? x(O, He(o.rms), !0) : x(d, He(o.rms), !0);
  }), c.on("session", (o) => {
    x(b, o, !0);
    const f = {
      session_id: o.session_id,
      backend: o.backend,
      description: o.description,
      dialect: o.dialect,
      is_mock: !!o.is_mock,
      context_rate_hz: o.context_rate_hz,
      output_latency_ms: o.output_latency_ms
    };
    A((g) => ({ ...g, session_id: o.session_id })), l.dispatch("session_start", f);
  }), c.on("transcript", (o) => {
    const f = `${o.role}:${o.item_id}`, g = h(y).findIndex((_) => _.key === f);
    if (g < 0) x(
      y,
      I(
        [
          ...h(y),
          { key: f, role: o.role, text: o.text, final: o.final }
        ],
        i
      ),
      !0
    );
    else {
      const _ = h(y)[g];
      h(y)[g] = {
        ..._,
        text: o.final ? o.text : _.final ? _.text : _.text + o.text,
        final: _.final || o.final
      };
    }
    if (o.final) {
      const _ = { role: o.role, item_id: o.item_id, text: o.text };
      A((P) => ({
        ...P,
        transcript: I([...P.transcript, _], t)
      })), l.dispatch("transcript", _);
    }
  }), c.on("turn", (o) => {
    x(v, o, !0), A((f) => ({ ...f, turns: I([...f.turns, o], s) })), l.dispatch("turn", o);
  }), c.on("error", (o) => {
    x(m, o, !0), l.dispatch("session_error", o);
  }), c.on("ended", (o) => {
    l.dispatch("session_end", {
      reason: o.reason,
      code: o.code ?? null,
      message: o.message ?? null
    });
  });
  function H() {
    x(m, null), x(y, [], !0), x(v, null), x(b, null), l.props.value = { session_id: null, turns: [], transcript: [] }, c.wsPath = l.props.ws_path ?? "/ws/realtime", c.start(F());
  }
  W(() => {
    h(u) && (h(u).realtimeClient = c);
  }), Jt(() => c.stop());
  const k = (o) => o == null ? "–" : `${Math.round(o)} ms`;
  var M = Us();
  let X, de;
  var fe = T(M);
  {
    var Ve = (o) => {
      var f = Ps(), g = T(f);
      $(() => C(g, l.shared.label)), R(o, f);
    };
    U(fe, (o) => {
      l.shared.show_label !== !1 && l.shared.label && o(Ve);
    });
  }
  var pe = w(fe, 2), me = T(pe);
  {
    var Xe = (o) => {
      var f = Es();
      f.__click = () => c.stop(), R(o, f);
    }, Ze = (o) => {
      var f = Cs();
      f.__click = H, R(o, f);
    };
    U(me, (o) => {
      h(E) ? o(Xe) : o(Ze, !1);
    });
  }
  var _e = w(me, 2);
  {
    var Ke = (o) => {
      var f = Rs();
      f.__click = () => c.commit(), $(() => f.disabled = !h(E)), R(o, f);
    };
    U(_e, (o) => {
      h(S) && o(Ke);
    });
  }
  var ee = w(_e, 2);
  ee.__click = () => c.interrupt();
  var Qe = w(ee, 2), et = T(Qe), be = w(pe, 2);
  {
    var tt = (o) => {
      var f = Ns(), g = T(f);
      $(() => C(g, `${h(m).message ?? ""}${h(m).retryable ? " (retrying)" : ""}`)), R(o, f);
    };
    U(be, (o) => {
      h(m) && o(tt);
    });
  }
  var ve = w(be, 2), ge = w(T(ve), 2), st = T(ge);
  let ye;
  var ke = w(ge, 2), nt = T(ke), Me = w(ke, 4), it = T(Me);
  let we;
  var rt = w(Me, 2), at = T(rt), Se = w(ve, 2);
  {
    var ot = (o) => {
      var f = Ls();
      let g;
      var _ = T(f);
      $(
        (P) => {
          g = ne(f, 1, "small backend svelte-1dmniai", null, g, { mock: h(b).is_mock }), C(_, `${h(b).description ?? ""} (${h(b).is_mock ? "MOCK" : "LIVE"}) · AudioContext ${h(b).context_rate_hz ?? ""} Hz ·
      output latency ${P ?? ""}`);
        },
        [() => k(h(b).output_latency_ms)]
      ), R(o, f);
    };
    U(Se, (o) => {
      h(b) && o(ot);
    });
  }
  var xe = w(Se, 2);
  {
    var lt = (o) => {
      var f = Os(), g = T(f), _ = w(g), P = T(_), Y = w(_), te = w(Y);
      {
        var ht = (G) => {
          var Z = qt();
          $(() => C(Z, `· ${h(v).underruns ?? ""} stall(s)`)), R(G, Z);
        };
        U(te, (G) => {
          h(v).underruns && G(ht);
        });
      }
      $(
        (G, Z, dt, ft) => {
          C(g, `Turn ${h(v).turn_index === null ? "?" : h(v).turn_index + 1}: mic→speaker `), C(P, G), C(Y, ` (first audible ${Z ?? ""}) · server time to first audio
      ${dt ?? ""} · jitter cushion ${ft ?? ""} `);
        },
        [
          () => k(h(v).mic_to_speaker_ms),
          () => k(h(v).mic_to_audible_ms),
          () => k(h(v).timeline?.ttfa_ms),
          () => k(h(v).jitter_buffer_ms)
        ]
      ), R(o, f);
    };
    U(xe, (o) => {
      h(v) && o(lt);
    });
  }
  var ct = w(xe, 2);
  {
    var ut = (o) => {
      var f = $s();
      Vt(f, 21, () => h(y), (g) => g.key, (g, _) => {
        var P = Hs();
        let Y;
        var te = T(P);
        $(() => {
          Y = ne(P, 1, `msg ${h(_).role ?? ""}`, "svelte-1dmniai", Y, { partial: !h(_).final }), C(te, `${h(_).role === "user" ? "You" : "Assistant"}: ${h(_).text ?? ""}`);
        }), R(g, P);
      }), R(o, f);
    };
    U(ct, (o) => {
      l.props.show_transcript !== !1 && h(y).length && o(ut);
    });
  }
  is(M, (o) => x(u, o), () => h(u)), $(
    (o, f, g, _, P) => {
      Re(M, "id", l.shared.elem_id || null), X = ne(M, 1, `block realtime-audio ${o ?? ""}`, "svelte-1dmniai", X, {
        hidden: l.shared.visible === !1,
        boxed: l.shared.container !== !1
      }), Re(M, "data-phase", h(p)), de = re(M, "", de, {
        "flex-grow": l.shared.scale ?? null,
        "min-width": l.shared.min_width ? `min(${l.shared.min_width}px, 100%)` : null
      }), ee.disabled = !h(E), C(et, je[h(p)] ?? h(p)), ye = re(st, "", ye, f), C(nt, g), we = re(it, "", we, _), C(at, P);
    },
    [
      () => (l.shared.elem_classes || []).join(" "),
      () => ({ width: `${$e(h(O)) ?? ""}%` }),
      () => Ue(h(O)),
      () => ({ width: `${$e(h(d)) ?? ""}%` }),
      () => Ue(h(d))
    ]
  ), R(n, M), zt();
}
Ut(["click"]);
export {
  Bs as default
};
