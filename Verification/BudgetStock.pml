/*
 * The per-thread charge stocks of MemoryBudget (Sources/NebulaMemory/Budget/), checked
 * exhaustively with spin. Run through Verification/check.
 *
 * Three budgets in a chain, leaf L (level 0) <- mid M (1) <- root R (2); every thread reserves
 * on L, so all three levels count the same live units. L and M keep stocks (one slot per
 * thread and budget), so a child's charge can be served from, and a child's refund go into,
 * M's stock; R keeps none (stockBatch 0). Sizes are in units: B (stockBatch) = 2, requests of
 * 1 or 2. Each thread runs OPS operations (reserve, release, drainStocks), releases what it
 * holds and exits. By default every budget's slots exist and are registered from the start.
 *
 * The code (MemoryBudget.swift, MemoryBudget+Stock.swift, _StockSlot.swift,
 * _StockRegistry.swift), as modelled below:
 *   reserve   L.chargeFromStock, else L.chargeRefillingStock: not near a limit, enter the slot
 *             and, inside it, charge B + n - stock as a plain chain and keep B; near a limit,
 *             give the own stock back (takeOwn, then refundExactly). Failing that,
 *             chargeExactly.
 *   chargeExactly  a chain charge with stocks (M.chargeForChild: M's stock, else
 *             M.chargeRefillingStock, else M.chargeExactly, which drains on its own); when
 *             denied: under the registry lock revoke every slot (+1), take every stock and
 *             refund it exactly; unlock; retry as a plain chain while the slots stay revoked;
 *             under the lock again, unrevoke (-1). Other drains may run in between.
 *   release   into L's stock if it stays within B, else refundChain: L's counter, then
 *             M.refund (M's stock, else M's and R's counters).
 *   drainStocks  under the lock: revoke, take and refund, unrevoke; on L only or on L and M.
 *   exit      under the lock, each budget: takeOwn, refundExactly.
 *
 * Ghost state (only there to state the invariant exactly):
 *   live[t]   units thread t holds as granted reservations;
 *   fly[k]    units level k counts for a charge or a release under way;
 *   loose[k]  units level k counts for a stock but not in its slot: taken out and not
 *             refunded yet, or charged by a refill and not stored yet.
 * Every step that changes `charged`, `stock` or `live` updates them in the same atomic step,
 * so  charged[k] == sum(live) + stocks(k) + fly[k] + loose[k]  in every state, where
 * stocks(k) is L's slots for k = 0 and L's and M's above.
 *
 * Properties: that equality and charged[k] <= limit at every level in every state; no slot
 * above B; all counters, stocks and revocations 0 once every thread has exited; no deadlock;
 * and exactness: when the retry after a drain denies at level k, the request does not fit
 * even with every stock emptied: charged[k] - stocks(k) + n > limit.
 *
 * Not modelled: setLimit and pressure (constant limits), reserve-ahead budgets, budget deinit
 * (drainHolds), a failing heavy barrier, thread-index reuse.
 *
 * Options (-D to spin):
 *   NT=2|3          threads (default 2)
 *   OPS=n           operations per thread before it exits (default 2)
 *   LIM_L/M/R       limits (default 4, 4, 5)
 *   NO_M_STOCKS     M keeps no stock: its chargeForChild and refund are plain.
 *   FAITHFUL_MODE   take the near-limit branch only when the code would: some level's headroom
 *                   below B * NT. Without it either branch may be taken, which covers any
 *                   headroom test, stale loads included; safety must not depend on that test.
 *   DRAINERS=n      only threads 0 ..< n call drainStocks() as an operation (all drain on a
 *                   denial); WHOLE_RELEASES: a release gives back all a thread holds. Both only
 *                   shrink the search.
 *   PROBES          fail at every probe (REACHED below), to show that the search gets there.
 * Findings in the code, each with its cure (the default leaves these out, so that it checks
 * the rest of the protocol):
 *   STRICT_EXACT    exactness also discounts loose units: a denial must not come from units on
 *                   their way out of a stock. Fails: takeOwn's refund runs after the owner left
 *                   its section, so a drain neither waits for it nor sees the units (giveBackOwn).
 *   REFUND_IN_BUSY  cure: takeOwn refunds inside the section, as the refill is charged there.
 *   LAZY_REGISTRATION  M's slots are made by its first stocked charge, as ensureStockSlots does:
 *                   registered under the lock, then published without it. A drain whose revoke
 *                   pass finds them unpublished (`stockSlots?.revoke()` skips them) but whose
 *                   take or unrevoke pass finds them published takes a stock it never revoked
 *                   (a lost update) and leaves `revoked` at -1. Fails.
 *   REGISTER_FIX=1  publish in the lock section that registers: still fails exactness, since
 *                   slots registered while a retry drain is between its lock sections are not
 *                   revoked and can refill before its retry.
 *   REGISTER_FIX=2  also refuse to register (nil slots: the charge goes exact) while any retry
 *                   drain is between its lock sections. Passes.
 * Broken variants, each of which must fail:
 *   BROKEN=1        the owner ignores `revoked` when it enters its section;
 *   BROKEN=2        the drainer does not wait for `busy`;
 *   BROKEN=3        `revoked` is a flag, not a count: a drain that ends lifts the revocation
 *                   another drain still holds for its retry;
 *   RETRY_AFTER_UNREVOKE  the drain unrevokes before it releases the lock, then retries.
 *
 * Granularity. A level's compare-and-swap loop is one atomic step (a retry only reloads, so
 * the loop ends as one load-compare-add on a current value); so is each level of a refund.
 * The handshake is split into its accesses:
 *   owner    busy = 1 | load revoked (busy = 0 if set) | load stock [... chain ...] store
 *            stock, busy = 0
 *   drainer  revoked += 1, a step per slot | wait busy == 0, load stock | store stock
 * The heavy barrier is implicit: the model is sequentially consistent, which the barrier
 * provides for this pair (the owner's busy store and revoked load against the drainer's
 * revoked store and busy load). Merged are `busy = 0` with the step before it (only a
 * drainer's wait reads `busy`, and it is disabled while `busy` is 1), and an owner's load and
 * store of its stock with nothing between them: a drainer touches the stock only after it has
 * seen `busy == 0`, so either it waits for the owner, or it saw 0 before the owner's
 * `busy = 1`, having revoked the slot before that, and the owner's separate load of `revoked`
 * sees it. The drainer's load and store of a stock stay apart, so a broken handshake lets them
 * straddle the owner's update: a lost update, which breaks the equality.
 */

