package redisfrontier

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Requests in flight per host, across every worker: {ns}:busy:H is a sorted set of the tokens
// of the host's requests in flight, each scored with the time (Redis's clock) its slot is
// given up by itself, should its worker die before releasing it.

var acquireScript = redis.NewScript(nowMillis + `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1`)

func (f *Frontier[T]) busyKey(host string) string { return "{" + f.keys.ns + "}:busy:" + host }

// tokens numbers this process's requests in flight.
var tokens atomic.Uint64

// Acquire takes one of host's limit slots for a request in flight, across every worker of the
// crawl, and returns its token; it returns "" when all limit are taken (try again soon). A
// slot not released within hold (its worker died) is given up by itself.
func (f *Frontier[T]) Acquire(ctx context.Context, host string, limit int, hold time.Duration) (string, error) {
	token := f.worker + ":" + strconv.FormatUint(tokens.Add(1), 10)
	ok, err := acquireScript.Run(ctx, f.rdb, []string{f.busyKey(host)}, token, max(limit, 1), max(hold.Milliseconds(), 1)).Int()
	if err != nil {
		return "", fmt.Errorf("redis requests in flight to %s: %w", host, err)
	}
	if ok == 0 {
		return "", nil
	}
	return token, nil
}

// ReleaseSlot gives back the slot of host that Acquire returned token for.
func (f *Frontier[T]) ReleaseSlot(ctx context.Context, host, token string) error {
	if err := f.rdb.ZRem(ctx, f.busyKey(host), token).Err(); err != nil {
		return fmt.Errorf("redis requests in flight to %s: %w", host, err)
	}
	return nil
}
