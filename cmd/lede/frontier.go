package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/url"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/redis/go-redis/v9"

	"lede"
	"lede/chrome"
	"lede/crawler"
	"lede/crawler/redisfrontier"
)

// redisFrontier is the frontier of a crawl shared through Redis (lede crawl --frontier
// redis://host:port/db): the queue, the visited set and the leases of every worker.
type redisFrontier struct {
	*redisfrontier.Frontier[lede.QueueItem]
	addr string // host:port, for messages: never the URL, which may hold a password
	rdb  *redis.Client
}

// The Redis frontier keeps what the workers of a crawl share: the queue, robots.txt, requests
// in flight per host, learned chrome and, across crawls, the articles stored and dead links.
var (
	_ crawler.SharedFrontier = (*redisFrontier)(nil)
	_ crawler.VisitRecord    = (*redisFrontier)(nil)
	_ crawler.RobotsShare    = (*redisFrontier)(nil)
	_ crawler.HostLimiter    = (*redisFrontier)(nil)
	_ crawler.HostClock      = (*redisFrontier)(nil)
	_ chrome.Store           = (*redisFrontier)(nil)
)

// parseFrontierURL checks a --frontier URL: redis:// or rediss://, an optional password and
// a database number. Its errors never show the password.
func parseFrontierURL(raw string) (*redis.Options, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("--frontier: not a URL; want redis://[:password@]host:port/db")
	}
	shown := u.Redacted()
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return nil, fmt.Errorf("--frontier %s: want a redis:// or rediss:// URL", shown)
	}
	opts, err := redis.ParseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("--frontier %s: want redis://[:password@]host:port/db with a database number: %s", shown, errors.Unwrap(err))
	}
	return opts, nil
}

// openRedisFrontier connects to the frontier's Redis and checks it answers.
func openRedisFrontier(ctx context.Context, opts *redis.Options, lease time.Duration, log *slog.Logger) (*redisFrontier, error) {
	rdb := redis.NewClient(opts)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("redis frontier at %s (database %d) does not answer: %w", opts.Addr, opts.DB, err)
	}
	fr := redisfrontier.New(rdb, func(it lede.QueueItem) string { return it.URL },
		redisfrontier.WithLease(lease), redisfrontier.WithLogger(log))
	log.Info("sharing the crawl through Redis", "redis", opts.Addr, "db", opts.DB, "worker", fr.Worker(), "lease", lease)
	return &redisFrontier{Frontier: fr, addr: opts.Addr, rdb: rdb}, nil
}

// Close stops renewing this worker's leases and closes the connection.
func (f *redisFrontier) Close() error {
	err := f.Frontier.Close()
	return errors.Join(err, f.rdb.Close())
}

// lost reports whether Redis stopped answering: a crawl that failed meanwhile failed for it.
func (f *redisFrontier) lost() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return f.rdb.Ping(ctx).Err() != nil
}

// printFrontierStats writes a shared crawl's frontier: URLs pending, waiting and leased, per
// host, and the live workers with their leases (lede stats --frontier).
func printFrontierStats(ctx context.Context, raw string, w io.Writer, asJSON bool) error {
	opts, err := parseFrontierURL(raw)
	if err != nil {
		return withCode(exitUsage, err)
	}
	fr, err := openRedisFrontier(ctx, opts, redisfrontier.DefaultLease, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer fr.Close()
	st, err := fr.Stats(ctx)
	if err != nil {
		return fmt.Errorf("redis frontier at %s: %w", fr.addr, err)
	}
	out := &outputWriter{w: w}
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		_ = enc.Encode(st)
		return out.done()
	}
	fmt.Fprintf(out, "frontier at %s, database %d\n", fr.addr, opts.DB)
	fmt.Fprintf(out, "pending  %d (waiting %d, leased %d)\nseen     %d\nseeding  %d workers\nvisits   %d URLs recorded across crawls\n",
		st.Pending, st.Waiting, st.Leased, st.Seen, st.Seeding, st.Visits)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nhost\tpending")
	for _, h := range slices.Sorted(maps.Keys(st.ByHost)) {
		fmt.Fprintf(tw, "%s\t%d\n", h, st.ByHost[h])
	}
	fmt.Fprintln(tw, "\nworker\tleases")
	for _, wk := range slices.Sorted(maps.Keys(st.Workers)) {
		fmt.Fprintf(tw, "%s\t%d\n", wk, st.Workers[wk])
	}
	tw.Flush()
	return out.done()
}