#ifndef NT
#define NT 2
#endif
#ifndef OPS
#define OPS 2
#endif
#ifndef LIM_L
#define LIM_L 4
#endif
#ifndef LIM_M
#define LIM_M 4
#endif
#ifndef LIM_R
#define LIM_R 5
#endif
#ifndef BROKEN
#define BROKEN 0
#endif
#ifndef DRAINERS
#define DRAINERS NT
#endif

#define B 2
#define LIMIT(k) ((k) == 0 -> LIM_L : ((k) == 1 -> LIM_M : LIM_R))

/* Slots: L's are 0 ..< NT, M's NT ..< 2 NT. */
#define SLOT(b) ((b) * NT + me)

#if NT == 2
#define LIVE     (live[0] + live[1])
#define STOCK_L  (stock[0] + stock[1])
#define STOCK_M  (stock[2] + stock[3])
#define SLOTS_OK (stock[0] <= B && stock[1] <= B && stock[2] <= B && stock[3] <= B)
#define ALL_CLEAR (revoked[0] + revoked[1] + revoked[2] + revoked[3] == 0 && busy[0] + busy[1] + busy[2] + busy[3] == 0)
#else
#define LIVE     (live[0] + live[1] + live[2])
#define STOCK_L  (stock[0] + stock[1] + stock[2])
#define STOCK_M  (stock[3] + stock[4] + stock[5])
#define SLOTS_OK (stock[0] <= B && stock[1] <= B && stock[2] <= B && stock[3] <= B && stock[4] <= B && stock[5] <= B)
#define ALL_CLEAR (revoked[0] + revoked[1] + revoked[2] + revoked[3] + revoked[4] + revoked[5] == 0 && busy[0] + busy[1] + busy[2] + busy[3] + busy[4] + busy[5] == 0)
#endif
#define STOCKS(k) ((k) == 0 -> STOCK_L : STOCK_L + STOCK_M)

#define LEVEL_OK(k) (charged[k] <= LIMIT(k) && charged[k] == LIVE + STOCKS(k) + fly[k] + loose[k])
#define INVARIANT (LEVEL_OK(0) && LEVEL_OK(1) && LEVEL_OK(2) && SLOTS_OK)

/* A denial of the final retry at level k for x units. */
#ifdef STRICT_EXACT
#define EXACT(k, x) (charged[k] - STOCKS(k) - loose[k] + (x) > LIMIT(k))
#else
#define EXACT(k, x) (charged[k] - STOCKS(k) + (x) > LIMIT(k))
#endif

