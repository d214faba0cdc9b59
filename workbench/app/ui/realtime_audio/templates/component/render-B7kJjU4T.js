const Pn = 1, Dn = 2, Mn = 16, In = 1, jn = 2, y = /* @__PURE__ */ Symbol(), qn = "http://www.w3.org/1999/xhtml", Ce = !1;
var Ot = Array.isArray, Pt = Array.prototype.indexOf, Dt = Array.from, Mt = Object.defineProperty, ce = Object.getOwnPropertyDescriptor, Ln = Object.getOwnPropertyDescriptors, It = Object.prototype, jt = Array.prototype, qt = Object.getPrototypeOf, Ge = Object.isExtensible;
const Vn = () => {
};
function Lt(e) {
  for (var t = 0; t < e.length; t++)
    e[t]();
}
function Je() {
  var e, t, n = new Promise((r, s) => {
    e = r, t = s;
  });
  return { promise: n, resolve: e, reject: t };
}
const E = 2, Ee = 4, Ae = 8, Qe = 1 << 24, B = 16, U = 32, re = 64, Me = 128, k = 512, m = 1024, b = 2048, Y = 4096, D = 8192, K = 16384, Ie = 32768, he = 65536, Ke = 1 << 17, et = 1 << 18, ae = 1 << 19, Vt = 1 << 20, Bn = 1 << 25, te = 32768, Fe = 1 << 21, je = 1 << 22, $ = 1 << 23, Re = /* @__PURE__ */ Symbol("$state"), Un = /* @__PURE__ */ Symbol(""), ie = new class extends Error {
  name = "StaleReactionError";
  message = "The reaction that called `getAbortSignal()` was re-run or destroyed";
}();
function Bt() {
  throw new Error("https://svelte.dev/e/async_derived_orphan");
}
function Ut(e) {
  throw new Error("https://svelte.dev/e/effect_in_teardown");
}
function Yt() {
  throw new Error("https://svelte.dev/e/effect_in_unowned_derived");
}
function Ht(e) {
  throw new Error("https://svelte.dev/e/effect_orphan");
}
function Gt() {
  throw new Error("https://svelte.dev/e/effect_update_depth_exceeded");
}
function Kt() {
  throw new Error("https://svelte.dev/e/state_descriptors_fixed");
}
function $t() {
  throw new Error("https://svelte.dev/e/state_prototype_fixed");
}
function zt() {
  throw new Error("https://svelte.dev/e/state_unsafe_mutation");
}
function Wt() {
  throw new Error("https://svelte.dev/e/svelte_boundary_reset_onerror");
}
function Xt() {
  console.warn("https://svelte.dev/e/svelte_boundary_reset_noop");
}
function tt(e) {
  return e === this.v;
}
function Zt(e, t) {
  return e != e ? t == t : e !== t || e !== null && typeof e == "object" || typeof e == "function";
}
function nt(e) {
  return !Zt(e, this.v);
}
let Jt = !1, R = null;
function le(e) {
  R = e;
}
function Qt(e, t = !1, n) {
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
function en(e) {
  var t = (
    /** @type {ComponentContext} */
    R
  ), n = t.e;
  if (n !== null) {
    t.e = null;
    for (var r of n)
      wt(r);
  }
  return t.i = !0, R = t.p, /** @type {T} */
  {};
}
function rt() {
  return !0;
}
let fe = [];
function tn() {
  var e = fe;
  fe = [], Lt(e);
}
function qe(e) {
  if (fe.length === 0) {
    var t = fe;
    queueMicrotask(() => {
      t === fe && tn();
    });
  }
  fe.push(e);
}
function st(e) {
  var t = v;
  if (t === null)
    return d.f |= $, e;
  if ((t.f & Ie) === 0) {
    if ((t.f & Me) === 0)
      throw e;
    t.b.error(e);
  } else
    ue(e, t);
}
function ue(e, t) {
  for (; t !== null; ) {
    if ((t.f & Me) !== 0)
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
const nn = -7169;
function w(e, t) {
  e.f = e.f & nn | t;
}
function Le(e) {
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
let g = null, C = null, O = [], Ve = null, Ne = !1;
class P {
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
    O = [], this.apply();
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
      var l = s.f, u = (l & (U | re)) !== 0, f = u && (l & m) !== 0, a = f || (l & D) !== 0 || this.skipped_effects.has(s);
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
    if (this.activate(), O.length > 0) {
      if (rn(), g !== null && g !== this)
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
          var r = O;
          O = [];
          const u = /* @__PURE__ */ new Set(), f = /* @__PURE__ */ new Map();
          for (const a of i)
            lt(a, l, u, f);
          if (O.length > 0) {
            g = s, s.apply();
            for (const a of O)
              s.#i(a, [], []);
            s.deactivate();
          }
          O = r;
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
      const t = g = new P();
      ge.add(g), P.enqueue(() => {
        g === t && t.flush();
      });
    }
    return g;
  }
  /** @param {() => void} task */
  static enqueue(t) {
    qe(t);
  }
  apply() {
  }
}
function rn() {
  var e = Q;
  Ne = !0;
  var t = null;
  try {
    var n = 0;
    for (xe(!0); O.length > 0; ) {
      var r = P.ensure();
      if (n++ > 1e3) {
        var s, i;
        sn();
      }
      r.process(O), z.clear();
    }
  } finally {
    Ne = !1, xe(e), Ve = null;
  }
}
function sn() {
  try {
    Gt();
  } catch (e) {
    ue(e, Ve);
  }
}
let q = null;
function $e(e) {
  var t = e.length;
  if (t !== 0) {
    for (var n = 0; n < t; ) {
      var r = e[n++];
      if ((r.f & (K | D)) === 0 && pe(r) && (q = /* @__PURE__ */ new Set(), de(r), r.deps === null && r.first === null && r.nodes === null && (r.teardown === null && r.ac === null ? mt(r) : r.fn = null), q?.size > 0)) {
        z.clear();
        for (const s of q) {
          if ((s.f & (K | D)) !== 0) continue;
          const i = [s];
          let l = s.parent;
          for (; l !== null; )
            q.has(l) && (q.delete(l), i.push(l)), l = l.parent;
          for (let u = i.length - 1; u >= 0; u--) {
            const f = i[u];
            (f.f & (K | D)) === 0 && de(f);
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
      ) : (i & (je | B)) !== 0 && (i & b) === 0 && ut(s, t, r) && (w(s, b), V(
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
  for (var t = Ve = e; t.parent !== null; ) {
    t = t.parent;
    var n = t.f;
    if (Ne && t === v && (n & B) !== 0 && (n & et) === 0)
      return;
    if ((n & (re | U)) !== 0) {
      if ((n & m) === 0) return;
      t.f ^= m;
    }
  }
  O.push(t);
}
function fn(e) {
  let t = 0, n = ve(0), r;
  return () => {
    Ye() && (J(n), bn(() => (t === 0 && (r = Cn(() => e(() => _e(n)))), t += 1, () => {
      qe(() => {
        t -= 1, t === 0 && (r?.(), r = void 0, _e(n));
      });
    })));
  };
}
var ln = he | ae | Me;
function un(e, t, n) {
  new an(e, t, n);
}
class an {
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
  #E = fn(() => (this.#c = ve(this.#a), () => {
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
    }, ln);
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
    t && (this.#e = W(() => t(this.#t)), P.enqueue(() => {
      var n = this.#w();
      this.#n = this.#p(() => (P.ensure(), W(() => this.#f(n)))), this.#o > 0 ? this.#g() : (ye(
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
        Xt();
        return;
      }
      s = !0, i && Wt(), P.ensure(), this.#a = 0, this.#i !== null && ye(this.#i, () => {
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
    r && qe(() => {
      this.#i = this.#p(() => {
        P.ensure(), this.#h = !0;
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
function on(e, t, n, r) {
  const s = Be;
  if (n.length === 0 && e.length === 0) {
    r(t.map(s));
    return;
  }
  var i = g, l = (
    /** @type {Effect} */
    v
  ), u = cn();
  function f() {
    Promise.all(n.map((a) => /* @__PURE__ */ _n(a))).then((a) => {
      u();
      try {
        r([...t.map(s), ...a]);
      } catch (o) {
        (l.f & K) === 0 && ue(o, l);
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
function cn() {
  var e = v, t = d, n = R, r = g;
  return function(i = !0) {
    I(e), T(t), le(n), i && r?.activate();
  };
}
function me() {
  I(null), T(null), le(null);
}
// @__NO_SIDE_EFFECTS__
function Be(e) {
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
function _n(e, t, n) {
  let r = (
    /** @type {Effect | null} */
    v
  );
  r === null && Bt();
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
        for (const [N, j] of f) {
          if (f.delete(N), N === o) break;
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
function Hn(e) {
  const t = /* @__PURE__ */ Be(e);
  return Tt(t), t;
}
// @__NO_SIDE_EFFECTS__
function Gn(e) {
  const t = /* @__PURE__ */ Be(e);
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
function hn(e) {
  for (var t = e.parent; t !== null; ) {
    if ((t.f & E) === 0)
      return (t.f & K) === 0 ? (
        /** @type {Effect} */
        t
      ) : null;
    t = t.parent;
  }
  return null;
}
function Ue(e) {
  var t, n = v;
  I(hn(e));
  try {
    e.f &= ~te, at(e), t = Rt(e);
  } finally {
    I(n);
  }
  return t;
}
function ot(e) {
  var t = Ue(e);
  if (!e.equals(t) && (e.wv = St(), (!g?.is_fork || e.deps === null) && (e.v = t, e.deps === null))) {
    w(e, m);
    return;
  }
  ne || (C !== null ? (Ye() || g?.is_fork) && C.set(e, t) : Le(e));
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
function G(e, t) {
  const n = ve(e);
  return Tt(n), n;
}
// @__NO_SIDE_EFFECTS__
function Kn(e, t = !1, n = !0) {
  const r = ve(e);
  return t || (r.equals = nt), r;
}
function X(e, t, n = !1) {
  d !== null && // since we are untracking the function inside `$inspect.with` we need to add this check
  // to ensure we error if state is set inside an inspect effect
  (!F || (d.f & Ke) !== 0) && rt() && (d.f & (E | B | je | Ke)) !== 0 && !L?.includes(e) && zt();
  let r = n ? oe(t) : t;
  return be(e, r);
}
function be(e, t) {
  if (!e.equals(t)) {
    var n = e.v;
    ne ? z.set(e, t) : z.set(e, n), e.v = t;
    var r = P.ensure();
    if (r.capture(e, n), (e.f & E) !== 0) {
      const s = (
        /** @type {Derived} */
        e
      );
      (e.f & b) !== 0 && Ue(s), Le(s);
    }
    e.wv = St(), _t(e, b), v !== null && (v.f & m) !== 0 && (v.f & (U | re)) === 0 && (S === null ? kn([e]) : S.push(e)), !r.is_fork && Oe.size > 0 && !ct && dn();
  }
  return t;
}
function dn() {
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
  if (typeof e != "object" || e === null || Re in e)
    return e;
  const t = qt(e);
  if (t !== It && t !== jt)
    return e;
  var n = /* @__PURE__ */ new Map(), r = Ot(e), s = /* @__PURE__ */ G(0), i = ee, l = (u) => {
    if (ee === i)
      return u();
    var f = d, a = ee;
    T(null), Xe(i);
    var o = u();
    return T(f), Xe(a), o;
  };
  return r && n.set("length", /* @__PURE__ */ G(
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
          var h = /* @__PURE__ */ G(a.value);
          return n.set(f, h), h;
        }) : X(o, a.value, !0), !0;
      },
      deleteProperty(u, f) {
        var a = n.get(f);
        if (a === void 0) {
          if (f in u) {
            const o = l(() => /* @__PURE__ */ G(y));
            n.set(f, o), _e(s);
          }
        } else
          X(a, y), _e(s);
        return !0;
      },
      get(u, f, a) {
        if (f === Re)
          return e;
        var o = n.get(f), h = f in u;
        if (o === void 0 && (!h || ce(u, f)?.writable) && (o = l(() => {
          var _ = oe(h ? u[f] : y), p = /* @__PURE__ */ G(_);
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
        if (f === Re)
          return !0;
        var a = n.get(f), o = a !== void 0 && a.v !== y || Reflect.has(u, f);
        if (a !== void 0 || v !== null && (!o || ce(u, f)?.writable)) {
          a === void 0 && (a = l(() => {
            var c = o ? oe(u[f]) : y, _ = /* @__PURE__ */ G(c);
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
            p !== void 0 ? X(p, y) : _ in u && (p = l(() => /* @__PURE__ */ G(y)), n.set(_ + "", p));
          }
        if (h === void 0)
          (!c || ce(u, f)?.writable) && (h = l(() => /* @__PURE__ */ G(void 0)), X(h, oe(a)), n.set(f, h));
        else {
          c = h.v !== y;
          var N = l(() => oe(a));
          X(h, N);
        }
        var j = Reflect.getOwnPropertyDescriptor(u, f);
        if (j?.set && j.set.call(o, a), !c) {
          if (r && typeof f == "string") {
            var He = (
              /** @type {Source<number>} */
              n.get("length")
            ), ke = Number(f);
            Number.isInteger(ke) && ke >= He.v && X(He, ke + 1);
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
        $t();
      }
    }
  );
}
var ze, vn, ht, dt;
function pn() {
  if (ze === void 0) {
    ze = window, vn = /Firefox/.test(navigator.userAgent);
    var e = Element.prototype, t = Node.prototype, n = Text.prototype;
    ht = ce(t, "firstChild").get, dt = ce(t, "nextSibling").get, Ge(e) && (e.__click = void 0, e.__className = void 0, e.__attributes = null, e.__style = void 0, e.__e = void 0), Ge(n) && (n.__t = void 0);
  }
}
function vt(e = "") {
  return document.createTextNode(e);
}
// @__NO_SIDE_EFFECTS__
function pt(e) {
  return (
    /** @type {TemplateNode | null} */
    ht.call(e)
  );
}
// @__NO_SIDE_EFFECTS__
function Se(e) {
  return (
    /** @type {TemplateNode | null} */
    dt.call(e)
  );
}
function $n(e, t) {
  return /* @__PURE__ */ pt(e);
}
function zn(e, t = !1) {
  {
    var n = /* @__PURE__ */ pt(e);
    return n instanceof Comment && n.data === "" ? /* @__PURE__ */ Se(n) : n;
  }
}
function Wn(e, t = 1, n = !1) {
  let r = e;
  for (; t--; )
    r = /** @type {TemplateNode} */
    /* @__PURE__ */ Se(r);
  return r;
}
function Xn(e) {
  e.textContent = "";
}
function Zn() {
  return !1;
}
function gt(e) {
  var t = d, n = v;
  T(null), I(null);
  try {
    return e();
  } finally {
    T(t), I(n);
  }
}
function gn(e) {
  v === null && (d === null && Ht(), Yt()), ne && Ut();
}
function wn(e, t) {
  var n = t.last;
  n === null ? t.last = t.first = e : (n.next = e, e.prev = n, t.last = e);
}
function H(e, t, n) {
  var r = v;
  r !== null && (r.f & D) !== 0 && (e |= D);
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
      de(s), s.f |= Ie;
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
function Jn(e) {
  gn();
  var t = (
    /** @type {Effect} */
    v.f
  ), n = !d && (t & U) !== 0 && (t & Ie) === 0;
  if (n) {
    var r = (
      /** @type {ComponentContext} */
      R
    );
    (r.e ??= []).push(e);
  } else
    return wt(e);
}
function wt(e) {
  return H(Ee | Vt, e, !1);
}
function En(e) {
  P.ensure();
  const t = H(re | ae, e, !0);
  return (n = {}) => new Promise((r) => {
    n.outro ? ye(t, () => {
      M(t), r(void 0);
    }) : (M(t), r(void 0));
  });
}
function Qn(e) {
  return H(Ee, e, !1);
}
function mn(e) {
  return H(je | ae, e, !0);
}
function bn(e, t = 0) {
  return H(Ae | t, e, !0);
}
function er(e, t = [], n = [], r = []) {
  on(r, t, n, (s) => {
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
function yt(e) {
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
function Et(e, t = !1) {
  var n = e.first;
  for (e.first = e.last = null; n !== null; ) {
    const s = n.ac;
    s !== null && gt(() => {
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
  ), n = !0), Et(e, t && !n), Te(e, 0), w(e, K);
  var r = e.nodes && e.nodes.t;
  if (r !== null)
    for (const i of r)
      i.stop();
  yt(e);
  var s = e.parent;
  s !== null && s.first !== null && mt(e), e.next = e.prev = e.teardown = e.ctx = e.deps = e.fn = e.nodes = e.ac = null;
}
function An(e, t) {
  for (; e !== null; ) {
    var n = e === t ? null : /* @__PURE__ */ Se(e);
    e.remove(), e = n;
  }
}
function mt(e) {
  var t = e.parent, n = e.prev, r = e.next;
  n !== null && (n.next = r), r !== null && (r.prev = n), t !== null && (t.first === e && (t.first = r), t.last === e && (t.last = n));
}
function ye(e, t, n = !0) {
  var r = [];
  bt(e, r, !0);
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
function bt(e, t, n) {
  if ((e.f & D) === 0) {
    e.f ^= D;
    var r = e.nodes && e.nodes.t;
    if (r !== null)
      for (const u of r)
        (u.is_global || n) && t.push(u);
    for (var s = e.first; s !== null; ) {
      var i = s.next, l = (s.f & he) !== 0 || // If this is a branch effect without a block effect parent,
      // it means the parent block effect was pruned. In that case,
      // transparency information was transferred to the branch effect.
      (s.f & U) !== 0 && (e.f & B) !== 0;
      bt(s, t, l ? n : !1), s = i;
    }
  }
}
function tr(e) {
  xt(e, !0);
}
function xt(e, t) {
  if ((e.f & D) !== 0) {
    e.f ^= D, (e.f & m) === 0 && (w(e, b), V(e));
    for (var n = e.first; n !== null; ) {
      var r = n.next, s = (n.f & he) !== 0 || (n.f & U) !== 0;
      xt(n, s ? t : !1), n = r;
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
      var s = n === r ? null : /* @__PURE__ */ Se(n);
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
function Tt(e) {
  d !== null && (L === null ? L = [e] : L.push(e));
}
let x = null, A = 0, S = null;
function kn(e) {
  S = e;
}
let At = 1, Z = 0, ee = Z;
function Xe(e) {
  ee = e;
}
function St() {
  return ++At;
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
function kt(e, t, n = !0) {
  var r = e.reactions;
  if (r !== null && !L?.includes(e))
    for (var s = 0; s < r.length; s++) {
      var i = r[s];
      (i.f & E) !== 0 ? kt(
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
function Rt(e) {
  var t = x, n = A, r = S, s = d, i = L, l = R, u = F, f = ee, a = e.f;
  x = /** @type {null | Value[]} */
  null, A = 0, S = null, d = (a & (U | re)) === 0 ? e : null, L = null, le(e.ctx), F = !1, ee = ++Z, e.ac !== null && (gt(() => {
    e.ac.abort(ie);
  }), e.ac = null);
  try {
    e.f |= Fe;
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
        kt(
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
    e.f ^= Fe, x = t, A = n, S = r, d = s, L = i, le(l), F = u, ee = f;
  }
}
function Rn(e, t) {
  let n = t.reactions;
  if (n !== null) {
    var r = Pt.call(n, e);
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
    (i.f & k) !== 0 && (i.f ^= k, i.f &= ~te), Le(i), at(i), Te(i, 0);
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
  if ((t & K) === 0) {
    w(e, m);
    var n = v, r = Q;
    v = e, Q = !0;
    try {
      (t & (B | Qe)) !== 0 ? Tn(e) : Et(e), yt(e);
      var s = Rt(e);
      e.teardown = typeof s == "function" ? s : null, e.wv = At;
      var i;
      Ce && Jt && (e.f & b) !== 0 && e.deps;
    } finally {
      Q = r, v = n;
    }
  }
}
function J(e) {
  var t = e.f, n = (t & E) !== 0;
  if (d !== null && !F) {
    var r = v !== null && (v.f & K) !== 0;
    if (!r && !L?.includes(e)) {
      var s = d.deps;
      if ((d.f & Fe) !== 0)
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
      return ((l.f & m) === 0 && l.reactions !== null || Ft(l)) && (u = Ue(l)), z.set(l, u), u;
    }
    var f = (l.f & k) === 0 && !F && d !== null && (Q || (d.f & k) !== 0), a = l.deps === null;
    pe(l) && (f && (l.f |= k), ot(l)), f && !a && Ct(l);
  }
  if (C?.has(e))
    return C.get(e);
  if ((e.f & $) !== 0)
    throw e.v;
  return e.v;
}
function Ct(e) {
  if (e.deps !== null) {
    e.f |= k;
    for (const t of e.deps)
      (t.reactions ??= []).push(e), (t.f & E) !== 0 && (t.f & k) === 0 && Ct(
        /** @type {Derived} */
        t
      );
  }
}
function Ft(e) {
  if (e.v === y) return !0;
  if (e.deps === null) return !1;
  for (const t of e.deps)
    if (z.has(t) || (t.f & E) !== 0 && Ft(
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
const Nt = /* @__PURE__ */ new Set(), Pe = /* @__PURE__ */ new Set();
function nr(e) {
  for (var t = 0; t < e.length; t++)
    Nt.add(e[t]);
  for (var n of Pe)
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
    Mt(e, "currentTarget", {
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
          var N = i["__" + r];
          N != null && (!/** @type {any} */
          i.disabled || // DOM could've been updated already by the time this is reached, so we check this as well
          // -> the target could not have been disabled because it emits the event in the first place
          e.target === i) && N.call(i, e);
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
function Nn(e) {
  return Fn.includes(e);
}
function rr(e, t) {
  var n = t == null ? "" : typeof t == "object" ? t + "" : t;
  n !== (e.__t ??= e.nodeValue) && (e.__t = n, e.nodeValue = n + "");
}
function sr(e, t) {
  return On(e, t);
}
const se = /* @__PURE__ */ new Map();
function On(e, { target: t, anchor: n, props: r = {}, events: s, context: i, intro: l = !0 }) {
  pn();
  var u = /* @__PURE__ */ new Set(), f = (h) => {
    for (var c = 0; c < h.length; c++) {
      var _ = h[c];
      if (!u.has(_)) {
        u.add(_);
        var p = Nn(_);
        t.addEventListener(_, we, { passive: p });
        var N = se.get(_);
        N === void 0 ? (document.addEventListener(_, we, { passive: p }), se.set(_, 1)) : se.set(_, N + 1);
      }
    }
  };
  f(Dt(Nt)), Pe.add(f);
  var a = void 0, o = En(() => {
    var h = n ?? t.appendChild(vt());
    return un(
      /** @type {TemplateNode} */
      h,
      {
        pending: () => {
        }
      },
      (c) => {
        if (i) {
          Qt({});
          var _ = (
            /** @type {ComponentContext} */
            R
          );
          _.c = i;
        }
        s && (r.$$events = s), a = e(c, r) || {}, i && en();
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
      Pe.delete(f), h !== n && h.parentNode?.removeChild(h);
    };
  });
  return De.set(a, o), a;
}
let De = /* @__PURE__ */ new WeakMap();
function ir(e, t) {
  const n = De.get(e);
  return n ? (De.delete(e), n(t)) : Promise.resolve();
}
export {
  rr as $,
  Kn as A,
  Dt as B,
  Bn as C,
  Xn as D,
  he as E,
  Se as F,
  Ln as G,
  Qn as H,
  D as I,
  bn as J,
  qe as K,
  Un as L,
  Vn as M,
  qn as N,
  Ye as O,
  fn as P,
  G as Q,
  oe as R,
  Re as S,
  In as T,
  X as U,
  nr as V,
  er as W,
  en as X,
  Wn as Y,
  Qt as Z,
  $n as _,
  pt as a,
  Hn as a0,
  zn as a1,
  sr as a2,
  ir as a3,
  vn as b,
  jn as c,
  v as d,
  g as e,
  M as f,
  qt as g,
  vt as h,
  Ot as i,
  W as j,
  R as k,
  Cn as l,
  Sn as m,
  xn as n,
  It as o,
  ye as p,
  J as q,
  tr as r,
  Zn as s,
  be as t,
  Jn as u,
  Gn as v,
  Dn as w,
  ve as x,
  Pn as y,
  Mn as z
};
