package redisfrontier

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"sync/atomic"
)

// Requests in flight per host, across every worker: {ns}:busy:H is a sorted set of the tokens
// of the host's requests in flight, each scored with the time (Redis's clock) its slot is
// given up by itself: a lease duration after it was taken or last renewed. The worker renews
// the slots it holds with its leases, so that a worker that dies frees its slots as it
// loses its leases.

var acquireScript = lazyScript(nowMillis + `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1`)

var renewSlotScript = lazyScript(nowMillis + `
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 0`)

func (f *Frontier[T]) busyKey(host string) string { return "{" + f.keys.ns + "}:busy:" + host }

// tokens numbers this process's requests in flight.
var tokens atomic.Uint64

// Acquire takes one of host's limit slots for a request in flight, across every worker of the
// crawl, and returns its token; it returns "" when all limit are taken (try again soon). The
// slot is held until ReleaseSlot, or a lease duration after this worker stops renewing it.
func (f *Frontier[T]) Acquire(ctx context.Context, host string, limit int) (string, error) {
	token := f.worker + ":" + strconv.FormatUint(tokens.Add(1), 10)
	ok, err := acquireScript().Run(ctx, f.rdb, []string{f.busyKey(host)}, token, max(limit, 1), f.lease.Milliseconds()).Int()
	if err != nil {
		return "", fmt.Errorf("redis requests in flight to %s: %w", host, err)
	}
	if ok == 0 {
		return "", nil
	}
	f.mu.Lock()
	f.slots[token] = host
	f.mu.Unlock()
	return token, nil
}

// ReleaseSlot gives back the slot of host that Acquire returned token for.
func (f *Frontier[T]) ReleaseSlot(ctx context.Context, host, token string) error {
	f.mu.Lock()
	delete(f.slots, token)
	f.mu.Unlock()
	if err := f.rdb.ZRem(ctx, f.busyKey(host), token).Err(); err != nil {
		return fmt.Errorf("redis requests in flight to %s: %w", host, err)
	}
	return nil
}

// renewSlots extends the slots this worker holds by a lease duration.
func (f *Frontier[T]) renewSlots(ctx context.Context) error {
	f.mu.Lock()
	held := maps.Clone(f.slots)
	f.mu.Unlock()
	for token, host := range held {
		if err := renewSlotScript().Run(ctx, f.rdb, []string{f.busyKey(host)}, token, f.lease.Milliseconds()).Err(); err != nil {
			return fmt.Errorf("redis requests in flight to %s: %w", host, err)
		}
	}
	return nil
}