/* Probes (skip without PROBES). With PROBES each one fails, and a search that goes on past errors (pan -c0) lists those it reached:
 *  1 fast path from L's stock          2 an owner finds its slot revoked
 *  3 a refill lands on a revoked slot (a drainer waits for it)
 *  4 a drain takes another thread's stock
 *  5 denial by the retry after a drain 6 grant by a retry after a drain
 *  7 release into L's stock            8 takeOwn finds its slot revoked
 *  9 a child's charge served from M's stock   10 a release into M's stock
 * 11 two drains hold a slot revoked at once   12 M's own chargeExactly drains
 * 13 the near-limit give-back takes a stock */
#ifdef PROBES
#define REACHED(id) assert(id == 0)
#else
#define REACHED(id) skip
#endif

byte charged[3];
byte stock[2 * NT];
bit  busy[2 * NT];
byte revoked[2 * NT];   /* a count: how many drains hold the slot (-1 wraps to 255, nonzero
                           as in the code) */
bit  lock;              /* the registry's lock */
#if defined(NO_M_STOCKS) || defined(LAZY_REGISTRATION)
bit  regM, pubM;        /* M in the registry; M.stockSlots published (non-nil) */
#else
bit  regM = 1, pubM = 1;
#endif
#ifdef REGISTER_FIX
byte retrying;          /* retry drains between their two lock sections */
#endif

byte live[NT];   /* ghost */
byte fly[3];     /* ghost */
byte loose[3];   /* ghost */
byte exited;     /* ghost */

#define me _pid  /* the thread processes are started first: pids 0 ..< NT */

#if BROKEN == 1
#define SEES_REVOKED(slot) false
#else
#define SEES_REVOKED(slot) (revoked[slot] != 0)
#endif

/* Units moving into or out of slots of budget b, which levels b and above count. */
#define LOOSE_ADD(b, v) loose[0] = loose[0] + ((b) == 0 -> (v) : 0); loose[1] = loose[1] + (v); loose[2] = loose[2] + (v)
#define LOOSE_SUB(b, v) loose[0] = loose[0] - ((b) == 0 -> (v) : 0); loose[1] = loose[1] - (v); loose[2] = loose[2] - (v)
/* The request of n units is granted: they become live. */
#define GRANT live[me] = live[me] + n; fly[0] = fly[0] - n; fly[1] = fly[1] - n; fly[2] = fly[2] - n

/* _StockSlot.enter(): sets ent when the owner is in its section. */
inline enter(slot, probe) {
  busy[slot] = 1;
  atomic {
    if
    :: SEES_REVOKED(slot) -> busy[slot] = 0; REACHED(2); REACHED(probe)
    :: else -> ent = 1
    fi
  }
}

/* chargeChain(x, viaStocks: false) from level `from`: compare-and-swap on each level, all or
 * none; sets ok. g of the x units are the request (fly), the rest are bound for a stock
 * (loose). `final`: the retry after a drain, whose denial is the caller's answer. `grant`:
 * the request is granted when the chain is. */
inline chain(from, x, g, final, grant) {
  k = from;
  do
  :: atomic {
       charged[k] + x <= LIMIT(k) ->
       charged[k] = charged[k] + x; fly[k] = fly[k] + g; loose[k] = loose[k] + x - g; k++;
       if
       :: k == 3 ->
          k = 0; ok = 1;
          if
          :: grant -> GRANT
          :: else
          fi;
          break
       :: else
       fi
     }
  :: atomic {
       charged[k] + x > LIMIT(k) ->
       assert(!final || EXACT(k, x));
       if
       :: final -> REACHED(5)
       :: else
       fi;
       break
     }
  od;
  do   /* undo the levels already charged, the highest first */
  :: atomic { k > from -> k--; charged[k] = charged[k] - x; fly[k] = fly[k] - g; loose[k] = loose[k] - x + g }
  :: atomic { k <= from -> k = 0; break }
  od
}

/* refundExactly(v) from level `from`, of units taken out of a slot. */
inline refundLoose(from, v) {
  k = from;
  do
  :: atomic {
       charged[k] = charged[k] - v; loose[k] = loose[k] - v; k++;
       if
       :: k == 3 -> k = 0; v = 0; break
       :: else
       fi
     }
  od
}

