import { i as je, g as Je, o as gt, a as Pe, b as yt, T as Mt, c as kt, d as wt, e as ue, r as de, f as K, p as fe, h as j, j as J, m as St, s as Ve, k as Xe, u as q, l as V, n as Ke, E as xt, q as h, t as Ce, v as Tt, w as At, x as Re, y as Et, z as It, A as Pt, B as pe, C as F, I as ie, D as Ct, F as Rt, L as Nt, N as Lt, G as Ot, H as Ht, J as Ut, K as $t, S as Dt, M as Ft, O as zt, P as Bt, Q as P, R as ee, U as k, V as Wt, W, X as Gt, Y as S, Z as qt, _ as T, $ as L, a0 as re, a1 as Yt } from "./render-B7kJjU4T.js";
function Ze(n) {
  throw new Error("https://svelte.dev/e/lifecycle_outside_component");
}
const jt = [];
function Jt(n, e = !1, s = !1) {
  return Z(n, /* @__PURE__ */ new Map(), "", jt, null, s);
}
function Z(n, e, s, t, i = null, r = !1) {
  if (typeof n == "object" && n !== null) {
    var a = e.get(n);
    if (a !== void 0) return a;
    if (n instanceof Map) return (
      /** @type {Snapshot<T>} */
      new Map(n)
    );
    if (n instanceof Set) return (
      /** @type {Snapshot<T>} */
      new Set(n)
    );
    if (je(n)) {
      var l = (
        /** @type {Snapshot<any>} */
        Array(n.length)
      );
      e.set(n, l), i !== null && e.set(i, l);
      for (var c = 0; c < n.length; c += 1) {
        var u = n[c];
        c in n && (l[c] = Z(u, e, s, t, null, r));
      }
      return l;
    }
    if (Je(n) === gt) {
      l = {}, e.set(n, l), i !== null && e.set(i, l);
      for (var p in n)
        l[p] = Z(
          // @ts-expect-error
          n[p],
          e,
          s,
          t,
          null,
          r
        );
      return l;
    }
    if (n instanceof Date)
      return (
        /** @type {Snapshot<T>} */
        structuredClone(n)
      );
    if (typeof /** @type {T & { toJSON?: any } } */
    n.toJSON == "function" && !r)
      return Z(
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
function Vt(n) {
  var e = document.createElement("template");
  return e.innerHTML = n.replaceAll("<!>", "<!---->"), e.content;
}
function Ne(n, e) {
  var s = (
    /** @type {Effect} */
    wt
  );
  s.nodes === null && (s.nodes = { start: n, end: e, a: null, t: null });
}
// @__NO_SIDE_EFFECTS__
function H(n, e) {
  var s = (e & Mt) !== 0, t = (e & kt) !== 0, i, r = !n.startsWith("<!>");
  return () => {
    i === void 0 && (i = Vt(r ? n : "<!>" + n), s || (i = /** @type {TemplateNode} */
    Pe(i)));
    var a = (
      /** @type {TemplateNode} */
      t || yt ? document.importNode(i, !0) : i.cloneNode(!0)
    );
    if (s) {
      var l = (
        /** @type {TemplateNode} */
        Pe(a)
      ), c = (
        /** @type {TemplateNode} */
        a.lastChild
      );
      Ne(l, c);
    } else
      Ne(a, a);
    return a;
  };
}
function O(n, e) {
  n !== null && n.before(
    /** @type {Node} */
    e
  );
}
class Xt {
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
      ue
    );
    if (this.#t.has(e)) {
      var s = (
        /** @type {Key} */
        this.#t.get(e)
      ), t = this.#s.get(s);
      if (t)
        de(t), this.#n.delete(s);
      else {
        var i = this.#e.get(s);
        i && (this.#s.set(s, i.effect), this.#e.delete(s), i.fragment.lastChild.remove(), this.anchor.before(i.fragment), t = i.effect);
      }
      for (const [r, a] of this.#t) {
        if (this.#t.delete(r), r === e)
          break;
        const l = this.#e.get(a);
        l && (K(l.effect), this.#e.delete(a));
      }
      for (const [r, a] of this.#s) {
        if (r === s || this.#n.has(r)) continue;
        const l = () => {
          if (Array.from(this.#t.values()).includes(r)) {
            var u = document.createDocumentFragment();
            St(a, u), u.append(j()), this.#e.set(r, { effect: a, fragment: u });
          } else
            K(a);
          this.#n.delete(r), this.#s.delete(r);
        };
        this.#i || !t ? (this.#n.add(r), fe(a, l, !1)) : l();
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
      ue
    ), i = Ve();
    if (s && !this.#s.has(e) && !this.#e.has(e))
      if (i) {
        var r = document.createDocumentFragment(), a = j();
        r.append(a), this.#e.set(e, {
          effect: J(() => s(a)),
          fragment: r
        });
      } else
        this.#s.set(
          e,
          J(() => s(this.anchor))
        );
    if (this.#t.set(t, e), i) {
      for (const [l, c] of this.#s)
        l === e ? t.skipped_effects.delete(c) : t.skipped_effects.add(c);
      for (const [l, c] of this.#e)
        l === e ? t.skipped_effects.delete(c.effect) : t.skipped_effects.add(c.effect);
      t.oncommit(this.#r), t.ondiscard(this.#a);
    } else
      this.#r();
  }
}
function Kt(n) {
  Xe === null && Ze(), q(() => {
    const e = V(n);
    if (typeof e == "function") return (
      /** @type {() => void} */
      e
    );
  });
}
function Zt(n) {
  Xe === null && Ze(), Kt(() => () => V(n));
}
function G(n, e, s = !1) {
  var t = new Xt(n), i = s ? xt : 0;
  function r(a, l) {
    t.ensure(a, l);
  }
  Ke(() => {
    var a = !1;
    e((l, c = !0) => {
      a = !0, r(c, l);
    }), a || r(!1, null);
  }, i);
}
function Qt(n, e, s) {
  for (var t = [], i = e.length, r, a = e.length, l = 0; l < i; l++) {
    let m = e[l];
    fe(
      m,
      () => {
        if (r) {
          if (r.pending.delete(m), r.done.add(m), r.pending.size === 0) {
            var g = (
              /** @type {Set<EachOutroGroup>} */
              n.outrogroups
            );
            he(pe(r.done)), g.delete(r), g.size === 0 && (n.outrogroups = null);
          }
        } else
          a -= 1;
      },
      !1
    );
  }
  if (a === 0) {
    var c = t.length === 0 && s !== null;
    if (c) {
      var u = (
        /** @type {Element} */
        s
      ), p = (
        /** @type {Element} */
        u.parentNode
      );
      Ct(p), p.append(u), n.items.clear();
    }
    he(e, !c);
  } else
    r = {
      pending: new Set(e),
      done: /* @__PURE__ */ new Set()
    }, (n.outrogroups ??= /* @__PURE__ */ new Set()).add(r);
}
function he(n, e = !0) {
  for (var s = 0; s < n.length; s++)
    K(n[s], e);
}
var Le;
function es(n, e, s, t, i, r = null) {
  var a = n, l = /* @__PURE__ */ new Map();
  {
    var c = (
      /** @type {Element} */
      n
    );
    a = c.appendChild(j());
  }
  var u = null, p = Tt(() => {
    var _ = s();
    return je(_) ? _ : _ == null ? [] : pe(_);
  }), m, g = !0;
  function x() {
    A.fallback = u, ts(A, m, a, e, t), u !== null && (m.length === 0 ? (u.f & F) === 0 ? de(u) : (u.f ^= F, Y(u, null, a)) : fe(u, () => {
      u = null;
    }));
  }
  var d = Ke(() => {
    m = /** @type {V[]} */
    h(p);
    for (var _ = m.length, M = /* @__PURE__ */ new Set(), y = (
      /** @type {Batch} */
      ue
    ), U = Ve(), I = 0; I < _; I += 1) {
      var C = m[I], R = t(C, I), w = g ? null : l.get(R);
      w ? (w.v && Ce(w.v, C), w.i && Ce(w.i, I), U && y.skipped_effects.delete(w.e)) : (w = ss(
        l,
        g ? a : Le ??= j(),
        C,
        R,
        I,
        i,
        e,
        s
      ), g || (w.e.f |= F), l.set(R, w)), M.add(R);
    }
    if (_ === 0 && r && !u && (g ? u = J(() => r(a)) : (u = J(() => r(Le ??= j())), u.f |= F)), !g)
      if (U) {
        for (const [N, z] of l)
          M.has(N) || y.skipped_effects.add(z.e);
        y.oncommit(x), y.ondiscard(() => {
        });
      } else
        x();
    h(p);
  }), A = { effect: d, items: l, outrogroups: null, fallback: u };
  g = !1;
}
function ts(n, e, s, t, i) {
  var r = e.length, a = n.items, l = n.effect.first, c, u = null, p = [], m = [], g, x, d, A;
  for (A = 0; A < r; A += 1) {
    if (g = e[A], x = i(g, A), d = /** @type {EachItem} */
    a.get(x).e, n.outrogroups !== null)
      for (const N of n.outrogroups)
        N.pending.delete(d), N.done.delete(d);
    if ((d.f & F) !== 0)
      if (d.f ^= F, d === l)
        Y(d, null, s);
      else {
        var _ = u ? u.next : l;
        d === n.effect.last && (n.effect.last = d.prev), d.prev && (d.prev.next = d.next), d.next && (d.next.prev = d.prev), $(n, u, d), $(n, d, _), Y(d, _, s), u = d, p = [], m = [], l = u.next;
        continue;
      }
    if ((d.f & ie) !== 0 && de(d), d !== l) {
      if (c !== void 0 && c.has(d)) {
        if (p.length < m.length) {
          var M = m[0], y;
          u = M.prev;
          var U = p[0], I = p[p.length - 1];
          for (y = 0; y < p.length; y += 1)
            Y(p[y], M, s);
          for (y = 0; y < m.length; y += 1)
            c.delete(m[y]);
          $(n, U.prev, I.next), $(n, u, U), $(n, I, M), l = M, u = I, A -= 1, p = [], m = [];
        } else
          c.delete(d), Y(d, l, s), $(n, d.prev, d.next), $(n, d, u === null ? n.effect.first : u.next), $(n, u, d), u = d;
        continue;
      }
      for (p = [], m = []; l !== null && l !== d; )
        (c ??= /* @__PURE__ */ new Set()).add(l), m.push(l), l = l.next;
      if (l === null)
        continue;
    }
    (d.f & F) === 0 && p.push(d), u = d, l = d.next;
  }
  if (n.outrogroups !== null) {
    for (const N of n.outrogroups)
      N.pending.size === 0 && (he(pe(N.done)), n.outrogroups?.delete(N));
    n.outrogroups.size === 0 && (n.outrogroups = null);
  }
  if (l !== null || c !== void 0) {
    var C = [];
    if (c !== void 0)
      for (d of c)
        (d.f & ie) === 0 && C.push(d);
    for (; l !== null; )
      (l.f & ie) === 0 && l !== n.fallback && C.push(l), l = l.next;
    var R = C.length;
    if (R > 0) {
      var w = r === 0 ? s : null;
      Qt(n, C, w);
    }
  }
}
function ss(n, e, s, t, i, r, a, l) {
  var c = (a & Et) !== 0 ? (a & It) === 0 ? Pt(s, !1, !1) : Re(s) : null, u = (a & At) !== 0 ? Re(i) : null;
  return {
    v: c,
    i: u,
    e: J(() => (r(e, c ?? s, u ?? i, l), () => {
      n.delete(t);
    }))
  };
}
function Y(n, e, s) {
  if (n.nodes)
    for (var t = n.nodes.start, i = n.nodes.end, r = e && (e.f & F) === 0 ? (
      /** @type {EffectNodes} */
      e.nodes.start
    ) : s; t !== null; ) {
      var a = (
        /** @type {TemplateNode} */
        Rt(t)
      );
      if (r.before(t), t === i)
        return;
      t = a;
    }
}
function $(n, e, s) {
  e === null ? n.effect.first = s : e.next = s, s === null ? n.effect.last = e : s.prev = e;
}
const Oe = [...` 	
\r\f \v\uFEFF`];
function ns(n, e, s) {
  var t = n == null ? "" : "" + n;
  if (e && (t = t ? t + " " + e : e), s) {
    for (var i in s)
      if (s[i])
        t = t ? t + " " + i : i;
      else if (t.length)
        for (var r = i.length, a = 0; (a = t.indexOf(i, a)) >= 0; ) {
          var l = a + r;
          (a === 0 || Oe.includes(t[a - 1])) && (l === t.length || Oe.includes(t[l])) ? t = (a === 0 ? "" : t.substring(0, a)) + t.substring(l + 1) : a = l;
        }
  }
  return t === "" ? null : t;
}
function He(n, e = !1) {
  var s = e ? " !important;" : ";", t = "";
  for (var i in n) {
    var r = n[i];
    r != null && r !== "" && (t += " " + i + ": " + r + s);
  }
  return t;
}
function is(n, e) {
  if (e) {
    var s = "", t, i;
    return Array.isArray(e) ? (t = e[0], i = e[1]) : t = e, t && (s += He(t)), i && (s += He(i, !0)), s = s.trim(), s === "" ? null : s;
  }
  return String(n);
}
function ae(n, e, s, t, i, r) {
  var a = n.__className;
  if (a !== s || a === void 0) {
    var l = ns(s, t, r);
    l == null ? n.removeAttribute("class") : n.className = l, n.__className = s;
  } else if (r && i !== r)
    for (var c in r) {
      var u = !!r[c];
      (i == null || u !== !!i[c]) && n.classList.toggle(c, u);
    }
  return r;
}
function oe(n, e = {}, s, t) {
  for (var i in s) {
    var r = s[i];
    e[i] !== r && (s[i] == null ? n.style.removeProperty(i) : n.style.setProperty(i, r, t));
  }
}
function le(n, e, s, t) {
  var i = n.__style;
  if (i !== e) {
    var r = is(e, t);
    r == null ? n.removeAttribute("style") : n.style.cssText = r, n.__style = e;
  } else t && (Array.isArray(t) ? (oe(n, s?.[0], t[0]), oe(n, s?.[1], t[1], "important")) : oe(n, s, t));
  return t;
}
const rs = /* @__PURE__ */ Symbol("is custom element"), as = /* @__PURE__ */ Symbol("is html");
function Ue(n, e, s, t) {
  var i = os(n);
  i[e] !== (i[e] = s) && (e === "loading" && (n[Nt] = s), s == null ? n.removeAttribute(e) : typeof s != "string" && ls(n).includes(e) ? n[e] = s : n.setAttribute(e, s));
}
function os(n) {
  return (
    /** @type {Record<string | symbol, unknown>} **/
    // @ts-expect-error
    n.__attributes ??= {
      [rs]: n.nodeName.includes("-"),
      [as]: n.namespaceURI === Lt
    }
  );
}
var $e = /* @__PURE__ */ new Map();
function ls(n) {
  var e = n.getAttribute("is") || n.nodeName, s = $e.get(e);
  if (s) return s;
  $e.set(e, s = []);
  for (var t, i = n, r = Element.prototype; r !== i; ) {
    t = Ot(i);
    for (var a in t)
      t[a].set && s.push(a);
    i = Je(i);
  }
  return s;
}
function De(n, e) {
  return n === e || n?.[Dt] === e;
}
function cs(n = {}, e, s, t) {
  return Ht(() => {
    var i, r;
    return Ut(() => {
      i = r, r = [], V(() => {
        n !== s(...r) && (e(n, ...r), i && De(s(...i), n) && e(null, ...i));
      });
    }), () => {
      $t(() => {
        r && De(s(...r), n) && e(null, ...r);
      });
    };
  }), n;
}
function us(n, e, s) {
  if (n == null)
    return e(void 0), Ft;
  const t = V(
    () => n.subscribe(
      e,
      // @ts-expect-error
      s
    )
  );
  return t.unsubscribe ? () => t.unsubscribe() : t;
}
function hs(n) {
  let e;
  return us(n, (s) => e = s)(), e;
}
const ds = {
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
function fs(n, e, s) {
  return new Proxy(
    { props: n, exclude: e },
    ds
  );
}
const ps = [
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
], Fe = {
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
ps.reduce((n, { color: e, primary: s, secondary: t }) => ({
  ...n,
  [e]: {
    primary: Fe[e][s],
    secondary: Fe[e][t]
  }
}), {});
function ms(n) {
  let e;
  const s = Bt((i) => {
    let r = !1;
    const a = n.subscribe((l) => {
      e = l, r && i();
    });
    return r = !0, a;
  });
  function t() {
    return zt() ? (s(), e) : hs(n);
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
const _s = "__i18n__", vs = [
  "label",
  "info",
  "placeholder",
  "description",
  "title",
  "value"
], bs = [
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
function gs(n) {
  return typeof n == "string" && n.includes(_s);
}
class ys {
  load_component;
  #t = P(ee({}));
  get shared() {
    return h(this.#t);
  }
  set shared(e) {
    k(this.#t, e, !0);
  }
  #s = P(ee({}));
  get props() {
    return h(this.#s);
  }
  set props(e) {
    k(this.#s, e, !0);
  }
  #e = P((e) => e);
  get i18n() {
    return h(this.#e);
  }
  set i18n(e) {
    k(this.#e, e, !0);
  }
  i18n_store;
  _i18n_from_store;
  translatable_props = {};
  dispatcher;
  last_update = null;
  shared_props = bs;
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
    this.i18n = this.props.i18n ?? ((t) => t), this.i18n_store = e.props.i18n_store, this._i18n_from_store = this.i18n_store ? ms(this.i18n_store) : void 0;
    for (const t of vs)
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
    ), this.registered_id = this.shared.id, this.last_shared_props = e.shared_props, this.last_props = e.props, q(() => {
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
    }), q(() => () => {
      this.registered_id !== null && this.unregister_component(this.registered_id, this.set_data_callback);
    }), q(() => this.i18n_store ? this.i18n_store.subscribe(() => {
      for (const [i, r] of Object.entries(this.translatable_props)) {
        const [a, l] = i.split("."), c = this.i18n(r);
        a === "shared" ? this.shared[l] = c : this.props[l] = c;
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
    return Jt(this.props);
  }
  update(e) {
    this.set_data(e);
  }
  set_data(e) {
    for (const s in e) {
      const t = e[s], i = gs(t) ? this._translate_and_store(this.shared_props.includes(s) ? "shared" : "props", s, t) : t;
      if (this.shared_props.includes(s)) {
        const r = s;
        this.shared[r] = i;
        continue;
      }
      this.props[s] = i;
    }
  }
  watch_for_change() {
    q(() => {
      this.mounted || (this.old_value = this.props.value, this.mounted = !0), this.old_value != this.props.value && (this.old_value = this.props.value, this.dispatch("change"));
    });
  }
}
const Ms = -45, ks = -40;
function ze(n) {
  return n > 0 ? 20 * Math.log10(n) : -1 / 0;
}
function Be(n) {
  return Number.isFinite(n) ? Math.max(0, Math.min(100, (n + 60) / 60 * 100)) : 0;
}
function We(n) {
  return Number.isFinite(n) ? `${n.toFixed(1)} dBFS` : "–∞ dBFS";
}
function ws(n, e) {
  const s = {}, t = (r, a) => {
    a != null && a !== "" && (s[r] = String(a));
  };
  for (const [r, a] of Object.entries(n.sessionSettings || {})) t(r, a);
  s.sample_rate_hz = String(e);
  const i = {
    turn_detection: n.turnDetection,
    chunk_ms: n.chunkMs,
    vad_threshold: n.vadThreshold,
    vad_prefix_padding_ms: n.vadPrefixMs,
    vad_silence_ms: n.vadSilenceMs,
    vad_eagerness: n.vadEagerness,
    voice: n.voice,
    instructions: n.instructions,
    surface: n.surface
  };
  for (const [r, a] of Object.entries(i)) t(r, a);
  return s;
}
const Ss = 4e3;
function xs(n, e, s = location.href) {
  const t = new URL(n, s);
  t.protocol === "https:" ? t.protocol = "wss:" : t.protocol === "http:" && (t.protocol = "ws:");
  const { surface: i, ...r } = e, a = new URL(t);
  for (const [l, c] of Object.entries(e)) a.searchParams.set(l, c);
  return a.href.length <= Ss ? { url: a.href, settings: { type: "settings" } } : (i !== void 0 && t.searchParams.set("surface", i), { url: t.href, settings: { type: "settings", ...r } });
}
async function Ts(n, e, s) {
  const t = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: n.echoCancellation, noiseSuppression: !0, autoGainControl: !0 }
  }), i = { latencyHint: n.latencyHint ?? "interactive" };
  let r = null;
  if (n.contextRateHz)
    try {
      r = new AudioContext({ ...i, sampleRate: n.contextRateHz });
    } catch (p) {
      console.info(`${n.contextRateHz} Hz AudioContext refused, using the device rate`, p);
    }
  r = r || new AudioContext(i);
  let a;
  try {
    a = r.createMediaStreamSource(t);
  } catch (p) {
    console.info("mic cannot join a", r.sampleRate, "Hz context:", p), await r.close(), r = new AudioContext(i), a = r.createMediaStreamSource(t);
  }
  try {
    await r.audioWorklet.addModule(e.capture), await r.audioWorklet.addModule(e.playback);
  } catch (p) {
    for (const m of t.getTracks()) m.stop();
    throw await r.close(), p;
  }
  const l = new AudioWorkletNode(r, "pcm-capture", {
    processorOptions: { frameMs: n.captureFrameMs, voiceDbfs: Ms }
  }), c = r.createGain();
  c.gain.value = 0, a.connect(l).connect(c).connect(r.destination);
  const u = new AudioWorkletNode(r, "pcm-playback", {
    numberOfInputs: 0,
    numberOfOutputs: 1,
    outputChannelCount: [1],
    processorOptions: { prebufferMs: n.prebufferMs, tap: s, audibleDbfs: ks }
  });
  return u.connect(r.destination), await r.resume(), { ctx: r, stream: t, source: a, capture: l, sink: c, playback: u };
}
const As = 1e4, Es = 3, Is = 150;
class Ps {
  constructor() {
    this.offsetMs = null, this.rttMs = null, this.pongs = 0;
  }
  /** A `clock_ping` message for now (`nowMs`: performance.now()). */
  ping(e) {
    return { type: "clock_ping", client_ms: e };
  }
  /** A `clock_pong` arrived at `receivedMs` (performance.now()); returns true if it was used. */
  pong(e, s) {
    const t = Number(e && e.client_ms), i = Number(e && e.server_ms);
    if (!Number.isFinite(t) || !Number.isFinite(i) || s < t) return !1;
    const r = s - t;
    return this.pongs += 1, this.rttMs !== null && r >= this.rttMs ? !1 : (this.rttMs = r, this.offsetMs = i - (t + r / 2), !0);
  }
  /** Half the best round trip (ms), or null before the first pong. */
  get uncertaintyMs() {
    return this.rttMs === null ? null : this.rttMs / 2;
  }
  /** A page instant (performance.now() ms) on the server's clock, or null before a pong. */
  toServer(e) {
    return this.offsetMs === null || e === null || e === void 0 ? null : e + this.offsetMs;
  }
}
function Cs(n, e, s) {
  const t = (r) => r == null ? null : e.performanceTime + (r - e.contextTime) * 1e3, i = t(n.voiceEndCtx);
  return {
    speechEndMs: i === null ? null : i - s * 1e3,
    firstSampleMs: t(n.startCtx),
    firstAudibleMs: t(n.audibleCtx),
    receivedMs: n.receivedMs ?? null,
    speechEndInputMs: n.voiceEndInputMs ?? null
  };
}
function Rs(n, e, s) {
  if (!n.response_id || s.offsetMs === null) return null;
  const t = (i) => i == null ? null : Math.round(i * 10) / 10;
  return {
    type: "turn_report",
    response_id: n.response_id,
    speech_end_ms: t(s.toServer(e.speechEndMs)),
    speech_end_input_ms: e.speechEndInputMs == null ? null : t(Math.max(0, e.speechEndInputMs)),
    first_audio_received_ms: t(s.toServer(e.receivedMs)),
    first_audible_ms: t(s.toServer(e.firstAudibleMs)),
    first_sample_ms: t(s.toServer(e.firstSampleMs)),
    output_latency_ms: t(n.output_latency_ms),
    jitter_buffer_ms: t(n.jitter_buffer_ms),
    underruns: n.underruns,
    clock_uncertainty_ms: t(s.uncertaintyMs)
  };
}
const Ns = 30;
function Ge(n, e, s) {
  return n === null || e === null || !(n < e) || e - n > Ns ? null : (e + s - n) * 1e3;
}
class Ls {
  constructor() {
    this.items = /* @__PURE__ */ new Map(), this.itemByResponse = /* @__PURE__ */ new Map(), this.pending = [], this.lastVoiceEndCtx = null, this.lastVoiceEndInputMs = null, this.lastUserText = null, this.underruns = 0, this.deviceUnderruns = null, this.lastItemId = null;
  }
  /**
   * The microphone heard voice up to context time `endCtx` (s), which is `inputMs` into
   * the input sent to the server (ms since its first sample; null if not sent).
   */
  voiced(e, s = null) {
    this.lastVoiceEndCtx = e, this.lastVoiceEndInputMs = s;
  }
  setUnderruns(e) {
    this.underruns = e;
  }
  /** The output device's underrun (glitch) count so far, e.g. `ctx.playbackStats`. */
  setDeviceUnderruns(e) {
    this.deviceUnderruns = e;
  }
  /** `audio_start` from the server arrived at `receivedMs` (performance.now()): a new reply item. */
  audioStart(e, s, t = null) {
    const i = {
      itemId: e,
      responseId: s,
      receivedMs: t,
      startCtx: null,
      audibleCtx: null,
      voiceEndCtx: null,
      voiceEndInputMs: null,
      micToSpeakerMs: null,
      micToAudibleMs: null,
      outputLatencyMs: null,
      jitterBufferMs: null,
      underrunsAtStart: this.underruns,
      deviceUnderrunsAtStart: this.deviceUnderruns,
      text: "",
      textFinal: !1,
      ended: !1
    };
    return this.items.set(e, i), s && this.itemByResponse.set(s, e), this.items.size > 64 && this.items.delete(this.items.keys().next().value), this.itemByResponse.size > 64 && this.itemByResponse.delete(this.itemByResponse.keys().next().value), this.lastItemId && this.lastItemId !== e && this.endItem(this.lastItemId), this.lastItemId = e, i;
  }
  /** The playback worklet played the item's first sample at context time `ctxTime`. */
  itemStarted(e, s, t, i) {
    const r = this.items.get(e);
    return !r || r.startCtx !== null ? r || null : (r.startCtx = s, r.voiceEndCtx = this.lastVoiceEndCtx, r.voiceEndInputMs = this.lastVoiceEndInputMs, r.outputLatencyMs = t * 1e3, r.jitterBufferMs = i, r.micToSpeakerMs = Ge(r.voiceEndCtx, s, t), r);
  }
  /** The item's first audible block was played at context time `ctxTime`. */
  itemAudible(e, s, t) {
    const i = this.items.get(e);
    return !i || i.audibleCtx !== null ? [] : (i.audibleCtx = s, i.micToAudibleMs = Ge(i.voiceEndCtx, s, t), this.ready());
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
      device_underruns: t && t.deviceUnderrunsAtStart !== null && this.deviceUnderruns !== null ? Math.max(0, this.deviceUnderruns - t.deviceUnderrunsAtStart) : null,
      user_text: this.lastUserText,
      assistant_text: t && t.text ? t.text : null,
      timeline: i,
      summary: e.summary || {}
    };
  }
}
const Os = 100, Hs = 1e4, Us = 200, $s = 1e3, qe = 1500, te = {
  idle: "Idle",
  connecting: "Connecting…",
  listening: "Listening",
  user_speaking: "You are speaking",
  waiting: "Waiting for the model",
  playing: "Playing the reply",
  interrupted: "Interrupted",
  ended: "Ended"
}, ce = {
  stopped: "stopped",
  closed: "closed by the server",
  connection_lost: "connection lost",
  error: "error"
}, Q = Object.freeze({
  // Session settings (WebSocket query keys, docs/api.md); null: the server's default.
  sessionSettings: null,
  // {key: value} of RelaySettings names, sent as they are
  turnDetection: null,
  // none | server_vad | semantic_vad (overrides sessionSettings)
  vadThreshold: null,
  vadPrefixMs: null,
  vadSilenceMs: null,
  vadEagerness: null,
  voice: "",
  instructions: "",
  chunkMs: null,
  // the relay's upstream frame (ms)
  surface: null,
  // e.g. "talk": the session is recorded with that kind
  // The page's own choices.
  captureFrameMs: 10,
  // microphone frame sent over the WebSocket (ms): half of it, on
  // average, is added to the time the server's VAD needs to see your silence
  prebufferMs: 25,
  // the first reply's jitter cushion (playback-worklet.js; ms)
  contextRateHz: 24e3,
  // null: the device rate
  latencyHint: "interactive",
  // AudioContext latencyHint: a category or seconds
  echoCancellation: !0
});
class Ds {
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
      tap: t ? { sampleRateHz: null, chunks: [], mic: [] } : null,
      endReason: null,
      endText: null,
      features: [],
      clock: { offsetMs: null, rttMs: null, pongs: 0 },
      turnReportsSent: 0
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
    const s = { ...Q, ...e };
    this.setState("starting"), this.setPhase("connecting");
    let t;
    try {
      t = await Ts(s, this.workletUrls, !!this.metrics.tap);
    } catch (c) {
      this.setState("idle"), this.setPhase("idle"), this.fail({ code: "audio_unavailable", message: `Microphone/audio unavailable: ${c && c.message || c}` });
      return;
    }
    const i = this.session = {
      ...t,
      settings: s,
      ws: null,
      ready: !1,
      meter: new Ls(),
      lastPlayoutSentAt: 0,
      lastPlayed: { itemId: null, playedMs: 0 },
      speaking: !1,
      awaiting: !1,
      playing: !1,
      interruptedAt: 0,
      timers: /* @__PURE__ */ new Set(),
      flushWaiters: [],
      serverEndReason: null,
      serverEndText: null,
      lastError: null,
      features: /* @__PURE__ */ new Set(),
      clock: new Ps(),
      pinging: !1,
      inputSentMs: 0
    }, r = i.ctx;
    this.metrics.contextRateHz = r.sampleRate, this.metrics.outputLatencyMs = 1e3 * this.outputLatencyS(), this.metrics.tap && (this.metrics.tap.sampleRateHz = r.sampleRate), i.capture.port.onmessage = (c) => this.onCapture(c.data), i.playback.port.onmessage = (c) => this.onPlayback(c.data);
    let a;
    const l = xs(this.wsPath, ws(s, r.sampleRate));
    try {
      a = new WebSocket(l.url);
    } catch (c) {
      const u = `Cannot open the WebSocket: ${c && c.message || c}`;
      this.fail({ code: "bad_url", message: u }), this.teardown({ reason: "error", code: null, message: u, text: u });
      return;
    }
    a.binaryType = "arraybuffer", i.ws = a, a.onopen = () => a.send(JSON.stringify(l.settings)), a.onmessage = (c) => this.onMessage(i, c.data), a.onclose = (c) => {
      if (this.session !== i) return;
      const u = i.lastError;
      c.code !== 1e3 && !u && this.fail({
        code: "connection_closed",
        message: `Connection closed (code ${c.code}${c.reason ? ": " + c.reason : ""}); is the server running, are you logged in?`
      });
      const p = i.serverEndReason || (c.code === 1e3 ? "closed" : u ? "error" : "connection_lost"), m = i.serverEndText || (p === "error" && u ? u.message : ce[p] || p);
      this.teardown({ reason: p, code: c.code, message: u ? u.message : c.reason || null, text: m });
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
      this.teardown({ reason: "stopped", code: 1e3, message: null, text: ce.stopped });
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
  setPhase(e, s = te[e]) {
    e !== this.phase && (this.phase = e, this.metrics.phase = e, this.emit("phase", { phase: e, label: s }));
  }
  updatePhase() {
    const e = this.session;
    if (e) {
      if (!e.ready) return this.setPhase("connecting");
      if (e.playing) return this.setPhase("playing");
      if (e.speaking) return this.setPhase("user_speaking");
      if (e.awaiting) return this.setPhase("waiting");
      if (performance.now() - e.interruptedAt < qe) return this.setPhase("interrupted");
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
      const t = { ...e.lastPlayed }, i = (a) => {
        clearTimeout(r), s(a);
      }, r = setTimeout(() => {
        e.flushWaiters = e.flushWaiters.filter((a) => a !== i), s(t);
      }, Us);
      e.flushWaiters.push(i), e.playback.port.postMessage({ type: "flush" });
    });
  }
  reportTurns(e, s) {
    s.length && e.meter.setDeviceUnderruns(Ye(e.ctx));
    for (const t of s)
      D(this.metrics.reports, t, 500), this.sendTurnReport(e, t), this.emit("turn", t);
  }
  // --- the server's clock and turn reports (only when the server lists them) ----------
  startClock(e) {
    if (e.pinging || !e.features.has("clock_ping")) return;
    e.pinging = !0;
    const s = () => this.sendJson(e.clock.ping(performance.now()));
    for (let i = 0; i < Es; i++) this.later(e, i * Is, s);
    const t = setInterval(() => this.session === e ? s() : clearInterval(t), As);
    e.timers.add(t);
  }
  sendTurnReport(e, s) {
    if (!e.features.has("turn_report") || !e.ctx) return;
    const t = s.item_id ? e.meter.items.get(s.item_id) : null, i = Fs(e.ctx, this.outputLatencyS()), r = t ? Cs(t, i, this.outputLatencyS()) : { speechEndMs: null, firstSampleMs: null, firstAudibleMs: null, receivedMs: null, speechEndInputMs: null }, a = Rs(s, r, e.clock);
    a && (this.sendJson(a), this.metrics.turnReportsSent += 1);
  }
  onCapture(e) {
    const s = this.session;
    if (e.type !== "frame" || !s) return;
    this.emit("level", { source: "input", rms: e.rms }), this.metrics.tap && D(this.metrics.tap.mic, [e.endTime, e.rms], 1e5);
    const t = s.ws && s.ws.readyState === WebSocket.OPEN && s.ready;
    if (t && (s.ws.send(e.pcm), this.metrics.sentBytes += e.pcm.byteLength, s.inputSentMs += e.pcm.byteLength / 2 / s.ctx.sampleRate * 1e3), e.voicedEnd !== null && e.voicedEnd !== void 0) {
      const i = t ? s.inputSentMs - (e.endTime - e.voicedEnd) * 1e3 : null;
      s.meter.voiced(e.voicedEnd, i);
    }
  }
  onPlayback(e) {
    const s = this.session;
    if (s)
      switch (e.type) {
        case "position":
          if (this.emit("level", { source: "output", rms: e.rms }), e.itemId && e.playedMs !== null) {
            s.lastPlayed = { itemId: e.itemId, playedMs: e.playedMs };
            const t = performance.now();
            t - s.lastPlayoutSentAt >= Os && (s.lastPlayoutSentAt = t, this.sendPlayout(e.itemId, e.playedMs));
          }
          break;
        case "item_started": {
          const t = s.meter.itemStarted(e.itemId, e.ctxTime, this.outputLatencyS(), e.targetMs);
          t && (D(this.metrics.items, {
            itemId: e.itemId,
            startCtx: e.ctxTime,
            micToSpeakerMs: t.micToSpeakerMs,
            micToAudibleMs: null,
            jitterBufferMs: e.targetMs
          }, 500), t.micToSpeakerMs !== null && D(this.metrics.micToSpeakerMs, t.micToSpeakerMs, 500)), s.playing = !0, s.awaiting = !1, this.updatePhase(), this.sendPlayout(e.itemId, 0);
          break;
        }
        case "item_audible": {
          const t = s.meter.itemAudible(e.itemId, e.ctxTime, this.outputLatencyS()), i = this.metrics.items.find((a) => a.itemId === e.itemId), r = s.meter.items.get(e.itemId);
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
          this.metrics.tap && D(this.metrics.tap.chunks, { ctxTime: e.ctxTime, samples: e.samples }, 2e4);
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
      switch (t.type !== "level" && D(this.metrics.events, { t: performance.now(), type: t.type }, 5e3), t.type) {
        case "session":
          e.ready = !0, e.features = new Set(Array.isArray(t.features) ? t.features : []), this.metrics.features = [...e.features], this.startClock(e), this.setState("live"), this.emit("session", {
            ...t,
            context_rate_hz: e.ctx.sampleRate,
            output_latency_ms: 1e3 * this.outputLatencyS()
          }), this.updatePhase();
          break;
        case "audio_start":
          e.meter.setDeviceUnderruns(Ye(e.ctx)), e.meter.audioStart(t.item_id, t.response_id, performance.now()), e.playback.port.postMessage({ type: "item", itemId: t.item_id });
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
          D(this.metrics.interrupted, t, 100), e.playback.port.postMessage({ type: "flush" }), e.interruptedAt = performance.now(), e.playing = !1, this.emit("note", { text: `interrupted: reply cut at ${t.audio_end_ms} ms`, interrupted: t }), this.updatePhase(), this.later(e, qe + 10, () => this.updatePhase());
          break;
        case "turn_done":
          e.playback.port.postMessage({ type: "drain" }), D(this.metrics.turns, t, 500), e.awaiting = !1, t.status !== "completed" && this.emit("note", { text: `turn ${t.status}` }), this.reportTurns(e, e.meter.turnDone(t)), this.later(e, Hs, () => this.reportTurns(e, e.meter.flushAll())), this.updatePhase();
          break;
        case "error":
          e.lastError = t, this.fail({ ...t, source: "server" });
          break;
        case "session_ended":
          e.serverEndReason = t.reason, e.serverEndText = typeof t.text == "string" ? t.text : null;
          break;
        case "clock_pong":
          e.clock.pong(t, performance.now()), this.metrics.clock = { offsetMs: e.clock.offsetMs, rttMs: e.clock.rttMs, pongs: e.clock.pongs };
          break;
      }
  }
  teardown(e) {
    const s = this.session;
    if (!s) return;
    this.reportTurns(s, s.meter.flushAll()), this.session = null;
    for (const r of s.timers)
      clearTimeout(r), clearInterval(r);
    for (const r of s.flushWaiters) r({ ...s.lastPlayed });
    const t = s.ws;
    if (e.reason === "stopped" && t && t.readyState === WebSocket.OPEN)
      setTimeout(() => {
        try {
          t.close(1e3);
        } catch {
        }
      }, $s);
    else
      try {
        t && t.close(1e3);
      } catch {
      }
    for (const r of s.stream.getTracks()) r.stop();
    s.ctx.close(), this.emit("level", { source: "input", rms: 0 }), this.emit("level", { source: "output", rms: 0 }), this.setState("idle");
    const i = e.text || ce[e.reason] || e.reason;
    this.metrics.endReason = e.reason, this.metrics.endText = i, this.setPhase("ended", `${te.ended}: ${i}`), this.emit("ended", { ...e, text: i });
  }
}
function Ye(n) {
  try {
    const e = n && n.playbackStats;
    return e && Number.isFinite(e.underrunEvents) ? e.underrunEvents : null;
  } catch {
    return null;
  }
}
function Fs(n, e) {
  const s = n.getOutputTimestamp ? n.getOutputTimestamp() : null;
  return s && s.performanceTime > 0 ? { contextTime: s.contextTime, performanceTime: s.performanceTime } : { contextTime: n.currentTime, performanceTime: performance.now() + e * 1e3 };
}
function D(n, e, s) {
  n.push(e), n.length > s && n.splice(0, n.length - s);
}
const zs = `// AudioWorklet processor "pcm-capture": microphone -> PCM16 LE mono frames.
//
// Runs on the audio rendering thread. Mixes the input to mono, converts to 16-bit
// integers and posts one frame of \`frameMs\` at the context's own sample rate (the
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
`, Bs = `// AudioWorklet processor "pcm-playback": jitter-buffered playback of the model's
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
// lateness + 10 ms, or half the previous cushion if that is more (a spike is forgotten
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
`;
var Ws = /* @__PURE__ */ H('<span class="label svelte-1dmniai"> </span>'), Gs = /* @__PURE__ */ H('<button class="stop svelte-1dmniai">Stop</button>'), qs = /* @__PURE__ */ H('<button class="start primary svelte-1dmniai">Start</button>'), Ys = /* @__PURE__ */ H('<button class="commit svelte-1dmniai">Send turn</button>'), js = /* @__PURE__ */ H('<p class="error svelte-1dmniai" role="alert"> </p>'), Js = /* @__PURE__ */ H("<p> </p>"), Vs = /* @__PURE__ */ H(
  `<p class="small turn svelte-1dmniai"> <b> </b> </p> <p class="small excludes svelte-1dmniai">mic→ figures: last voiced microphone block → the reply at the output, on the audio clock,
      with the output latency; they exclude the microphone's own input latency.</p>`,
  1
), Xs = /* @__PURE__ */ H("<div> </div>"), Ks = /* @__PURE__ */ H('<div class="transcript svelte-1dmniai" aria-live="polite"></div>'), Zs = /* @__PURE__ */ H('<div><!> <div class="controls svelte-1dmniai"><!> <!> <button class="interrupt svelte-1dmniai">Interrupt</button> <span class="phase svelte-1dmniai" role="status"> </span></div> <!> <div class="meters svelte-1dmniai"><span>mic</span> <div class="meter svelte-1dmniai"><div class="bar in svelte-1dmniai"></div></div> <span class="db svelte-1dmniai"> </span> <span>reply</span> <div class="meter svelte-1dmniai"><div class="bar out svelte-1dmniai"></div></div> <span class="db svelte-1dmniai"> </span></div> <!> <!> <!></div>');
function en(n, e) {
  qt(e, !0);
  const s = 100, t = 200, i = 200, r = /* @__PURE__ */ fs(e, ["$$slots", "$$events", "$$legacy"]), a = new ys(r), l = (o) => URL.createObjectURL(new Blob([o], { type: "text/javascript" })), c = new Ds({
    workletUrls: {
      capture: l(zs),
      playback: l(Bs)
    }
  });
  let u = P(null), p = P("idle"), m = P(ee(te.idle)), g = P(null), x = P(null), d = P(-1 / 0), A = P(-1 / 0), _ = P(null), M = P(ee(
    []
    // {key, role, text, final}
  ));
  const y = re(() => h(p) !== "idle" && h(p) !== "ended"), U = re(() => a.props.turn_detection ?? a.props.settings?.turn_detection ?? null), I = re(() => h(U) === null || h(U) === "none");
  function C() {
    const o = a.props;
    return {
      sessionSettings: o.settings ?? null,
      surface: o.surface ?? null,
      turnDetection: o.turn_detection ?? null,
      vadThreshold: o.vad_threshold ?? null,
      vadPrefixMs: o.vad_prefix_padding_ms ?? null,
      vadSilenceMs: o.vad_silence_ms ?? null,
      vadEagerness: o.vad_eagerness ?? null,
      voice: o.voice ?? "",
      instructions: o.instructions ?? "",
      chunkMs: o.chunk_ms ?? null,
      prebufferMs: o.prebuffer_ms ?? Q.prebufferMs,
      contextRateHz: o.context_rate_hz ?? null,
      latencyHint: o.latency_hint ?? Q.latencyHint,
      echoCancellation: o.echo_cancellation ?? Q.echoCancellation
    };
  }
  function R(o) {
    const f = a.props.value ?? { session_id: null, turns: [], transcript: [] };
    a.props.value = o({ ...f, turns: [...f.turns], transcript: [...f.transcript] });
  }
  function w(o, f) {
    return o.length > f ? o.slice(o.length - f) : o;
  }
  c.on("phase", (o) => {
    k(p, o.phase, !0), k(m, o.label ?? te[o.phase] ?? o.phase, !0);
  }), c.on("level", (o) => {
    o.source === "input" ? k(d, ze(o.rms), !0) : k(A, ze(o.rms), !0);
  }), c.on("session", (o) => {
    k(x, o, !0);
    const f = {
      session_id: o.session_id,
      backend: o.backend,
      description: o.description,
      dialect: o.dialect,
      is_mock: !!o.is_mock,
      context_rate_hz: o.context_rate_hz,
      output_latency_ms: o.output_latency_ms
    };
    R((b) => ({ ...b, session_id: o.session_id })), a.dispatch("session_start", f);
  }), c.on("transcript", (o) => {
    const f = `${o.role}:${o.item_id}`, b = h(M).findIndex((v) => v.key === f);
    if (b < 0) k(
      M,
      w(
        [
          ...h(M),
          { key: f, role: o.role, text: o.text, final: o.final }
        ],
        i
      ),
      !0
    );
    else {
      const v = h(M)[b];
      h(M)[b] = {
        ...v,
        text: o.final ? o.text : v.final ? v.text : v.text + o.text,
        final: v.final || o.final
      };
    }
    if (o.final) {
      const v = { role: o.role, item_id: o.item_id, text: o.text };
      R((E) => ({
        ...E,
        transcript: w([...E.transcript, v], t)
      })), a.dispatch("transcript", v);
    }
  }), c.on("turn", (o) => {
    k(_, o, !0), R((f) => ({ ...f, turns: w([...f.turns, o], s) })), a.dispatch("turn", o);
  }), c.on("error", (o) => {
    k(g, o, !0), a.dispatch("session_error", o);
  }), c.on("ended", (o) => {
    a.dispatch("session_end", {
      reason: o.reason,
      code: o.code ?? null,
      message: o.message ?? null,
      text: o.text ?? null
    });
  });
  function N() {
    k(g, null), k(M, [], !0), k(_, null), k(x, null), a.props.value = { session_id: null, turns: [], transcript: [] }, c.wsPath = a.props.ws_path ?? "/ws/realtime", c.start(C());
  }
  q(() => {
    h(u) && (h(u).realtimeClient = c);
  }), Zt(() => c.stop());
  const z = (o) => o == null ? "–" : `${Math.round(o)} ms`;
  var B = Zs();
  let me, _e;
  var ve = T(B);
  {
    var Qe = (o) => {
      var f = Ws(), b = T(f);
      W(() => L(b, a.shared.label)), O(o, f);
    };
    G(ve, (o) => {
      a.shared.show_label !== !1 && a.shared.label && o(Qe);
    });
  }
  var be = S(ve, 2), ge = T(be);
  {
    var et = (o) => {
      var f = Gs();
      f.__click = () => c.stop(), O(o, f);
    }, tt = (o) => {
      var f = qs();
      f.__click = N, O(o, f);
    };
    G(ge, (o) => {
      h(y) ? o(et) : o(tt, !1);
    });
  }
  var ye = S(ge, 2);
  {
    var st = (o) => {
      var f = Ys();
      f.__click = () => c.commit(), W(() => f.disabled = !h(y)), O(o, f);
    };
    G(ye, (o) => {
      h(I) && o(st);
    });
  }
  var se = S(ye, 2);
  se.__click = () => c.interrupt();
  var nt = S(se, 2), it = T(nt), Me = S(be, 2);
  {
    var rt = (o) => {
      var f = js(), b = T(f);
      W(() => L(b, `${h(g).message ?? ""}${h(g).retryable ? " (retrying)" : ""}`)), O(o, f);
    };
    G(Me, (o) => {
      h(g) && o(rt);
    });
  }
  var ke = S(Me, 2), we = S(T(ke), 2), at = T(we);
  let Se;
  var xe = S(we, 2), ot = T(xe), Te = S(xe, 4), lt = T(Te);
  let Ae;
  var ct = S(Te, 2), ut = T(ct), Ee = S(ke, 2);
  {
    var ht = (o) => {
      var f = Js();
      let b;
      var v = T(f);
      W(
        (E) => {
          b = ae(f, 1, "small backend svelte-1dmniai", null, b, { mock: h(x).is_mock }), L(v, `${h(x).description ?? ""} (${h(x).is_mock ? "MOCK" : "LIVE"}) · AudioContext ${h(x).context_rate_hz ?? ""} Hz ·
      output latency ${E ?? ""}`);
        },
        [() => z(h(x).output_latency_ms)]
      ), O(o, f);
    };
    G(Ee, (o) => {
      h(x) && o(ht);
    });
  }
  var Ie = S(Ee, 2);
  {
    var dt = (o) => {
      var f = Vs(), b = Yt(f), v = T(b), E = S(v), X = T(E), ne = S(E);
      W(
        (mt, _t, vt, bt) => {
          L(v, `Turn ${h(_).turn_index === null ? "?" : h(_).turn_index + 1}: mic→first reply sample `), L(X, mt), L(ne, `, →first audible ${_t ?? ""}
      · server time to first audio ${vt ?? ""} · jitter cushion
      ${bt ?? ""} · stalls: ${h(_).underruns ?? ""} late audio${h(_).device_underruns === null ? "" : `, ${h(_).device_underruns} output glitches`}`);
        },
        [
          () => z(h(_).mic_to_speaker_ms),
          () => z(h(_).mic_to_audible_ms),
          () => z(h(_).timeline?.ttfa_ms),
          () => z(h(_).jitter_buffer_ms)
        ]
      ), O(o, f);
    };
    G(Ie, (o) => {
      h(_) && o(dt);
    });
  }
  var ft = S(Ie, 2);
  {
    var pt = (o) => {
      var f = Ks();
      es(f, 21, () => h(M), (b) => b.key, (b, v) => {
        var E = Xs();
        let X;
        var ne = T(E);
        W(() => {
          X = ae(E, 1, `msg ${h(v).role ?? ""}`, "svelte-1dmniai", X, { partial: !h(v).final }), L(ne, `${h(v).role === "user" ? "You" : "Assistant"}: ${h(v).text ?? ""}`);
        }), O(b, E);
      }), O(o, f);
    };
    G(ft, (o) => {
      a.props.show_transcript !== !1 && h(M).length && o(pt);
    });
  }
  cs(B, (o) => k(u, o), () => h(u)), W(
    (o, f, b, v, E) => {
      Ue(B, "id", a.shared.elem_id || null), me = ae(B, 1, `block realtime-audio ${o ?? ""}`, "svelte-1dmniai", me, {
        hidden: a.shared.visible === !1,
        boxed: a.shared.container !== !1
      }), Ue(B, "data-phase", h(p)), _e = le(B, "", _e, {
        "flex-grow": a.shared.scale ?? null,
        "min-width": a.shared.min_width ? `min(${a.shared.min_width}px, 100%)` : null
      }), se.disabled = !h(y), L(it, h(m)), Se = le(at, "", Se, f), L(ot, b), Ae = le(lt, "", Ae, v), L(ut, E);
    },
    [
      () => (a.shared.elem_classes || []).join(" "),
      () => ({ width: `${Be(h(d)) ?? ""}%` }),
      () => We(h(d)),
      () => ({ width: `${Be(h(A)) ?? ""}%` }),
      () => We(h(A))
    ]
  ), O(n, B), Gt();
}
Wt(["click"]);
export {
  en as default
};
