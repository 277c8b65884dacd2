package crawler

import (
	"context"
	"lede/extract"
	"log/slog"
	"net/http"
	"time"

	"lede/warc"

	"github.com/jonboulle/clockwork"
)

// Defaults of every fetch, the crawl's and lede extract's.
const (
	// DefaultUserAgent names lede and where to read about it.
	DefaultUserAgent = "lede/0.1 (news crawler)"
	// DefaultTimeout bounds one request, redirects included.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxRedirects is how many redirects a request follows.
	DefaultMaxRedirects = 5
	// DefaultMaxBodySize is the largest page fetched: the largest extract takes.
	DefaultMaxBodySize = extract.MaxPageBytes
)

// config is the crawl-wide configuration; Site values override some of it per site.
type config struct {
	delay            time.Duration
	parallelism      int
	userAgent        string
	timeout          time.Duration
	maxDepth         int
	maxPages         int
	maxDuration      time.Duration
	ignoreRobots     bool
	maxBodySize      int
	maxRedirects     int
	refresh          bool
	refreshAfter     time.Duration
	maxRetries       int
	retryBase        time.Duration
	maxRetryAfter    time.Duration
	breakerThreshold int
	breakerCooldown  time.Duration
	breakerTrips     int
	maxCrawlDelay    time.Duration
	logger           *slog.Logger
	onEvent          func(Event)
	transport        http.RoundTripper
	learnChrome      bool
	retryDeadAfter   time.Duration
	clock            clockwork.Clock
	warc             *warc.Writer // nil: nothing archived (warc.go)
	hostClock        HostClock
	maxHosts         int // hosts whose learned state is held in memory (hostlru.go)
}

func defaultConfig() config {
	return config{
		delay:            time.Second,
		parallelism:      1,
		userAgent:        DefaultUserAgent,
		timeout:          DefaultTimeout,
		maxDepth:         5,
		maxBodySize:      DefaultMaxBodySize,
		maxRedirects:     DefaultMaxRedirects,
		maxRetries:       4,
		retryBase:        500 * time.Millisecond,
		maxRetryAfter:    2 * time.Minute,
		breakerThreshold: 8,
		breakerCooldown:  5 * time.Second,
		breakerTrips:     4,
		maxCrawlDelay:    2 * time.Minute,
		logger:           slog.New(slog.DiscardHandler),
		learnChrome:      true,
		retryDeadAfter:   DefaultRetryDeadAfter,
		clock:            clockwork.NewRealClock(),
		maxHosts:         DefaultMaxHosts,
	}
}

// Option configures a Crawler.
type Option func(*config)

// WithMaxHosts sets how many hosts a run holds learned state of in memory at once
// (DefaultMaxHosts; at least 1). Beyond it, the state of the host used longest ago is
// written to the store and dropped, and read again if the host comes back.
func WithMaxHosts(n int) Option { return func(c *config) { c.maxHosts = max(n, 1) } }

// WithLearnedChrome turns learning each host's page chrome on or off (on by default, when
// the Store is a chrome.Store): block fingerprints of every new page are counted per host,
// blocks on most of a host's pages are removed from its articles, and stored articles are
// cleaned again when the learned set changes (see package chrome).
func WithLearnedChrome(on bool) Option { return func(c *config) { c.learnChrome = on } }

// WithDelay sets the least time between two requests to one host (default 1 s). A longer
// Crawl-delay in robots.txt wins.
func WithDelay(d time.Duration) Option { return func(c *config) { c.delay = max(d, 0) } }

// WithParallelism sets how many requests may be in flight per host (default 1). Different
// hosts are always crawled in parallel.
func WithParallelism(n int) Option { return func(c *config) { c.parallelism = max(n, 1) } }

// WithUserAgent sets the User-Agent header, also used to pick the robots.txt group.
func WithUserAgent(ua string) Option {
	return func(c *config) {
		if ua != "" {
			c.userAgent = ua
		}
	}
}

// WithTimeout bounds each request, body included (default 30 s).
func WithTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// WithMaxDepth sets how many links away from a start page, feed or sitemap the crawl goes
// (default 5; 0 fetches only start pages and what feeds and sitemaps list).
func WithMaxDepth(n int) Option { return func(c *config) { c.maxDepth = n } }