/* revoke() on the slots of budget b: a store per slot. BROKEN=3: a flag. */
inline revokeSlots(b) {
  do
  :: atomic {
       i < NT ->
#if BROKEN == 3
       revoked[b * NT + i] = 1;
#else
       revoked[b * NT + i] = revoked[b * NT + i] + 1;
#endif
       if
       :: revoked[b * NT + i] > 1 -> REACHED(11)
       :: else
       fi;
       i++
     }
  :: atomic { i == NT -> i = 0; break }
  od
}

inline unrevokeSlots(b) {
  do
  :: atomic {
       i < NT ->
#if BROKEN == 3
       revoked[b * NT + i] = 0;
#else
       revoked[b * NT + i] = revoked[b * NT + i] - 1;
#endif
       i++
     }
  :: atomic { i == NT -> i = 0; break }
  od
}

/* Each pass of a drain reads M.stockSlots anew (`stockSlots?.revoke()`, `if let slots`,
 * `stockSlots?.unrevoke()`): the guard `chM && pubM`. chM: M is among the chosen budgets. */
inline unrevokeAll() {
  unrevokeSlots(0);
  if
  :: chM && pubM -> unrevokeSlots(1)
  :: else
  fi
}

/* takeRevoked() on budget b, then refundExactly of the sum from level b. */
inline takeBudget(b) {
  do
  :: i < NT ->
#if BROKEN == 2
     x = stock[b * NT + i];
#else
     atomic { busy[b * NT + i] == 0 -> x = stock[b * NT + i] };
#endif
     atomic {
       stock[b * NT + i] = 0; s = s + x; LOOSE_ADD(b, x);
       if
       :: x > 0 && i != me -> REACHED(4)
       :: else
       fi;
       x = 0; i++
     }
  :: atomic { i == NT -> i = 0; break }
  od;
  if
  :: s > 0 -> refundLoose(b, s)
  :: else
  fi
}

/* revokeAndTake() under the registry's lock (held by the caller). The heavy barrier sits
 * between the two passes; see Granularity. */
inline revokeAndTake() {
  revokeSlots(0);
  if
  :: chM && pubM -> revokeSlots(1)
  :: else
  fi;
  takeBudget(0);
  if
  :: chM && pubM -> takeBudget(1)
  :: else
  fi
}

/* _StockRegistry.drain(where:): drainStocks() on L (L only) or above (L and M); setLimit and
 * updatePressure drain the same way. */
inline drainStocks() {
  if
  :: chM = 1
  :: chM = 0
  fi;
  atomic { lock == 0 -> lock = 1; chM = chM && regM };
  revokeAndTake();
  unrevokeAll();
  atomic { lock = 0; chM = 0 }
}

/* The denied branch of chargeExactly on level `from`: drain(where:thenRetry:) over the whole
 * hierarchy. The retry runs while the slots stay revoked, so no stock refills before it;
 * other drains may run meanwhile (their counts compose). */
inline drainThenRetry(from) {
  atomic { lock == 0 -> lock = 1; chM = regM };
  revokeAndTake();
#ifdef RETRY_AFTER_UNREVOKE
  unrevokeAll();
#endif
#if defined(REGISTER_FIX) && !defined(RETRY_AFTER_UNREVOKE)
  atomic { lock = 0; retrying++ };
#else
  lock = 0;
#endif
  chain(from, n, n, (from == 0), 1);
  if
  :: ok -> REACHED(6)
  :: else
  fi;
#ifndef RETRY_AFTER_UNREVOKE
#ifdef REGISTER_FIX
  atomic { lock == 0 -> lock = 1; retrying-- };
#else
  atomic { lock == 0 -> lock = 1 };
#endif
  unrevokeAll();
  atomic { lock = 0; chM = 0 }
#else
  chM = 0
#endif
}

/* refundExactly(takeOwn(index)) on budget b: the owner takes its own stock back. The code
 * refunds after leaving the section: a drain does not wait for that refund, and its retry
 * can be denied for those units (STRICT_EXACT). REFUND_IN_BUSY refunds inside. */
inline giveBackOwn(b) {
  enter(SLOT(b), 8);
  if
  :: ent ->
     atomic {
       ent = 0; s = stock[SLOT(b)]; stock[SLOT(b)] = 0; LOOSE_ADD(b, s);
       if
       :: s > 0 -> REACHED(13)
       :: else
       fi;
#ifndef REFUND_IN_BUSY
       busy[SLOT(b)] = 0
#endif
     };
     if
     :: s > 0 -> refundLoose(b, s)
     :: else
     fi;
#ifdef REFUND_IN_BUSY
     busy[SLOT(b)] = 0
#endif
  :: else
  fi
}

