// Package redisfrontier keeps a crawl's frontier in Redis, so that several lede crawl
// processes, on one machine or many, share one crawl: one queue, one visited set, leases
// that a worker renews while it works and that expire when it dies, and one politeness clock
// per host (Take, Sent: the crawler's HostClock).
//
// A Frontier implements the crawler's Frontier interface (Push, Pop, Done, Release, Len,
// Reset) for any item type: it stores items as JSON and needs only a function that returns
// an item's URL, so it does not import the store's package. It also keeps what the workers of
// a crawl must agree on, each through the crawler's optional interface: the crawl's end
// (Seeding, End), each host's requests in flight (Acquire), its robots.txt (TakeRobots), its
// learned chrome (AddBlockCounts, HostChrome) and, across crawls, the record of what the
// workers fetched (Visit, Visits: the crawler's values, opaque here).
//
// Keys, under a namespace ("lede" by default, in a hash tag so that they share a slot):
//
//	{ns}:queue   list of URLs waiting, FIFO
//	{ns}:items   hash URL → item (JSON) of every URL queued or leased and not Done
//	{ns}:seen    set of every URL queued since the last Reset (the visited set)
//	{ns}:leases  sorted set URL → lease expiry (Redis server time, in milliseconds)
//	{ns}:owners  hash URL → the worker that holds its lease
//	{ns}:workers sorted set worker → last time it renewed its leases
//	{ns}:host:H  the time host H's next request may be sent, by any worker (see Take)
//	{ns}:busy:H  sorted set of host H's requests in flight, by any worker (see Acquire)
//	{ns}:seeders sorted set worker → expiry of the workers queueing their seeds (see Seeding)
//	{ns}:robots  hash host → robots.txt answer, fetched once for the crawl (see TakeRobots)
//	{ns}:robotslock:H  the worker fetching host H's robots.txt
//	{ns}:chrome:H      hash of host H's page and block counts: its learned chrome (see AddBlockCounts)
//	{ns}:visits:H      hash of host H's URLs → what a worker recorded of each, kept across crawls (see Visits)
//
// Every change is one Lua script, so two workers never take the same URL. Pop first puts
// the URLs whose lease expired back at the head of the queue: the URLs of a worker killed
// with SIGKILL are fetched by another after the lease duration.
package redisfrontier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultLease is how long a worker holds a URL without renewing its lease.
const DefaultLease = 2 * time.Minute

// Frontier is a crawl frontier shared through Redis. Its methods are safe for concurrent
// use. Close stops renewing its leases.
type Frontier[T any] struct {
	rdb    redis.UniversalClient
	urlOf  func(T) string
	keys   keys
	worker string
	lease  time.Duration
	log    *slog.Logger

	mu      sync.Mutex
	owned   map[string]struct{} // URLs this worker holds a lease on
	popped  bool                // Pop was called: this is a worker, listed in Workers
	seeding int                 // Seeding calls not done yet: renew keeps this worker among the seeders
	slots   map[string]string   // token → host of this worker's requests in flight (Acquire)

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

type keys struct {
	ns                                          string
	queue, items, seen, leases, owners, workers string
	seeders, robots                             string
}

func newKeys(ns string) keys {
	p := "{" + ns + "}:"
	return keys{ns, p + "queue", p + "items", p + "seen", p + "leases", p + "owners", p + "workers",
		p + "seeders", p + "robots"}
}

// An Option configures a Frontier.
type Option func(*options)

type options struct {
	namespace string
	worker    string
	lease     time.Duration
	logger    *slog.Logger
}

// WithNamespace sets the prefix of the frontier's keys (default "lede"): crawls with different
// namespaces share a Redis database without meeting.
func WithNamespace(ns string) Option { return func(o *options) { o.namespace = ns } }

// WithWorker names this worker in leases and in Workers (default host name, pid and a random
// suffix).
func WithWorker(name string) Option { return func(o *options) { o.worker = name } }

// WithLease sets how long a lease lasts without renewal (default DefaultLease). The frontier
// renews its leases every third of it.
func WithLease(d time.Duration) Option { return func(o *options) { o.lease = d } }

// WithLogger sets where the frontier reports leases it lost or could not renew.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// New returns the frontier kept in rdb. urlOf returns an item's URL, its identity in the
// queue and the visited set. It starts renewing this worker's leases until Close.
func New[T any](rdb redis.UniversalClient, urlOf func(T) string, opts ...Option) *Frontier[T] {
	o := options{namespace: "lede", lease: DefaultLease, logger: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(&o)
	}
	if o.worker == "" {
		host, _ := os.Hostname()
		o.worker = fmt.Sprintf("%s:%d:%x", host, os.Getpid(), time.Now().UnixNano()&0xffffff)
	}
	if o.lease < 10*time.Millisecond {
		o.lease = 10 * time.Millisecond
	}
	f := &Frontier[T]{
		rdb: rdb, urlOf: urlOf, keys: newKeys(o.namespace), worker: o.worker, lease: o.lease,
		log: o.logger, owned: map[string]struct{}{}, slots: map[string]string{}, stop: make(chan struct{}), done: make(chan struct{}),
	}
	go f.renewLoop()
	return f
}

// Worker is the name this worker's leases carry.
func (f *Frontier[T]) Worker() string { return f.worker }

// Close stops renewing leases and removes the worker from the list of workers. Leases still
// held expire after the lease duration (Release gives them back at once).
func (f *Frontier[T]) Close() error {
	f.once.Do(func() { close(f.stop) })
	<-f.done
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return f.rdb.ZRem(ctx, f.keys.workers, f.worker).Err()
}

// lazyScript returns a function that gives the Lua script src, made at the first call:
// redis.NewScript hashes the script, and every lede command links this package, most
// without a Redis frontier.
func lazyScript(src string) func() *redis.Script {
	return sync.OnceValue(func() *redis.Script { return redis.NewScript(src) })
}

var pushScript = lazyScript(`
local added = 0
for i = 1, #ARGV, 2 do
  if redis.call('SADD', KEYS[1], ARGV[i]) == 1 then
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i+1])
    redis.call('RPUSH', KEYS[3], ARGV[i])
    added = added + 1
  end
end
return added`)

// Push queues the items whose URL was not queued before in this crawl (by any worker) and
// returns how many were new.
func (f *Frontier[T]) Push(ctx context.Context, items ...T) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	args := make([]any, 0, 2*len(items))
	for _, it := range items {
		u := f.urlOf(it)
		if u == "" {
			continue
		}
		b, err := json.Marshal(it)
		if err != nil {
			return 0, fmt.Errorf("encode queue item %s: %w", u, err)
		}
		args = append(args, u, b)
	}
	if len(args) == 0 {
		return 0, nil
	}
	n, err := pushScript().Run(ctx, f.rdb, []string{f.keys.seen, f.keys.items, f.keys.queue}, args...).Int()
	if err != nil {
		return 0, fmt.Errorf("redis frontier push: %w", err)
	}
	return n, nil
}

