package redisfrontier

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// Learned chrome counted once for the whole crawl. {ns}:chrome:H is a hash of host H's counts,
// as the store keeps them for one process (see package chrome): "pages", the pages counted,
// and for each block fingerprint (in decimal) the pages it was on. Every worker adds its
// pages' counts and reads the host's chrome from there, so each strips what any has learned.
// The counts outlive the crawl, as the store's do. A host keeps at most chromeCap
// fingerprints: beyond, the rarest are dropped down to three quarters of it.

// chromeCap is the number of fingerprints kept per host (the store's default cap).
const chromeCap = 2048

// chromePages is the field of a host's page count.
const chromePages = "pages"

var addChromeScript = lazyScript(`
local pages = tonumber(ARGV[1])
redis.call('HINCRBY', KEYS[1], 'pages', pages)
for i = 3, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[1], ARGV[i], math.min(tonumber(ARGV[i+1]), pages))
end
local cap = tonumber(ARGV[2])
if redis.call('HLEN', KEYS[1]) - 1 > cap then
  local all = redis.call('HGETALL', KEYS[1])
  local fps = {}
  for i = 1, #all, 2 do
    if all[i] ~= 'pages' then fps[#fps+1] = {all[i], tonumber(all[i+1])} end
  end
  table.sort(fps, function(a, b) if a[2] ~= b[2] then return a[2] < b[2] end return a[1] < b[1] end)
  for i = 1, #fps - math.floor(cap * 3 / 4) do redis.call('HDEL', KEYS[1], fps[i][1]) end
end
return 0`)

func (f *Frontier[T]) chromeKey(host string) string { return "{" + f.keys.ns + "}:chrome:" + host }

// AddBlockCounts counts pages more pages of host for the whole crawl: the page count goes up
// by pages and each fingerprint's count by its value in counts (at most pages).
func (f *Frontier[T]) AddBlockCounts(ctx context.Context, host string, pages int, counts map[uint64]int) error {
	if pages <= 0 {
		return nil
	}
	args := make([]any, 0, 2+2*len(counts))
	args = append(args, pages, chromeCap)
	for fp, n := range counts {
		if n > 0 {
			args = append(args, strconv.FormatUint(fp, 10), n)
		}
	}
	if err := addChromeScript().Run(ctx, f.rdb, []string{f.chromeKey(host)}, args...).Err(); err != nil {
		return fmt.Errorf("redis chrome counts of %s: %w", host, err)
	}
	return nil
}

// HostChrome returns the fingerprints on at least minShare of host's pages counted by every
// worker, once at least minPages were counted (else an empty set).
func (f *Frontier[T]) HostChrome(ctx context.Context, host string, minPages int, minShare float64) (map[uint64]bool, error) {
	all, err := f.rdb.HGetAll(ctx, f.chromeKey(host)).Result()
	if err != nil {
		return nil, fmt.Errorf("redis learned chrome of %s: %w", host, err)
	}
	set := map[uint64]bool{}
	pages, _ := strconv.Atoi(all[chromePages])
	if pages == 0 || pages < max(minPages, 1) {
		return set, nil
	}
	for k, v := range all {
		fp, err := strconv.ParseUint(k, 10, 64)
		if err != nil {
			continue // the page count
		}
		if n, _ := strconv.Atoi(v); float64(n) >= minShare*float64(pages) {
			set[fp] = true
		}
	}
	return set, nil
}

// ChromeStats returns how many of host's pages every worker counted and how many block
// fingerprints are kept for it.
func (f *Frontier[T]) ChromeStats(ctx context.Context, host string) (pages, fingerprints int, err error) {
	pipe := f.rdb.Pipeline()
	p, n := pipe.HGet(ctx, f.chromeKey(host), chromePages), pipe.HLen(ctx, f.chromeKey(host))
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return 0, 0, fmt.Errorf("redis chrome counts of %s: %w", host, err)
	}
	pages, _ = strconv.Atoi(p.Val())
	return pages, max(int(n.Val())-1, 0), nil
}