/* n units of budget b's stock become live (for M: the child's charge at L completes). */
#define SERVE_FROM_STOCK(b) stock[SLOT(b)] = stock[SLOT(b)] - n; live[me] = live[me] + n; fly[0] = fly[0] - ((b) == 1 -> n : 0)

/* The stock branch of chargeRefillingStock(n) on budget b: enter the section; inside it,
 * charge the refill as a plain chain; after it the stock holds exactly B. Sets ok. */
inline refillInSlot(b) {
  enter(SLOT(b), 2);
  if
  :: ent ->
     atomic {
       ent = 0;
       if
       :: stock[SLOT(b)] >= n -> SERVE_FROM_STOCK(b); busy[SLOT(b)] = 0; ok = 1
       :: else -> x = B + n - stock[SLOT(b)]
       fi
     };
     if
     :: x > 0 ->
        chain(b, x, n, 0, 0);
        atomic {
          if
          :: ok ->
             stock[SLOT(b)] = B; LOOSE_SUB(b, x - n); GRANT;
             if
             :: revoked[SLOT(b)] != 0 -> REACHED(3)
             :: else
             fi
          :: else
          fi;
          busy[SLOT(b)] = 0; x = 0
        }
     :: else
     fi
  :: else
  fi
}

/* chargeRefillingStock(n) on budget b; sets ok when granted, else the caller charges
 * exactly. With LAZY_REGISTRATION, M's slots are made by the first charge that takes the
 * stock branch (ensureStockSlots: register, then make and publish); before that the
 * near-limit branch finds no slots to give back. */
inline refillingStock(b) {
  if
#ifdef FAITHFUL_MODE
  :: atomic {   /* isNearLimit(): some level's headroom below B * NT */
       (b == 0 && charged[0] + B * NT > LIM_L) || charged[1] + B * NT > LIM_M ||
       charged[2] + B * NT > LIM_R
     };
#else
  :: true ->
#endif
#ifdef LAZY_REGISTRATION
     if
     :: b == 0 || pubM -> giveBackOwn(b)
     :: else
     fi
#else
     giveBackOwn(b)
#endif
#ifdef FAITHFUL_MODE
  :: else ->
#else
  :: true ->
#endif
#ifdef LAZY_REGISTRATION
     if
     :: b == 0 || pubM -> refillInSlot(b)
     :: else ->
#ifdef REGISTER_FIX
        /* made, then registered and published in one section of the lock; with
         * REGISTER_FIX=2 not while a retry drain holds the hierarchy revoked: nil then, and
         * the charge goes exact */
        atomic {
          lock == 0 ->
          if
          :: REGISTER_FIX < 2 || retrying == 0 -> regM = 1; pubM = 1; ent = 1
          :: else
          fi
        };
        if
        :: ent -> ent = 0; refillInSlot(b)
        :: else
        fi
#else
        atomic { lock == 0 -> regM = 1 };   /* _StockRegistry.register(self) */
        pubM = 1;                           /* _StockSlots.make(), published by the exchange */
        refillInSlot(b)
#endif
     fi
#else
     refillInSlot(b)
#endif
  fi
}

/* M.chargeForChild(n), L's units already charged; sets ok when granted. */
inline childCharge() {
#ifdef NO_M_STOCKS
  chain(1, n, n, 0, 1)   /* M.chargeChain(n): M, then R.chargeForChild, plain */
#else
#ifdef LAZY_REGISTRATION
  if
  :: pubM ->   /* `guard let slots = stockSlots` */
#endif
  enter(SLOT(1), 2);   /* M.chargeFromStock(n, counted: false) */
  if
  :: ent ->
     atomic {
       ent = 0;
       if
       :: stock[SLOT(1)] >= n -> SERVE_FROM_STOCK(1); ok = 1; REACHED(9)
       :: else
       fi;
       busy[SLOT(1)] = 0
     }
  :: else
  fi
#ifdef LAZY_REGISTRATION
  :: else
  fi
#endif
  ;
  if
  :: !ok ->
     refillingStock(1);
     if
     :: !ok ->   /* M.chargeExactly(n) */
        chain(1, n, n, 0, 1);
        if
        :: !ok -> REACHED(12); drainThenRetry(1)
        :: else
        fi
     :: else
     fi
  :: else
  fi
#endif
}