// WithMaxPages stops the crawl after this many pages were answered (0: no limit); failed
// attempts (network errors, 429, 5xx) do not count. What is left stays queued for the next
// run.
func WithMaxPages(n int) Option { return func(c *config) { c.maxPages = max(n, 0) } }

// WithMaxDuration stops the crawl gracefully after d (0: no limit). What is left stays
// queued for the next run.
func WithMaxDuration(d time.Duration) Option { return func(c *config) { c.maxDuration = max(d, 0) } }

// WithClock sets the clock the crawl's time limit (WithMaxDuration) runs on: the real one by
// default, a fake one (clockwork.NewFakeClock) in a test that must not depend on how fast
// the machine is.
func WithClock(clock clockwork.Clock) Option { return func(c *config) { c.clock = clock } }

// IgnoreRobots makes the crawler skip robots.txt (and its Crawl-delay) altogether.
func IgnoreRobots(ignore bool) Option { return func(c *config) { c.ignoreRobots = ignore } }

// WithMaxBodySize caps a response body (default 10 MiB). A page at the cap is treated as
// truncated: reported and never stored.
func WithMaxBodySize(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxBodySize = n
		}
	}
}

// WithMaxRedirects bounds a redirect chain (default 5).
func WithMaxRedirects(n int) Option { return func(c *config) { c.maxRedirects = max(n, 0) } }

// WithRefresh re-fetches articles already stored (conditionally, with their ETag and
// Last-Modified) instead of skipping them: every stored article of the run's sites is queued
// again, wherever it is linked from.
func WithRefresh(refresh bool) Option { return func(c *config) { c.refresh = refresh } }

// WithRefreshAfter re-fetches a stored article once its last fetch is older than d (0: never);
// such articles of the run's sites are queued again, wherever they are linked from.
func WithRefreshAfter(d time.Duration) Option { return func(c *config) { c.refreshAfter = max(d, 0) } }

// WithRetries sets how often a request failing with 429, 5xx or a network error is retried
// (default 4), and the first backoff (default 500 ms, doubled each time, with jitter).
func WithRetries(n int, base time.Duration) Option {
	return func(c *config) {
		c.maxRetries = max(n, 0)
		if base > 0 {
			c.retryBase = base
		}
	}
}

// WithMaxRetryAfter caps how long a Retry-After header may pause a host (default 2 min).
func WithMaxRetryAfter(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.maxRetryAfter = d
		}
	}
}

// WithCircuitBreaker pauses a host for cooldown (doubling each time) after threshold
// failures in a row, and gives up on it for this run after trips pauses without a success.
func WithCircuitBreaker(threshold int, cooldown time.Duration, trips int) Option {
	return func(c *config) {
		c.breakerThreshold = max(threshold, 1)
		if cooldown > 0 {
			c.breakerCooldown = cooldown
		}
		c.breakerTrips = max(trips, 1)
	}
}

// WithLogger sets the slog logger (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.logger = l
		}
	}
}

// WithEvents calls fn after every URL the crawler is done with (from several goroutines).
func WithEvents(fn func(Event)) Option { return func(c *config) { c.onEvent = fn } }

// WithTransport replaces the HTTP transport shared by all hosts (an *http.Transport, or a
// RoundTripper around one). Each host's requests still go through lede's pacing first.
func WithTransport(t http.RoundTripper) Option { return func(c *config) { c.transport = t } }

// A HostClock paces each host's requests across every process of a shared crawl (the Redis
// frontier's), so that a host sees no more requests than from one lede: one request at a
// time takes the host's slot, and the next slot opens a delay after it was sent.
type HostClock interface {
	// Take takes the host's slot and returns 0, or returns how long to wait before trying
	// again. The caller that took it sends its request, then calls Sent.
	Take(ctx context.Context, host string) (time.Duration, error)
	// Sent notes that the request was written now: the host's next slot opens delay later.
	Sent(ctx context.Context, host string, delay time.Duration) error
}

// WithHostClock paces requests on c as well as in this process: each request to a host
// with a delay waits for the host's slot on c. Requests without a delay do not use it.
func WithHostClock(c HostClock) Option { return func(cfg *config) { cfg.hostClock = c } }
