const Dn = 1, Pn = 2, Mn = 16, In = 2, y = /* @__PURE__ */ Symbol(), jn = "http://www.w3.org/1999/xhtml", Re = !1;
var Ot = Array.isArray, Nt = Array.prototype.indexOf, Dt = Array.from, Pt = Object.defineProperty, ce = Object.getOwnPropertyDescriptor, qn = Object.getOwnPropertyDescriptors, Mt = Object.prototype, It = Array.prototype, jt = Object.getPrototypeOf, Ke = Object.isExtensible;
const Ln = () => {
};
function qt(e) {
  for (var t = 0; t < e.length; t++)
    e[t]();
}
function Je() {
  var e, t, n = new Promise((r, s) => {
    e = r, t = s;
  });
  return { promise: n, resolve: e, reject: t };
}
const E = 2, Ee = 4, Ae = 8, Qe = 1 << 24, B = 16, U = 32, re = 64, Pe = 128, k = 512, m = 1024, b = 2048, Y = 4096, P = 8192, G = 16384, Me = 32768, he = 65536, Ge = 1 << 17, et = 1 << 18, ae = 1 << 19, Lt = 1 << 20, Vn = 1 << 25, te = 32768, Ce = 1 << 21, Ie = 1 << 22, $ = 1 << 23, ke = /* @__PURE__ */ Symbol("$state"), Bn = /* @__PURE__ */ Symbol(""), ie = new class extends Error {
  name = "StaleReactionError";
  message = "The reaction that called `getAbortSignal()` was re-run or destroyed";
}();
function Vt() {
  throw new Error("https://svelte.dev/e/async_derived_orphan");
}
function Bt(e) {
  throw new Error("https://svelte.dev/e/effect_in_teardown");
}
function Ut() {
  throw new Error("https://svelte.dev/e/effect_in_unowned_derived");
}
function Yt(e) {
  throw new Error("https://svelte.dev/e/effect_orphan");
}
function Ht() {
  throw new Error("https://svelte.dev/e/effect_update_depth_exceeded");
}
function Kt() {
  throw new Error("https://svelte.dev/e/state_descriptors_fixed");
}
function Gt() {
  throw new Error("https://svelte.dev/e/state_prototype_fixed");
}
function $t() {
  throw new Error("https://svelte.dev/e/state_unsafe_mutation");
}
function zt() {
  throw new Error("https://svelte.dev/e/svelte_boundary_reset_onerror");
}
function Wt() {
  console.warn("https://svelte.dev/e/svelte_boundary_reset_noop");
}
function tt(e) {
  return e === this.v;
}
function Xt(e, t) {
  return e != e ? t == t : e !== t || e !== null && typeof e == "object" || typeof e == "function";
}
function nt(e) {
  return !Xt(e, this.v);
}
let Zt = !1, R = null;
function le(e) {
  R = e;
}
function Jt(e, t = !1, n) {
  R = {
    p: R,
    i: !1,
    c: null,
    e: null,
    s: e,
    x: null,
    l: null
  };
}
function Qt(e) {
  var t = (
    /** @type {ComponentContext} */
    R
  ), n = t.e;
  if (n !== null) {
    t.e = null;
    for (var r of n)
      gt(r);
  }
  return t.i = !0, R = t.p, /** @type {T} */
  {};
}
function rt() {
  return !0;
}
let fe = [];
function en() {
  var e = fe;
  fe = [], qt(e);
}
function je(e) {
  if (fe.length === 0) {
    var t = fe;
    queueMicrotask(() => {
      t === fe && en();
    });
  }
  fe.push(e);
}
function st(e) {
  var t = v;
  if (t === null)
    return d.f |= $, e;
  if ((t.f & Me) === 0) {
    if ((t.f & Pe) === 0)
      throw e;
    t.b.error(e);
  } else
    ue(e, t);
}
function ue(e, t) {
  for (; t !== null; ) {
    if ((t.f & Pe) !== 0)
      try {
        t.b.error(e);
        return;
      } catch (n) {
        e = n;
      }
    t = t.parent;
  }
  throw e;
}
const tn = -7169;
function w(e, t) {
  e.f = e.f & tn | t;
}
function qe(e) {
  (e.f & k) !== 0 || e.deps === null ? w(e, m) : w(e, Y);
}
function it(e) {
  if (e !== null)
    for (const t of e)
      (t.f & E) === 0 || (t.f & te) === 0 || (t.f ^= te, it(
        /** @type {Derived} */
        t.deps
      ));
}
function ft(e, t, n) {
  (e.f & b) !== 0 ? t.add(e) : (e.f & Y) !== 0 && n.add(e), it(e.deps), w(e, m);
}
const ge = /* @__PURE__ */ new Set();
let g = null, C = null, N = [], Le = null, Fe = !1;
class D {
  committed = !1;
  /**
   * The current values of any sources that are updated in this batch
   * They keys of this map are identical to `this.#previous`
   * @type {Map<Source, any>}
   */
  current = /* @__PURE__ */ new Map();
  /**
   * The values of any sources that are updated in this batch _before_ those updates took place.
   * They keys of this map are identical to `this.#current`
   * @type {Map<Source, any>}
   */
  previous = /* @__PURE__ */ new Map();
  /**
   * When the batch is committed (and the DOM is updated), we need to remove old branches
   * and append new ones by calling the functions added inside (if/each/key/etc) blocks
   * @type {Set<() => void>}
   */
  #t = /* @__PURE__ */ new Set();
  /**
   * If a fork is discarded, we need to destroy any effects that are no longer needed
   * @type {Set<(batch: Batch) => void>}
   */
  #_ = /* @__PURE__ */ new Set();
  /**
   * The number of async effects that are currently in flight
   */
  #r = 0;
  /**
   * The number of async effects that are currently in flight, _not_ inside a pending boundary
   */
  #f = 0;
  /**
   * A deferred that resolves when the batch is committed, used with `settled()`
   * TODO replace with Promise.withResolvers once supported widely enough
   * @type {{ promise: Promise<void>, resolve: (value?: any) => void, reject: (reason: unknown) => void } | null}
   */
  #s = null;
  /**
   * Deferred effects (which run after async work has completed) that are DIRTY
   * @type {Set<Effect>}
   */
  #n = /* @__PURE__ */ new Set();
  /**
   * Deferred effects that are MAYBE_DIRTY
   * @type {Set<Effect>}
   */
  #e = /* @__PURE__ */ new Set();
  /**
   * A set of branches that still exist, but will be destroyed when this batch
   * is committed — we skip over these during `process`
   * @type {Set<Effect>}
   */
  skipped_effects = /* @__PURE__ */ new Set();
  is_fork = !1;
  is_deferred() {
    return this.is_fork || this.#f > 0;
  }
  /**
   *
   * @param {Effect[]} root_effects
   */
  process(t) {
    N = [], this.apply();
    var n = [], r = [];
    for (const s of t)
      this.#i(s, n, r);
    this.is_fork || this.#u(), this.is_deferred() ? (this.#l(r), this.#l(n)) : (g = null, $e(r), $e(n), this.#s?.resolve()), C = null;
  }
  /**
   * Traverse the effect tree, executing effects or stashing
   * them for later execution as appropriate
   * @param {Effect} root
   * @param {Effect[]} effects
   * @param {Effect[]} render_effects
   */
  #i(t, n, r) {
    t.f ^= m;
    for (var s = t.first, i = null; s !== null; ) {
      var l = s.f, u = (l & (U | re)) !== 0, f = u && (l & m) !== 0, a = f || (l & P) !== 0 || this.skipped_effects.has(s);
      if (!a && s.fn !== null) {
        u ? s.f ^= m : i !== null && (l & (Ee | Ae | Qe)) !== 0 ? i.b.defer_effect(s) : (l & Ee) !== 0 ? n.push(s) : pe(s) && ((l & B) !== 0 && this.#n.add(s), de(s));
        var o = s.first;
        if (o !== null) {
          s = o;
          continue;
        }
      }
      var h = s.parent;
      for (s = s.next; s === null && h !== null; )
        h === i && (i = null), s = h.next, h = h.parent;
    }
  }
  /**
   * @param {Effect[]} effects
   */
  #l(t) {
    for (var n = 0; n < t.length; n += 1)
      ft(t[n], this.#n, this.#e);
  }
  /**
   * Associate a change to a given source with the current
   * batch, noting its previous and current values
   * @param {Source} source
   * @param {any} value
   */
  capture(t, n) {
    n !== y && !this.previous.has(t) && this.previous.set(t, n), (t.f & $) === 0 && (this.current.set(t, t.v), C?.set(t, t.v));
  }
  activate() {
    g = this, this.apply();
  }
  deactivate() {
    g === this && (g = null, C = null);
  }
  flush() {
    if (this.activate(), N.length > 0) {
      if (nn(), g !== null && g !== this)
        return;
    } else this.#r === 0 && this.process([]);
    this.deactivate();
  }
  discard() {
    for (const t of this.#_) t(this);
    this.#_.clear();
  }
  #u() {
    if (this.#f === 0) {
      for (const t of this.#t) t();
      this.#t.clear();
    }
    this.#r === 0 && this.#a();
  }
  #a() {
    if (ge.size > 1) {
      this.previous.clear();
      var t = C, n = !0;
      for (const s of ge) {
        if (s === this) {
          n = !1;
          continue;
        }
        const i = [];
        for (const [u, f] of this.current) {
          if (s.current.has(u))
            if (n && f !== s.current.get(u))
              s.current.set(u, f);
            else
              continue;
          i.push(u);
        }
        if (i.length === 0)
          continue;
        const l = [...s.current.keys()].filter((u) => !this.current.has(u));
        if (l.length > 0) {
          var r = N;
          N = [];
          const u = /* @__PURE__ */ new Set(), f = /* @__PURE__ */ new Map();
          for (const a of i)
            lt(a, l, u, f);
          if (N.length > 0) {
            g = s, s.apply();
            for (const a of N)
              s.#i(a, [], []);
            s.deactivate();
          }
          N = r;
        }
      }
      g = null, C = t;
    }
    this.committed = !0, ge.delete(this);
  }
  /**
   *
   * @param {boolean} blocking
   */
  increment(t) {
    this.#r += 1, t && (this.#f += 1);
  }
  /**
   *
   * @param {boolean} blocking
   */
  decrement(t) {
    this.#r -= 1, t && (this.#f -= 1), this.revive();
  }
  revive() {
    for (const t of this.#n)
      this.#e.delete(t), w(t, b), V(t);
    for (const t of this.#e)
      w(t, Y), V(t);
    this.flush();
  }
  /** @param {() => void} fn */
  oncommit(t) {
    this.#t.add(t);
  }
  /** @param {(batch: Batch) => void} fn */
  ondiscard(t) {
    this.#_.add(t);
  }
  settled() {
    return (this.#s ??= Je()).promise;
  }
  static ensure() {
    if (g === null) {
      const t = g = new D();
      ge.add(g), D.enqueue(() => {
        g === t && t.flush();
      });
    }
    return g;
  }
  /** @param {() => void} task */
  static enqueue(t) {
    je(t);
  }
  apply() {
  }
}
function nn() {
  var e = Q;
  Fe = !0;
  var t = null;
  try {
    var n = 0;
    for (xe(!0); N.length > 0; ) {
      var r = D.ensure();
      if (n++ > 1e3) {
        var s, i;
        rn();
      }
      r.process(N), z.clear();
    }
  } finally {
    Fe = !1, xe(e), Le = null;
  }
}
function rn() {
  try {
    Ht();
  } catch (e) {
    ue(e, Le);
  }
}
let q = null;
function $e(e) {
  var t = e.length;
  if (t !== 0) {
    for (var n = 0; n < t; ) {
      var r = e[n++];
      if ((r.f & (G | P)) === 0 && pe(r) && (q = /* @__PURE__ */ new Set(), de(r), r.deps === null && r.first === null && r.nodes === null && (r.teardown === null && r.ac === null ? Et(r) : r.fn = null), q?.size > 0)) {
        z.clear();
        for (const s of q) {
          if ((s.f & (G | P)) !== 0) continue;
          const i = [s];
          let l = s.parent;
          for (; l !== null; )
            q.has(l) && (q.delete(l), i.push(l)), l = l.parent;
          for (let u = i.length - 1; u >= 0; u--) {
            const f = i[u];
            (f.f & (G | P)) === 0 && de(f);
          }
        }
        q.clear();
      }
    }
    q = null;
  }
}
function lt(e, t, n, r) {
  if (!n.has(e) && (n.add(e), e.reactions !== null))
    for (const s of e.reactions) {
      const i = s.f;
      (i & E) !== 0 ? lt(
        /** @type {Derived} */
        s,
        t,
        n,
        r
      ) : (i & (Ie | B)) !== 0 && (i & b) === 0 && ut(s, t, r) && (w(s, b), V(
        /** @type {Effect} */
        s
      ));
    }
}
function ut(e, t, n) {
  const r = n.get(e);
  if (r !== void 0) return r;
  if (e.deps !== null)
    for (const s of e.deps) {
      if (t.includes(s))
        return !0;
      if ((s.f & E) !== 0 && ut(
        /** @type {Derived} */
        s,
        t,
        n
      ))
        return n.set(
          /** @type {Derived} */
          s,
          !0
        ), !0;
    }
  return n.set(e, !1), !1;
}
function V(e) {
  for (var t = Le = e; t.parent !== null; ) {
    t = t.parent;
    var n = t.f;
    if (Fe && t === v && (n & B) !== 0 && (n & et) === 0)
      return;
    if ((n & (re | U)) !== 0) {
      if ((n & m) === 0) return;
      t.f ^= m;
    }
  }
  N.push(t);
}
function sn(e) {
  let t = 0, n = ve(0), r;
  return () => {
    Ye() && (J(n), bn(() => (t === 0 && (r = Cn(() => e(() => _e(n)))), t += 1, () => {
      je(() => {
        t -= 1, t === 0 && (r?.(), r = void 0, _e(n));
      });
    })));
  };
}
var fn = he | ae | Pe;
function ln(e, t, n) {
  new un(e, t, n);
}
class un {
  /** @type {Boundary | null} */
  parent;
  is_pending = !1;
  /** @type {TemplateNode} */
  #t;
  /** @type {TemplateNode | null} */
  #_ = null;
  /** @type {BoundaryProps} */
  #r;
  /** @type {((anchor: Node) => void)} */
  #f;
  /** @type {Effect} */
  #s;
  /** @type {Effect | null} */
  #n = null;
  /** @type {Effect | null} */
  #e = null;
  /** @type {Effect | null} */
  #i = null;
  /** @type {DocumentFragment | null} */
  #l = null;
  /** @type {TemplateNode | null} */
  #u = null;
  #a = 0;
  #o = 0;
  #h = !1;
  /** @type {Set<Effect>} */
  #d = /* @__PURE__ */ new Set();
  /** @type {Set<Effect>} */
  #v = /* @__PURE__ */ new Set();
  /**
   * A source containing the number of pending async deriveds/expressions.
   * Only created if `$effect.pending()` is used inside the boundary,
   * otherwise updating the source results in needless `Batch.ensure()`
   * calls followed by no-op flushes
   * @type {Source<number> | null}
   */
  #c = null;
  #E = sn(() => (this.#c = ve(this.#a), () => {
    this.#c = null;
  }));
  /**
   * @param {TemplateNode} node
   * @param {BoundaryProps} props
   * @param {((anchor: Node) => void)} children
   */
  constructor(t, n, r) {
    this.#t = t, this.#r = n, this.#f = r, this.parent = /** @type {Effect} */
    v.b, this.is_pending = !!this.#r.pending, this.#s = xn(() => {
      v.b = this;
      {
        var s = this.#w();
        try {
          this.#n = W(() => r(s));
        } catch (i) {
          this.error(i);
        }
        this.#o > 0 ? this.#g() : this.is_pending = !1;
      }
      return () => {
        this.#u?.remove();
      };
    }, fn);
  }
  #m() {
    try {
      this.#n = W(() => this.#f(this.#t));
    } catch (t) {
      this.error(t);
    }
  }
  #b() {
    const t = this.#r.pending;
    t && (this.#e = W(() => t(this.#t)), D.enqueue(() => {
      var n = this.#w();
      this.#n = this.#p(() => (D.ensure(), W(() => this.#f(n)))), this.#o > 0 ? this.#g() : (ye(
        /** @type {Effect} */
        this.#e,
        () => {
          this.#e = null;
        }
      ), this.is_pending = !1);
    }));
  }
  #w() {
    var t = this.#t;
    return this.is_pending && (this.#u = vt(), this.#t.before(this.#u), t = this.#u), t;
  }
  /**
   * Defer an effect inside a pending boundary until the boundary resolves
   * @param {Effect} effect
   */
  defer_effect(t) {
    ft(t, this.#d, this.#v);
  }
  /**
   * Returns `false` if the effect exists inside a boundary whose pending snippet is shown
   * @returns {boolean}
   */
  is_rendered() {
    return !this.is_pending && (!this.parent || this.parent.is_rendered());
  }
  has_pending_snippet() {
    return !!this.#r.pending;
  }
  /**
   * @param {() => Effect | null} fn
   */
  #p(t) {
    var n = v, r = d, s = R;
    I(this.#s), T(this.#s), le(this.#s.ctx);
    try {
      return t();
    } catch (i) {
      return st(i), null;
    } finally {
      I(n), T(r), le(s);
    }
  }
  #g() {
    const t = (
      /** @type {(anchor: Node) => void} */
      this.#r.pending
    );
    this.#n !== null && (this.#l = document.createDocumentFragment(), this.#l.append(
      /** @type {TemplateNode} */
      this.#u
    ), Sn(this.#n, this.#l)), this.#e === null && (this.#e = W(() => t(this.#t)));
  }
  /**
   * Updates the pending count associated with the currently visible pending snippet,
   * if any, such that we can replace the snippet with content once work is done
   * @param {1 | -1} d
   */
  #y(t) {
    if (!this.has_pending_snippet()) {
      this.parent && this.parent.#y(t);
      return;
    }
    if (this.#o += t, this.#o === 0) {
      this.is_pending = !1;
      for (const n of this.#d)
        w(n, b), V(n);
      for (const n of this.#v)
        w(n, Y), V(n);
      this.#d.clear(), this.#v.clear(), this.#e && ye(this.#e, () => {
        this.#e = null;
      }), this.#l && (this.#t.before(this.#l), this.#l = null);
    }
  }
  /**
   * Update the source that powers `$effect.pending()` inside this boundary,
   * and controls when the current `pending` snippet (if any) is removed.
   * Do not call from inside the class
   * @param {1 | -1} d
   */
  update_pending_count(t) {
    this.#y(t), this.#a += t, this.#c && be(this.#c, this.#a);
  }
  get_effect_pending() {
    return this.#E(), J(
      /** @type {Source<number>} */
      this.#c
    );
  }
  /** @param {unknown} error */
  error(t) {
    var n = this.#r.onerror;
    let r = this.#r.failed;
    if (this.#h || !n && !r)
      throw t;
    this.#n && (M(this.#n), this.#n = null), this.#e && (M(this.#e), this.#e = null), this.#i && (M(this.#i), this.#i = null);
    var s = !1, i = !1;
    const l = () => {
      if (s) {
        Wt();
        return;
      }
      s = !0, i && zt(), D.ensure(), this.#a = 0, this.#i !== null && ye(this.#i, () => {
        this.#i = null;
      }), this.is_pending = this.has_pending_snippet(), this.#n = this.#p(() => (this.#h = !1, W(() => this.#f(this.#t)))), this.#o > 0 ? this.#g() : this.is_pending = !1;
    };
    var u = d;
    try {
      T(null), i = !0, n?.(t, l), i = !1;
    } catch (f) {
      ue(f, this.#s && this.#s.parent);
    } finally {
      T(u);
    }
    r && je(() => {
      this.#i = this.#p(() => {
        D.ensure(), this.#h = !0;
        try {
          return W(() => {
            r(
              this.#t,
              () => t,
              () => l
            );
          });
        } catch (f) {
          return ue(
            f,
            /** @type {Effect} */
            this.#s.parent
          ), null;
        } finally {
          this.#h = !1;
        }
      });
    });
  }
}
function an(e, t, n, r) {
  const s = Ve;
  if (n.length === 0 && e.length === 0) {
    r(t.map(s));
    return;
  }
  var i = g, l = (
    /** @type {Effect} */
    v
  ), u = on();
  function f() {
    Promise.all(n.map((a) => /* @__PURE__ */ cn(a))).then((a) => {
      u();
      try {
        r([...t.map(s), ...a]);
      } catch (o) {
        (l.f & G) === 0 && ue(o, l);
      }
      i?.deactivate(), me();
    }).catch((a) => {
      ue(a, l);
    });
  }
  e.length > 0 ? Promise.all(e).then(() => {
    u();
    try {
      return f();
    } finally {
      i?.deactivate(), me();
    }
  }) : f();
}
function on() {
  var e = v, t = d, n = R, r = g;
  return function(i = !0) {
    I(e), T(t), le(n), i && r?.activate();
  };
}
function me() {
  I(null), T(null), le(null);
}
// @__NO_SIDE_EFFECTS__
function Ve(e) {
  var t = E | b, n = d !== null && (d.f & E) !== 0 ? (
    /** @type {Derived} */
    d
  ) : null;
  return v !== null && (v.f |= ae), {
    ctx: R,
    deps: null,
    effects: null,
    equals: tt,
    f: t,
    fn: e,
    reactions: null,
    rv: 0,
    v: (
      /** @type {V} */
      y
    ),
    wv: 0,
    parent: n ?? v,
    ac: null
  };
}
// @__NO_SIDE_EFFECTS__
function cn(e, t, n) {
  let r = (
    /** @type {Effect | null} */
    v
  );
  r === null && Vt();
  var s = (
    /** @type {Boundary} */
    r.b
  ), i = (
    /** @type {Promise<V>} */
    /** @type {unknown} */
    void 0
  ), l = ve(
    /** @type {V} */
    y
  ), u = !d, f = /* @__PURE__ */ new Map();
  return mn(() => {
    var a = Je();
    i = a.promise;
    try {
      Promise.resolve(e()).then(a.resolve, a.reject).then(() => {
        o === g && o.committed && o.deactivate(), me();
      });
    } catch (_) {
      a.reject(_), me();
    }
    var o = (
      /** @type {Batch} */
      g
    );
    if (u) {
      var h = s.is_rendered();
      s.update_pending_count(1), o.increment(h), f.get(o)?.reject(ie), f.delete(o), f.set(o, a);
    }
    const c = (_, p = void 0) => {
      if (o.activate(), p)
        p !== ie && (l.f |= $, be(l, p));
      else {
        (l.f & $) !== 0 && (l.f ^= $), be(l, _);
        for (const [O, j] of f) {
          if (f.delete(O), O === o) break;
          j.reject(ie);
        }
      }
      u && (s.update_pending_count(-1), o.decrement(h));
    };
    a.promise.then(c, (_) => c(null, _ || "unknown"));
  }), yn(() => {
    for (const a of f.values())
      a.reject(ie);
  }), new Promise((a) => {
    function o(h) {
      function c() {
        h === i ? a(l) : o(i);
      }
      h.then(c, c);
    }
    o(i);
  });
}
// @__NO_SIDE_EFFECTS__
function Yn(e) {
  const t = /* @__PURE__ */ Ve(e);
  return xt(t), t;
}
// @__NO_SIDE_EFFECTS__
function Hn(e) {
  const t = /* @__PURE__ */ Ve(e);
  return t.equals = nt, t;
}
function at(e) {
  var t = e.effects;
  if (t !== null) {
    e.effects = null;
    for (var n = 0; n < t.length; n += 1)
      M(
        /** @type {Effect} */
        t[n]
      );
  }
}
function _n(e) {
  for (var t = e.parent; t !== null; ) {
    if ((t.f & E) === 0)
      return (t.f & G) === 0 ? (
        /** @type {Effect} */
        t
      ) : null;
    t = t.parent;
  }
  return null;
}
function Be(e) {
  var t, n = v;
  I(_n(e));
  try {
    e.f &= ~te, at(e), t = kt(e);
  } finally {
    I(n);
  }
  return t;
}
function ot(e) {
  var t = Be(e);
  if (!e.equals(t) && (e.wv = At(), (!g?.is_fork || e.deps === null) && (e.v = t, e.deps === null))) {
    w(e, m);
    return;
  }
  ne || (C !== null ? (Ye() || g?.is_fork) && C.set(e, t) : qe(e));
}
let Oe = /* @__PURE__ */ new Set();
const z = /* @__PURE__ */ new Map();
let ct = !1;
function ve(e, t) {
  var n = {
    f: 0,
    // TODO ideally we could skip this altogether, but it causes type errors
    v: e,
    reactions: null,
    equals: tt,
    rv: 0,
    wv: 0
  };
  return n;
}
// @__NO_SIDE_EFFECTS__
function K(e, t) {
  const n = ve(e);
  return xt(n), n;
}
// @__NO_SIDE_EFFECTS__
function Kn(e, t = !1, n = !0) {
  const r = ve(e);
  return t || (r.equals = nt), r;
}
function X(e, t, n = !1) {
  d !== null && // since we are untracking the function inside `$inspect.with` we need to add this check
  // to ensure we error if state is set inside an inspect effect
  (!F || (d.f & Ge) !== 0) && rt() && (d.f & (E | B | Ie | Ge)) !== 0 && !L?.includes(e) && $t();
  let r = n ? oe(t) : t;
  return be(e, r);
}
function be(e, t) {
  if (!e.equals(t)) {
    var n = e.v;
    ne ? z.set(e, t) : z.set(e, n), e.v = t;
    var r = D.ensure();
    if (r.capture(e, n), (e.f & E) !== 0) {
      const s = (
        /** @type {Derived} */
        e
      );
      (e.f & b) !== 0 && Be(s), qe(s);
    }
    e.wv = At(), _t(e, b), v !== null && (v.f & m) !== 0 && (v.f & (U | re)) === 0 && (S === null ? kn([e]) : S.push(e)), !r.is_fork && Oe.size > 0 && !ct && hn();
  }
  return t;
}
function hn() {
  ct = !1;
  var e = Q;
  xe(!0);
  const t = Array.from(Oe);
  try {
    for (const n of t)
      (n.f & m) !== 0 && w(n, Y), pe(n) && de(n);
  } finally {
    xe(e);
  }
  Oe.clear();
}
function _e(e) {
  X(e, e.v + 1);
}
function _t(e, t) {
  var n = e.reactions;
  if (n !== null)
    for (var r = n.length, s = 0; s < r; s++) {
      var i = n[s], l = i.f, u = (l & b) === 0;
      if (u && w(i, t), (l & E) !== 0) {
        var f = (
          /** @type {Derived} */
          i
        );
        C?.delete(f), (l & te) === 0 && (l & k && (i.f |= te), _t(f, Y));
      } else u && ((l & B) !== 0 && q !== null && q.add(
        /** @type {Effect} */
        i
      ), V(
        /** @type {Effect} */
        i
      ));
    }
}
function oe(e) {
  if (typeof e != "object" || e === null || ke in e)
    return e;
  const t = jt(e);
  if (t !== Mt && t !== It)
    return e;
  var n = /* @__PURE__ */ new Map(), r = Ot(e), s = /* @__PURE__ */ K(0), i = ee, l = (u) => {
    if (ee === i)
      return u();
    var f = d, a = ee;
    T(null), Xe(i);
    var o = u();
    return T(f), Xe(a), o;
  };
  return r && n.set("length", /* @__PURE__ */ K(
    /** @type {any[]} */
    e.length
  )), new Proxy(
    /** @type {any} */
    e,
    {
      defineProperty(u, f, a) {
        (!("value" in a) || a.configurable === !1 || a.enumerable === !1 || a.writable === !1) && Kt();
        var o = n.get(f);
        return o === void 0 ? o = l(() => {
          var h = /* @__PURE__ */ K(a.value);
          return n.set(f, h), h;
        }) : X(o, a.value, !0), !0;
      },
      deleteProperty(u, f) {
        var a = n.get(f);
        if (a === void 0) {
          if (f in u) {
            const o = l(() => /* @__PURE__ */ K(y));
            n.set(f, o), _e(s);
          }
        } else
          X(a, y), _e(s);
        return !0;
      },
      get(u, f, a) {
        if (f === ke)
          return e;
        var o = n.get(f), h = f in u;
        if (o === void 0 && (!h || ce(u, f)?.writable) && (o = l(() => {
          var _ = oe(h ? u[f] : y), p = /* @__PURE__ */ K(_);
          return p;
        }), n.set(f, o)), o !== void 0) {
          var c = J(o);
          return c === y ? void 0 : c;
        }
        return Reflect.get(u, f, a);
      },
      getOwnPropertyDescriptor(u, f) {
        var a = Reflect.getOwnPropertyDescriptor(u, f);
        if (a && "value" in a) {
          var o = n.get(f);
          o && (a.value = J(o));
        } else if (a === void 0) {
          var h = n.get(f), c = h?.v;
          if (h !== void 0 && c !== y)
            return {
              enumerable: !0,
              configurable: !0,
              value: c,
              writable: !0
            };
        }
        return a;
      },
      has(u, f) {
        if (f === ke)
          return !0;
        var a = n.get(f), o = a !== void 0 && a.v !== y || Reflect.has(u, f);
        if (a !== void 0 || v !== null && (!o || ce(u, f)?.writable)) {
          a === void 0 && (a = l(() => {
            var c = o ? oe(u[f]) : y, _ = /* @__PURE__ */ K(c);
            return _;
          }), n.set(f, a));
          var h = J(a);
          if (h === y)
            return !1;
        }
        return o;
      },
      set(u, f, a, o) {
        var h = n.get(f), c = f in u;
        if (r && f === "length")
          for (var _ = a; _ < /** @type {Source<number>} */
          h.v; _ += 1) {
            var p = n.get(_ + "");
            p !== void 0 ? X(p, y) : _ in u && (p = l(() => /* @__PURE__ */ K(y)), n.set(_ + "", p));
          }
        if (h === void 0)
          (!c || ce(u, f)?.writable) && (h = l(() => /* @__PURE__ */ K(void 0)), X(h, oe(a)), n.set(f, h));
        else {
          c = h.v !== y;
          var O = l(() => oe(a));
          X(h, O);
        }
        var j = Reflect.getOwnPropertyDescriptor(u, f);
        if (j?.set && j.set.call(o, a), !c) {
          if (r && typeof f == "string") {
            var He = (
              /** @type {Source<number>} */
              n.get("length")
            ), Se = Number(f);
            Number.isInteger(Se) && Se >= He.v && X(He, Se + 1);
          }
          _e(s);
        }
        return !0;
      },
      ownKeys(u) {
        J(s);
        var f = Reflect.ownKeys(u).filter((h) => {
          var c = n.get(h);
          return c === void 0 || c.v !== y;
        });
        for (var [a, o] of n)
          o.v !== y && !(a in u) && f.push(a);
        return f;
      },
      setPrototypeOf() {
        Gt();
      }
    }
  );
}
var ze, dn, ht, dt;
function vn() {
  if (ze === void 0) {
    ze = window, dn = /Firefox/.test(navigator.userAgent);
    var e = Element.prototype, t = Node.prototype, n = Text.prototype;
    ht = ce(t, "firstChild").get, dt = ce(t, "nextSibling").get, Ke(e) && (e.__click = void 0, e.__className = void 0, e.__attributes = null, e.__style = void 0, e.__e = void 0), Ke(n) && (n.__t = void 0);
  }
}
function vt(e = "") {
  return document.createTextNode(e);
}
// @__NO_SIDE_EFFECTS__
function pn(e) {
  return (
    /** @type {TemplateNode | null} */
    ht.call(e)
  );
}
// @__NO_SIDE_EFFECTS__
function Ue(e) {
  return (
    /** @type {TemplateNode | null} */
    dt.call(e)
  );
}
function Gn(e, t) {
  return /* @__PURE__ */ pn(e);
}
function $n(e, t = 1, n = !1) {
  let r = e;
  for (; t--; )
    r = /** @type {TemplateNode} */
    /* @__PURE__ */ Ue(r);
  return r;
}
function zn(e) {
  e.textContent = "";
}
function Wn() {
  return !1;
}
function pt(e) {
  var t = d, n = v;
  T(null), I(null);
  try {
    return e();
  } finally {
    T(t), I(n);
  }
}
function gn(e) {
  v === null && (d === null && Yt(), Ut()), ne && Bt();
}
function wn(e, t) {
  var n = t.last;
  n === null ? t.last = t.first = e : (n.next = e, e.prev = n, t.last = e);
}
function H(e, t, n) {
  var r = v;
  r !== null && (r.f & P) !== 0 && (e |= P);
  var s = {
    ctx: R,
    deps: null,
    nodes: null,
    f: e | b | k,
    first: null,
    fn: t,
    last: null,
    next: null,
    parent: r,
    b: r && r.b,
    prev: null,
    teardown: null,
    wv: 0,
    ac: null
  };
  if (n)
    try {
      de(s), s.f |= Me;
    } catch (u) {
      throw M(s), u;
    }
  else t !== null && V(s);
  var i = s;
  if (n && i.deps === null && i.teardown === null && i.nodes === null && i.first === i.last && // either `null`, or a singular child
  (i.f & ae) === 0 && (i = i.first, (e & B) !== 0 && (e & he) !== 0 && i !== null && (i.f |= he)), i !== null && (i.parent = r, r !== null && wn(i, r), d !== null && (d.f & E) !== 0 && (e & re) === 0)) {
    var l = (
      /** @type {Derived} */
      d
    );
    (l.effects ??= []).push(i);
  }
  return s;
}
function Ye() {
  return d !== null && !F;
}
function yn(e) {
  const t = H(Ae, null, !1);
  return w(t, m), t.teardown = e, t;
}
function Xn(e) {
  gn();
  var t = (
    /** @type {Effect} */
    v.f
  ), n = !d && (t & U) !== 0 && (t & Me) === 0;
  if (n) {
    var r = (
      /** @type {ComponentContext} */
      R
    );
    (r.e ??= []).push(e);
  } else
    return gt(e);
}
function gt(e) {
  return H(Ee | Lt, e, !1);
}
function En(e) {
  D.ensure();
  const t = H(re | ae, e, !0);
  return (n = {}) => new Promise((r) => {
    n.outro ? ye(t, () => {
      M(t), r(void 0);
    }) : (M(t), r(void 0));
  });
}
function Zn(e) {
  return H(Ee, e, !1);
}
function mn(e) {
  return H(Ie | ae, e, !0);
}
function bn(e, t = 0) {
  return H(Ae | t, e, !0);
}
function Jn(e, t = [], n = [], r = []) {
  an(r, t, n, (s) => {
    H(Ae, () => e(...s.map(J)), !0);
  });
}
function xn(e, t = 0) {
  var n = H(B | t, e, !0);
  return n;
}
function W(e) {
  return H(U | ae, e, !0);
}
function wt(e) {
  var t = e.teardown;
  if (t !== null) {
    const n = ne, r = d;
    We(!0), T(null);
    try {
      t.call(null);
    } finally {
      We(n), T(r);
    }
  }
}
function yt(e, t = !1) {
  var n = e.first;
  for (e.first = e.last = null; n !== null; ) {
    const s = n.ac;
    s !== null && pt(() => {
      s.abort(ie);
    });
    var r = n.next;
    (n.f & re) !== 0 ? n.parent = null : M(n, t), n = r;
  }
}
function Tn(e) {
  for (var t = e.first; t !== null; ) {
    var n = t.next;
    (t.f & U) === 0 && M(t), t = n;
  }
}
function M(e, t = !0) {
  var n = !1;
  (t || (e.f & et) !== 0) && e.nodes !== null && e.nodes.end !== null && (An(
    e.nodes.start,
    /** @type {TemplateNode} */
    e.nodes.end
  ), n = !0), yt(e, t && !n), Te(e, 0), w(e, G);
  var r = e.nodes && e.nodes.t;
  if (r !== null)
    for (const i of r)
      i.stop();
  wt(e);
  var s = e.parent;
  s !== null && s.first !== null && Et(e), e.next = e.prev = e.teardown = e.ctx = e.deps = e.fn = e.nodes = e.ac = null;
}
function An(e, t) {
  for (; e !== null; ) {
    var n = e === t ? null : /* @__PURE__ */ Ue(e);
    e.remove(), e = n;
  }
}
function Et(e) {
  var t = e.parent, n = e.prev, r = e.next;
  n !== null && (n.next = r), r !== null && (r.prev = n), t !== null && (t.first === e && (t.first = r), t.last === e && (t.last = n));
}
function ye(e, t, n = !0) {
  var r = [];
  mt(e, r, !0);
  var s = () => {
    n && M(e), t && t();
  }, i = r.length;
  if (i > 0) {
    var l = () => --i || s();
    for (var u of r)
      u.out(l);
  } else
    s();
}
function mt(e, t, n) {
  if ((e.f & P) === 0) {
    e.f ^= P;
    var r = e.nodes && e.nodes.t;
    if (r !== null)
      for (const u of r)
        (u.is_global || n) && t.push(u);
    for (var s = e.first; s !== null; ) {
      var i = s.next, l = (s.f & he) !== 0 || // If this is a branch effect without a block effect parent,
      // it means the parent block effect was pruned. In that case,
      // transparency information was transferred to the branch effect.
      (s.f & U) !== 0 && (e.f & B) !== 0;
      mt(s, t, l ? n : !1), s = i;
    }
  }
}
function Qn(e) {
  bt(e, !0);
}
function bt(e, t) {
  if ((e.f & P) !== 0) {
    e.f ^= P, (e.f & m) === 0 && (w(e, b), V(e));
    for (var n = e.first; n !== null; ) {
      var r = n.next, s = (n.f & he) !== 0 || (n.f & U) !== 0;
      bt(n, s ? t : !1), n = r;
    }
    var i = e.nodes && e.nodes.t;
    if (i !== null)
      for (const l of i)
        (l.is_global || t) && l.in();
  }
}
function Sn(e, t) {
  if (e.nodes)
    for (var n = e.nodes.start, r = e.nodes.end; n !== null; ) {
      var s = n === r ? null : /* @__PURE__ */ Ue(n);
      t.append(n), n = s;
    }
}
let Q = !1;
function xe(e) {
  Q = e;
}
let ne = !1;
function We(e) {
  ne = e;
}
let d = null, F = !1;
function T(e) {
  d = e;
}
let v = null;
function I(e) {
  v = e;
}
let L = null;
function xt(e) {
  d !== null && (L === null ? L = [e] : L.push(e));
}
let x = null, A = 0, S = null;
function kn(e) {
  S = e;
}
let Tt = 1, Z = 0, ee = Z;
function Xe(e) {
  ee = e;
}
function At() {
  return ++Tt;
}
function pe(e) {
  var t = e.f;
  if ((t & b) !== 0)
    return !0;
  if (t & E && (e.f &= ~te), (t & Y) !== 0) {
    for (var n = (
      /** @type {Value[]} */
      e.deps
    ), r = n.length, s = 0; s < r; s++) {
      var i = n[s];
      if (pe(
        /** @type {Derived} */
        i
      ) && ot(
        /** @type {Derived} */
        i
      ), i.wv > e.wv)
        return !0;
    }
    (t & k) !== 0 && // During time traveling we don't want to reset the status so that
    // traversal of the graph in the other batches still happens
    C === null && w(e, m);
  }
  return !1;
}
function St(e, t, n = !0) {
  var r = e.reactions;
  if (r !== null && !L?.includes(e))
    for (var s = 0; s < r.length; s++) {
      var i = r[s];
      (i.f & E) !== 0 ? St(
        /** @type {Derived} */
        i,
        t,
        !1
      ) : t === i && (n ? w(i, b) : (i.f & m) !== 0 && w(i, Y), V(
        /** @type {Effect} */
        i
      ));
    }
}
function kt(e) {
  var t = x, n = A, r = S, s = d, i = L, l = R, u = F, f = ee, a = e.f;
  x = /** @type {null | Value[]} */
  null, A = 0, S = null, d = (a & (U | re)) === 0 ? e : null, L = null, le(e.ctx), F = !1, ee = ++Z, e.ac !== null && (pt(() => {
    e.ac.abort(ie);
  }), e.ac = null);
  try {
    e.f |= Ce;
    var o = (
      /** @type {Function} */
      e.fn
    ), h = o(), c = e.deps;
    if (x !== null) {
      var _;
      if (Te(e, A), c !== null && A > 0)
        for (c.length = A + x.length, _ = 0; _ < x.length; _++)
          c[A + _] = x[_];
      else
        e.deps = c = x;
      if (Ye() && (e.f & k) !== 0)
        for (_ = A; _ < c.length; _++)
          (c[_].reactions ??= []).push(e);
    } else c !== null && A < c.length && (Te(e, A), c.length = A);
    if (rt() && S !== null && !F && c !== null && (e.f & (E | Y | b)) === 0)
      for (_ = 0; _ < /** @type {Source[]} */
      S.length; _++)
        St(
          S[_],
          /** @type {Effect} */
          e
        );
    if (s !== null && s !== e) {
      if (Z++, s.deps !== null)
        for (let p = 0; p < n; p += 1)
          s.deps[p].rv = Z;
      if (t !== null)
        for (const p of t)
          p.rv = Z;
      S !== null && (r === null ? r = S : r.push(.../** @type {Source[]} */
      S));
    }
    return (e.f & $) !== 0 && (e.f ^= $), h;
  } catch (p) {
    return st(p);
  } finally {
    e.f ^= Ce, x = t, A = n, S = r, d = s, L = i, le(l), F = u, ee = f;
  }
}
function Rn(e, t) {
  let n = t.reactions;
  if (n !== null) {
    var r = Nt.call(n, e);
    if (r !== -1) {
      var s = n.length - 1;
      s === 0 ? n = t.reactions = null : (n[r] = n[s], n.pop());
    }
  }
  if (n === null && (t.f & E) !== 0 && // Destroying a child effect while updating a parent effect can cause a dependency to appear
  // to be unused, when in fact it is used by the currently-updating parent. Checking `new_deps`
  // allows us to skip the expensive work of disconnecting and immediately reconnecting it
  (x === null || !x.includes(t))) {
    var i = (
      /** @type {Derived} */
      t
    );
    (i.f & k) !== 0 && (i.f ^= k, i.f &= ~te), qe(i), at(i), Te(i, 0);
  }
}
function Te(e, t) {
  var n = e.deps;
  if (n !== null)
    for (var r = t; r < n.length; r++)
      Rn(e, n[r]);
}
function de(e) {
  var t = e.f;
  if ((t & G) === 0) {
    w(e, m);
    var n = v, r = Q;
    v = e, Q = !0;
    try {
      (t & (B | Qe)) !== 0 ? Tn(e) : yt(e), wt(e);
      var s = kt(e);
      e.teardown = typeof s == "function" ? s : null, e.wv = Tt;
      var i;
      Re && Zt && (e.f & b) !== 0 && e.deps;
    } finally {
      Q = r, v = n;
    }
  }
}
function J(e) {
  var t = e.f, n = (t & E) !== 0;
  if (d !== null && !F) {
    var r = v !== null && (v.f & G) !== 0;
    if (!r && !L?.includes(e)) {
      var s = d.deps;
      if ((d.f & Ce) !== 0)
        e.rv < Z && (e.rv = Z, x === null && s !== null && s[A] === e ? A++ : x === null ? x = [e] : x.push(e));
      else {
        (d.deps ??= []).push(e);
        var i = e.reactions;
        i === null ? e.reactions = [d] : i.includes(d) || i.push(d);
      }
    }
  }
  if (ne && z.has(e))
    return z.get(e);
  if (n) {
    var l = (
      /** @type {Derived} */
      e
    );
    if (ne) {
      var u = l.v;
      return ((l.f & m) === 0 && l.reactions !== null || Ct(l)) && (u = Be(l)), z.set(l, u), u;
    }
    var f = (l.f & k) === 0 && !F && d !== null && (Q || (d.f & k) !== 0), a = l.deps === null;
    pe(l) && (f && (l.f |= k), ot(l)), f && !a && Rt(l);
  }
  if (C?.has(e))
    return C.get(e);
  if ((e.f & $) !== 0)
    throw e.v;
  return e.v;
}
function Rt(e) {
  if (e.deps !== null) {
    e.f |= k;
    for (const t of e.deps)
      (t.reactions ??= []).push(e), (t.f & E) !== 0 && (t.f & k) === 0 && Rt(
        /** @type {Derived} */
        t
      );
  }
}
function Ct(e) {
  if (e.v === y) return !0;
  if (e.deps === null) return !1;
  for (const t of e.deps)
    if (z.has(t) || (t.f & E) !== 0 && Ct(
      /** @type {Derived} */
      t
    ))
      return !0;
  return !1;
}
function Cn(e) {
  var t = F;
  try {
    return F = !0, e();
  } finally {
    F = t;
  }
}
const Ft = /* @__PURE__ */ new Set(), Ne = /* @__PURE__ */ new Set();
function er(e) {
  for (var t = 0; t < e.length; t++)
    Ft.add(e[t]);
  for (var n of Ne)
    n(e);
}
let Ze = null;
function we(e) {
  var t = this, n = (
    /** @type {Node} */
    t.ownerDocument
  ), r = e.type, s = e.composedPath?.() || [], i = (
    /** @type {null | Element} */
    s[0] || e.target
  );
  Ze = e;
  var l = 0, u = Ze === e && e.__root;
  if (u) {
    var f = s.indexOf(u);
    if (f !== -1 && (t === document || t === /** @type {any} */
    window)) {
      e.__root = t;
      return;
    }
    var a = s.indexOf(t);
    if (a === -1)
      return;
    f <= a && (l = f);
  }
  if (i = /** @type {Element} */
  s[l] || e.target, i !== t) {
    Pt(e, "currentTarget", {
      configurable: !0,
      get() {
        return i || n;
      }
    });
    var o = d, h = v;
    T(null), I(null);
    try {
      for (var c, _ = []; i !== null; ) {
        var p = i.assignedSlot || i.parentNode || /** @type {any} */
        i.host || null;
        try {
          var O = i["__" + r];
          O != null && (!/** @type {any} */
          i.disabled || // DOM could've been updated already by the time this is reached, so we check this as well
          // -> the target could not have been disabled because it emits the event in the first place
          e.target === i) && O.call(i, e);
        } catch (j) {
          c ? _.push(j) : c = j;
        }
        if (e.cancelBubble || p === t || p === null)
          break;
        i = p;
      }
      if (c) {
        for (let j of _)
          queueMicrotask(() => {
            throw j;
          });
        throw c;
      }
    } finally {
      e.__root = t, delete e.currentTarget, T(o), I(h);
    }
  }
}
const Fn = ["touchstart", "touchmove"];
function On(e) {
  return Fn.includes(e);
}
function tr(e, t) {
  var n = t == null ? "" : typeof t == "object" ? t + "" : t;
  n !== (e.__t ??= e.nodeValue) && (e.__t = n, e.nodeValue = n + "");
}
function nr(e, t) {
  return Nn(e, t);
}
const se = /* @__PURE__ */ new Map();
function Nn(e, { target: t, anchor: n, props: r = {}, events: s, context: i, intro: l = !0 }) {
  vn();
  var u = /* @__PURE__ */ new Set(), f = (h) => {
    for (var c = 0; c < h.length; c++) {
      var _ = h[c];
      if (!u.has(_)) {
        u.add(_);
        var p = On(_);
        t.addEventListener(_, we, { passive: p });
        var O = se.get(_);
        O === void 0 ? (document.addEventListener(_, we, { passive: p }), se.set(_, 1)) : se.set(_, O + 1);
      }
    }
  };
  f(Dt(Ft)), Ne.add(f);
  var a = void 0, o = En(() => {
    var h = n ?? t.appendChild(vt());
    return ln(
      /** @type {TemplateNode} */
      h,
      {
        pending: () => {
        }
      },
      (c) => {
        if (i) {
          Jt({});
          var _ = (
            /** @type {ComponentContext} */
            R
          );
          _.c = i;
        }
        s && (r.$$events = s), a = e(c, r) || {}, i && Qt();
      }
    ), () => {
      for (var c of u) {
        t.removeEventListener(c, we);
        var _ = (
          /** @type {number} */
          se.get(c)
        );
        --_ === 0 ? (document.removeEventListener(c, we), se.delete(c)) : se.set(c, _);
      }
      Ne.delete(f), h !== n && h.parentNode?.removeChild(h);
    };
  });
  return De.set(a, o), a;
}
let De = /* @__PURE__ */ new WeakMap();
function rr(e, t) {
  const n = De.get(e);
  return n ? (De.delete(e), n(t)) : Promise.resolve();
}
export {
  Yn as $,
  Dt as A,
  Vn as B,
  zn as C,
  Ue as D,
  he as E,
  qn as F,
  Zn as G,
  bn as H,
  P as I,
  je as J,
  Ln as K,
  Bn as L,
  Ye as M,
  jn as N,
  sn as O,
  K as P,
  oe as Q,
  X as R,
  ke as S,
  In as T,
  er as U,
  Jn as V,
  Qt as W,
  $n as X,
  Jt as Y,
  Gn as Z,
  tr as _,
  pn as a,
  nr as a0,
  rr as a1,
  dn as b,
  v as c,
  vt as d,
  g as e,
  M as f,
  jt as g,
  W as h,
  Ot as i,
  R as j,
  Cn as k,
  xn as l,
  Sn as m,
  J as n,
  Mt as o,
  ye as p,
  be as q,
  Qn as r,
  Wn as s,
  Hn as t,
  Xn as u,
  Pn as v,
  ve as w,
  Dn as x,
  Mn as y,
  Kn as z
};