/* L.chargeExactly(n): the chain with stocks (L, then M.chargeForChild), then the drain. */
inline chargeExactly() {
  if
  :: atomic { charged[0] + n <= LIMIT(0) -> charged[0] = charged[0] + n; fly[0] = fly[0] + n };
     childCharge();
     if
     :: !ok -> atomic { charged[0] = charged[0] - n; fly[0] = fly[0] - n }
     :: else
     fi
  :: atomic { charged[0] + n > LIMIT(0) -> skip }
  fi;
  if
  :: !ok -> drainThenRetry(0)
  :: else
  fi
}

/* reserve(n) on L. */
inline charge() {
  enter(SLOT(0), 2);   /* L.chargeFromStock(n, counted: true) */
  if
  :: ent ->
     atomic {
       ent = 0;
       if
       :: stock[SLOT(0)] >= n -> SERVE_FROM_STOCK(0); ok = 1; REACHED(1)
       :: else
       fi;
       busy[SLOT(0)] = 0
     }
  :: else
  fi;
  if
  :: !ok ->
     refillingStock(0);
     if
     :: !ok -> chargeExactly()
     :: else
     fi
  :: else
  fi;
  ok = 0
}

/* Release n live units: L.refund(n). */
inline release() {
  enter(SLOT(0), 2);   /* L.refundToStock(n) */
  if
  :: ent ->
     atomic {
       ent = 0;
       if
       :: stock[SLOT(0)] + n <= B -> stock[SLOT(0)] = stock[SLOT(0)] + n; live[me] = live[me] - n; ok = 1; REACHED(7)
       :: else
       fi;
       busy[SLOT(0)] = 0
     }
  :: else
  fi;
  if
  :: !ok ->   /* L.refundChain(n): L's counter, then M.refund(n) */
     atomic { charged[0] = charged[0] - n; live[me] = live[me] - n; fly[1] = fly[1] + n; fly[2] = fly[2] + n };
#ifndef NO_M_STOCKS
#ifdef LAZY_REGISTRATION
     if
     :: pubM ->
#endif
     enter(SLOT(1), 2);   /* M.refundToStock(n) */
     if
     :: ent ->
        atomic {
          ent = 0;
          if
          :: stock[SLOT(1)] + n <= B -> stock[SLOT(1)] = stock[SLOT(1)] + n; fly[1] = fly[1] - n; fly[2] = fly[2] - n; ok = 1; REACHED(10)
          :: else
          fi;
          busy[SLOT(1)] = 0
        }
     :: else
     fi
#ifdef LAZY_REGISTRATION
     :: else
     fi
#endif
     ;
#endif
     if
     :: !ok ->   /* M.refundChain(n) */
        atomic { charged[1] = charged[1] - n; fly[1] = fly[1] - n };
        atomic { charged[2] = charged[2] - n; fly[2] = fly[2] - n }
     :: else
     fi
  :: else
  fi;
  ok = 0
}

active [NT] proctype thread() {
  byte ops, n, x, s, k, i;
  bit ok, ent, chM;

  do
  :: ops < OPS ->
     ops++;
     if
     :: n = 1; charge()
     :: n = 2; charge()
     :: live[me] > 0 -> n = live[me]; release()
#ifndef WHOLE_RELEASES
     :: live[me] > 1 -> n = 1; release()
#endif
     :: me < DRAINERS -> drainStocks()
     fi;
     n = 0
  :: break
  od;
  ops = 0;

  /* Exit: release what it holds, then the exit hook gives its stocks back. */
  if
  :: live[me] > 0 -> n = live[me]; release(); n = 0
  :: else
  fi;
  atomic { lock == 0 -> lock = 1 };
  giveBackOwn(0);
#ifdef LAZY_REGISTRATION
  if
  :: regM && pubM -> giveBackOwn(1)   /* registered, `if let slots = budget.stockSlots` */
  :: else
  fi;
#elif !defined(NO_M_STOCKS)
  giveBackOwn(1);
#endif
  atomic {
    lock = 0;
    exited++;
    if
    :: exited == NT ->   /* the last one out: everything is back, no slot held */
       assert(charged[0] == 0 && charged[1] == 0 && charged[2] == 0 && STOCK_L + STOCK_M == 0 &&
              LIVE == 0 && fly[0] + fly[1] + fly[2] + loose[0] + loose[1] + loose[2] == 0);
       assert(ALL_CLEAR)
    :: else
    fi
  }
}

/* Checks the invariant in every reachable state: the guard holds exactly in the states that
 * break it. `end`: waiting here forever is a valid end state. */
active proctype monitor() {
end:
  atomic { !(INVARIANT) -> assert(INVARIANT) }
}
