package redisfrontier

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/redis/go-redis/v9"
)

// The record of visits: what the workers recorded of the URLs they fetched, kept across
// crawls, so that a re-run judges which URLs are new for the whole crawl rather than per
// shard (a worker whose shard is new, or holds other articles, skips what any worker stored).
// {ns}:visits:H is a hash of host H's URLs → the crawler's value for each (a kind, a fetch
// time: a few dozen bytes). Unlike the queue and the visited set it outlives the crawl's end
// (End, Reset): it grows with the URLs recorded, as the shards do, by about the URL's length
// plus 90 bytes each in Redis (171 bytes for an 84-byte URL and a 17-byte value on Redis 7).

// visitBatch is how many URLs Visits asks Redis for at a time.
const visitBatch = 512

func (f *Frontier[T]) visitsKey(host string) string { return "{" + f.keys.ns + "}:visits:" + host }

// visitHost returns the host (with its port) under which u's visit is kept.
func visitHost(u string) (string, error) {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return "", fmt.Errorf("redis visits: %q is not a URL with a host", u)
	}
	return p.Host, nil
}

// Visits returns the value kept for each of urls ("" for a URL without one), in order.
func (f *Frontier[T]) Visits(ctx context.Context, urls []string) ([]string, error) {
	out := make([]string, len(urls))
	for start := 0; start < len(urls); start += visitBatch {
		batch := urls[start:min(start+visitBatch, len(urls))]
		byHost := map[string][]int{} // host → indexes in batch
		var hosts []string
		for i, u := range batch {
			h, err := visitHost(u)
			if err != nil {
				continue // no host: nothing kept
			}
			if _, ok := byHost[h]; !ok {
				hosts = append(hosts, h)
			}
			byHost[h] = append(byHost[h], i)
		}
		pipe := f.rdb.Pipeline()
		cmds := make([]*redis.SliceCmd, len(hosts))
		for j, h := range hosts {
			fields := make([]string, len(byHost[h]))
			for k, i := range byHost[h] {
				fields[k] = batch[i]
			}
			cmds[j] = pipe.HMGet(ctx, f.visitsKey(h), fields...)
		}
		if len(hosts) == 0 {
			continue
		}
		if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
			return nil, fmt.Errorf("redis visits: %w", err)
		}
		for j, h := range hosts {
			for k, v := range cmds[j].Val() {
				if s, ok := v.(string); ok {
					out[start+byHost[h][k]] = s
				}
			}
		}
	}
	return out, nil
}

// Visit keeps value for u, replacing the value kept, unless onlyNew and u has one.
func (f *Frontier[T]) Visit(ctx context.Context, u, value string, onlyNew bool) error {
	h, err := visitHost(u)
	if err != nil {
		return err
	}
	if onlyNew {
		err = f.rdb.HSetNX(ctx, f.visitsKey(h), u, value).Err()
	} else {
		err = f.rdb.HSet(ctx, f.visitsKey(h), u, value).Err()
	}
	if err != nil {
		return fmt.Errorf("redis visit of %s: %w", u, err)
	}
	return nil
}

// EachVisit calls fn with every URL of host (with its port, if any) that has a value kept,
// and the value, in no particular order. A URL may come twice should the hash be rehashed
// meanwhile (Redis's HSCAN).
func (f *Frontier[T]) EachVisit(ctx context.Context, host string, fn func(u, value string) error) error {
	it := f.rdb.HScan(ctx, f.visitsKey(host), 0, "", 1000).Iterator()
	var u string
	for i := 0; it.Next(ctx); i++ {
		if i%2 == 0 {
			u = it.Val()
			continue
		}
		if err := fn(u, it.Val()); err != nil {
			return err
		}
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("redis visits of %s: %w", host, err)
	}
	return nil
}

// visitCount is the number of URLs with a visit kept, of every host.
func (f *Frontier[T]) visitCount(ctx context.Context) (int, error) {
	n := 0
	it := f.rdb.Scan(ctx, 0, f.visitsKey("*"), 1000).Iterator()
	for it.Next(ctx) {
		c, err := f.rdb.HLen(ctx, it.Val()).Result()
		if err != nil {
			return 0, fmt.Errorf("redis visits: %w", err)
		}
		n += int(c)
	}
	if err := it.Err(); err != nil {
		return 0, fmt.Errorf("redis visits: %w", err)
	}
	return n, nil
}
