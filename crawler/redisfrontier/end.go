package redisfrontier

import (
	"context"
	"fmt"
)

// Ending a crawl shared by several workers. Each worker ends its run when no URL is left that
// another worker holds; the last one ends the crawl (End), emptying the visited set so that
// the next crawl starts afresh. A worker that starts meanwhile must neither lose its seeds to
// that ending nor make the crawl end early, so a worker queueing its seeds is listed among the
// seeders (Seeding) and End ends the crawl, in one script, only when no URL is pending but the
// ending worker's leftovers, no lease is held and no other worker is seeding. Seeds queued
// before the crawl ended were seen by it (they add nothing); seeds queued after it start the
// next crawl.

var seedScript = lazyScript(nowMillis + `
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return 0`)

// markSeeding lists this worker among the seeders for a lease duration.
func (f *Frontier[T]) markSeeding(ctx context.Context) error {
	if err := seedScript().Run(ctx, f.rdb, []string{f.keys.seeders}, f.worker, f.lease.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("redis frontier seeding: %w", err)
	}
	return nil
}

// Seeding lists this worker among the workers queueing their seeds until done is called (the
// listing is renewed with the leases; a worker that dies drops out after the lease duration):
// meanwhile no worker ends the crawl.
func (f *Frontier[T]) Seeding(ctx context.Context) (done func(), err error) {
	f.mu.Lock()
	f.seeding++
	f.mu.Unlock()
	if err := f.markSeeding(ctx); err != nil {
		f.mu.Lock()
		f.seeding--
		f.mu.Unlock()
		return nil, err
	}
	return func() {
		f.mu.Lock()
		f.seeding--
		last := f.seeding == 0
		f.mu.Unlock()
		if last {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), f.lease)
			defer cancel()
			if err := f.rdb.ZRem(ctx, f.keys.seeders, f.worker).Err(); err != nil {
				f.log.Warn("redis frontier: could not end seeding; it expires by itself", "err", err)
			}
		}
	}, nil
}

var endScript = lazyScript(nowMillis + `
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now)
if redis.call('ZCARD', KEYS[6]) > (redis.call('ZSCORE', KEYS[6], ARGV[1]) and 1 or 0) then return 0 end
if redis.call('ZCARD', KEYS[4]) > 0 then return 0 end
local kept = {}
for i = 2, #ARGV do
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 1 then kept[#kept+1] = ARGV[i] end
end
if redis.call('HLEN', KEYS[2]) > #kept then return 0 end
redis.call('DEL', KEYS[1], KEYS[3], KEYS[4], KEYS[5])
if #kept == 0 then redis.call('DEL', KEYS[7]) end
for _, u in ipairs(kept) do
  redis.call('SADD', KEYS[3], u)
  redis.call('RPUSH', KEYS[1], u)
end
return 1`)

// End ends the crawl when this worker is the last with work: nothing pending but leftover
// (URLs this worker gave up on in this run, which stay queued for the next crawl), no lease
// held by any worker, and no other worker seeding. It then empties the visited set (but for
// the leftovers still pending) and the queue, as Reset does, and reports true. Otherwise it
// changes nothing and reports false: another worker ends the crawl. The robots.txt answers go
// with the crawl when nothing is left; leftovers (the URLs of a host whose robots.txt failed,
// say) keep them, each until it expires, so that a worker still running, which takes them at
// once, does not ask a failing host again.
func (f *Frontier[T]) End(ctx context.Context, leftover []T) (bool, error) {
	args := []any{f.worker}
	for _, it := range leftover {
		args = append(args, f.urlOf(it))
	}
	k := f.keys
	n, err := endScript().Run(ctx, f.rdb, []string{k.queue, k.items, k.seen, k.leases, k.owners, k.seeders, k.robots}, args...).Int()
	if err != nil {
		return false, fmt.Errorf("redis frontier end: %w", err)
	}
	return n == 1, nil
}