// nowMillis is the Lua snippet that reads Redis's clock: every worker's leases are timed by
// the one server, whatever the workers' clocks say.
const nowMillis = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`

var popScript = lazyScript(nowMillis + `
redis.call('ZADD', KEYS[5], now, ARGV[2])
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 1000)
for i = #expired, 1, -1 do
  local u = expired[i]
  redis.call('ZREM', KEYS[3], u)
  redis.call('HDEL', KEYS[4], u)
  if redis.call('HEXISTS', KEYS[2], u) == 1 then
    redis.call('LPUSH', KEYS[1], u)
  end
end
local out = {}
local max = tonumber(ARGV[1])
while #out < max do
  local u = redis.call('LPOP', KEYS[1])
  if not u then break end
  local v = redis.call('HGET', KEYS[2], u)
  if v and not redis.call('ZSCORE', KEYS[3], u) then
    redis.call('ZADD', KEYS[3], now + tonumber(ARGV[3]), u)
    redis.call('HSET', KEYS[4], u, ARGV[2])
    out[#out+1] = v
  end
end
return out`)

// Pop leases up to max queued items to this worker: first the items whose lease expired
// (their worker died), then the queue in FIFO order. It returns an empty slice when every
// item is leased or the queue is empty.
func (f *Frontier[T]) Pop(ctx context.Context, max int) ([]T, error) {
	if max <= 0 {
		return nil, nil
	}
	k := f.keys
	vals, err := popScript().Run(ctx, f.rdb, []string{k.queue, k.items, k.leases, k.owners, k.workers},
		max, f.worker, f.lease.Milliseconds()).StringSlice()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("redis frontier pop: %w", err)
	}
	out := make([]T, 0, len(vals))
	f.mu.Lock()
	defer f.mu.Unlock()
	f.popped = true
	for _, v := range vals {
		var it T
		if err := json.Unmarshal([]byte(v), &it); err != nil {
			return out, fmt.Errorf("redis frontier pop: decode item %q: %w", v, err)
		}
		f.owned[f.urlOf(it)] = struct{}{}
		out = append(out, it)
	}
	return out, nil
}

var doneScript = lazyScript(`
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1`)

// Done removes a URL from the frontier and ends its lease; it stays in the visited set until
// Reset. Done on a URL that is not queued is a no-op.
func (f *Frontier[T]) Done(ctx context.Context, url string) error {
	k := f.keys
	if err := doneScript().Run(ctx, f.rdb, []string{k.items, k.leases, k.owners}, url).Err(); err != nil {
		return fmt.Errorf("redis frontier done %s: %w", url, err)
	}
	f.mu.Lock()
	delete(f.owned, url)
	f.mu.Unlock()
	return nil
}

var releaseScript = lazyScript(`
if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('HEXISTS', KEYS[4], ARGV[1]) == 1 then
  redis.call('LPUSH', KEYS[1], ARGV[1])
end
return 1`)

// Release gives this worker's lease on url back: the URL goes to the head of the queue, for
// any worker. Release of a URL this worker does not hold is a no-op. Should Redis be out of
// reach, the lease expires after the lease duration instead.
func (f *Frontier[T]) Release(url string) {
	f.mu.Lock()
	_, ok := f.owned[url]
	delete(f.owned, url)
	f.mu.Unlock()
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	k := f.keys
	if err := releaseScript().Run(ctx, f.rdb, []string{k.queue, k.leases, k.owners, k.items}, url, f.worker).Err(); err != nil {
		f.log.Warn("redis frontier: could not release a lease; it expires by itself", "url", url, "err", err)
	}
}

// Len is the number of items not Done, queued or leased by any worker.
func (f *Frontier[T]) Len(ctx context.Context) (int, error) {
	n, err := f.rdb.HLen(ctx, f.keys.items).Result()
	if err != nil {
		return 0, fmt.Errorf("redis frontier length: %w", err)
	}
	return int(n), nil
}

// Others is the number of items not Done that this worker does not hold: queued, or leased
// by other workers, whose pages may queue more. A worker whose own work is done waits while
// it is not zero.
func (f *Frontier[T]) Others(ctx context.Context) (int, error) {
	n, err := f.Len(ctx)
	if err != nil {
		return 0, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return max(n-len(f.owned), 0), nil
}

// Reset empties the queue, the leases, the visited set and the robots.txt answers: the crawl
// is over. Several workers should end a crawl with End, which does so only when no worker
// has work left.
func (f *Frontier[T]) Reset(ctx context.Context) error {
	k := f.keys
	if err := f.rdb.Del(ctx, k.queue, k.items, k.seen, k.leases, k.owners, k.robots).Err(); err != nil {
		return fmt.Errorf("redis frontier reset: %w", err)
	}
	f.mu.Lock()
	clear(f.owned)
	f.mu.Unlock()
	return nil
}

var renewScript = lazyScript(nowMillis + `
if ARGV[3] == '1' then redis.call('ZADD', KEYS[3], now, ARGV[1]) end
local lost = {}
for i = 4, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then
    redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[i])
  else
    lost[#lost+1] = ARGV[i]
  end
end
return lost`)

// renew extends every lease this worker holds and forgets those it lost (they expired, for
// example while the process was stopped, and another worker took them). A frontier that has
// popped is listed among the workers.
func (f *Frontier[T]) renew(ctx context.Context) error {
	f.mu.Lock()
	args := make([]any, 0, len(f.owned)+3)
	worker := "0"
	if f.popped {
		worker = "1"
	}
	args = append(args, f.worker, f.lease.Milliseconds(), worker)
	for u := range f.owned {
		args = append(args, u)
	}
	seeding := f.seeding > 0
	f.mu.Unlock()
	k := f.keys
	if seeding {
		if err := f.markSeeding(ctx); err != nil {
			return err
		}
	}
	if err := f.renewSlots(ctx); err != nil {
		return err
	}
	lost, err := renewScript().Run(ctx, f.rdb, []string{k.leases, k.owners, k.workers}, args...).StringSlice()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("redis frontier: renew leases: %w", err)
	}
	if len(lost) > 0 {
		f.mu.Lock()
		for _, u := range lost {
			delete(f.owned, u)
		}
		f.mu.Unlock()
		f.log.Warn("redis frontier: leases expired before they were renewed; other workers fetch those URLs", "urls", len(lost))
	}
	return nil
}

// renewLoop renews the leases every third of the lease duration until Close.
func (f *Frontier[T]) renewLoop() {
	defer close(f.done)
	every := f.lease / 3
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), every)
		if err := f.renew(ctx); err != nil {
			f.log.Warn("redis frontier: could not renew leases", "err", err)
		}
		cancel()
		select {
		case <-f.stop:
			return
		case <-t.C:
		}
	}
}

// Workers returns the workers seen renewing their leases within the last two lease
// durations, with how many leases each holds.
func (f *Frontier[T]) Workers(ctx context.Context) (map[string]int, error) {
	t, err := f.rdb.Time(ctx).Result()
	if err != nil {
		return nil, fmt.Errorf("redis time: %w", err)
	}
	since := t.Add(-2 * f.lease).UnixMilli()
	names, err := f.rdb.ZRangeByScore(ctx, f.keys.workers, &redis.ZRangeBy{Min: strconv.FormatInt(since, 10), Max: "+inf"}).Result()
	if err != nil {
		return nil, fmt.Errorf("redis frontier workers: %w", err)
	}
	out := make(map[string]int, len(names))
	for _, n := range names {
		out[n] = 0
	}
	owners, err := f.rdb.HGetAll(ctx, f.keys.owners).Result()
	if err != nil {
		return nil, fmt.Errorf("redis frontier leases: %w", err)
	}
	for _, w := range owners {
		out[w]++
	}
	return out, nil
}

// hostHold is how long a host's slot stays taken by a request not yet sent: a worker that
// dies between Take and Sent blocks the host no longer than this.
const hostHold = 30 * time.Second

var takeScript = lazyScript(nowMillis + `
local next = tonumber(redis.call('GET', KEYS[1]) or '0')
if now < next then return next - now end
redis.call('SET', KEYS[1], now + tonumber(ARGV[1]), 'PX', tonumber(ARGV[1]))
return 0`)

var sentScript = lazyScript(nowMillis + `
redis.call('SET', KEYS[1], now + tonumber(ARGV[1]), 'PX', tonumber(ARGV[1]) + 60000)
return 0`)

func (f *Frontier[T]) hostKey(host string) string { return "{" + f.keys.ns + "}:host:" + host }

// Take tries to take host's request slot on the crawl's one clock per host. It returns 0 when
// the slot is this worker's: it must send its request, then call Sent. Otherwise it returns how
// long the slot is known to stay taken (a request of another worker not yet sent holds it until
// Sent, at most 30 s): try again later. The clock is Redis's: the workers' own clocks do not
// matter.
func (f *Frontier[T]) Take(ctx context.Context, host string) (time.Duration, error) {
	ms, err := takeScript().Run(ctx, f.rdb, []string{f.hostKey(host)}, hostHold.Milliseconds()).Int64()
	if err != nil {
		return 0, fmt.Errorf("redis host clock %s: %w", host, err)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// Sent notes that the request of the slot taken was written now: no worker may take host's
// next slot before delay from now.
func (f *Frontier[T]) Sent(ctx context.Context, host string, delay time.Duration) error {
	if err := sentScript().Run(ctx, f.rdb, []string{f.hostKey(host)}, delay.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("redis host clock %s: %w", host, err)
	}
	return nil
}

// Stats is a look at a shared crawl's frontier (lede stats --frontier).
type Stats struct {
	Pending int            `json:"pending"` // URLs not done: waiting or leased
	Waiting int            `json:"waiting"` // URLs in the queue, leased by no worker
	Leased  int            `json:"leased"`  // URLs a worker holds
	Seen    int            `json:"seen"`    // URLs queued since the crawl began (the visited set)
	ByHost  map[string]int `json:"by_host"` // pending URLs per host
	Workers map[string]int `json:"workers"` // live workers and the leases each holds
	Seeding int            `json:"seeding"` // workers queueing their seeds now (see Seeding)
	Visits  int            `json:"visits"`  // URLs in the record of visits, kept across crawls (see Visits)
}

// Stats counts the frontier's URLs, per host too (reading every pending URL once), and its
// workers.
func (f *Frontier[T]) Stats(ctx context.Context) (*Stats, error) {
	k := f.keys
	pipe := f.rdb.Pipeline()
	pending, leased, seen := pipe.HLen(ctx, k.items), pipe.ZCard(ctx, k.leases), pipe.SCard(ctx, k.seen)
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("redis frontier stats: %w", err)
	}
	st := &Stats{Pending: int(pending.Val()), Leased: int(leased.Val()), Seen: int(seen.Val()), ByHost: map[string]int{}}
	st.Waiting = max(st.Pending-st.Leased, 0)
	it := f.rdb.HScan(ctx, k.items, 0, "", 1000).Iterator()
	for i := 0; it.Next(ctx); i++ {
		if i%2 == 1 {
			continue // the value; the key (the URL) came before it
		}
		host := it.Val()
		if u, err := url.Parse(host); err == nil && u.Host != "" {
			host = u.Host
		}
		st.ByHost[host]++
	}
	if err := it.Err(); err != nil {
		return nil, fmt.Errorf("redis frontier stats: %w", err)
	}
	w, err := f.Workers(ctx)
	if err != nil {
		return nil, err
	}
	st.Workers = w
	now, err := f.rdb.Time(ctx).Result()
	if err != nil {
		return nil, fmt.Errorf("redis time: %w", err)
	}
	seeding, err := f.rdb.ZCount(ctx, k.seeders, strconv.FormatInt(now.UnixMilli(), 10), "+inf").Result()
	if err != nil {
		return nil, fmt.Errorf("redis frontier stats: %w", err)
	}
	st.Seeding = int(seeding)
	if st.Visits, err = f.visitCount(ctx); err != nil {
		return nil, err
	}
	return st, nil
}
