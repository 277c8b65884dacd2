package crawler

import (
	"context"
	"fmt"
	"lede"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/temoto/robotstxt"
)

// Site is one news site to crawl: where to start and how politely.
type Site struct {
	Name        string         // a label for logs; defaults to the first start URL's host
	Start       []string       // start pages (fronts, sections)
	Feeds       []string       // RSS, Atom or JSON feeds
	Sitemaps    []string       // sitemaps; when empty, robots.txt Sitemap lines or /sitemap.xml
	Allow       []string       // regular expressions; when set, a discovered URL must match one
	Deny        []string       // regular expressions; a discovered URL matching one is skipped
	Delay       *time.Duration // least time between requests to one host; nil: the crawl's
	Parallelism int            // requests in flight per host; 0: the crawl's
	MaxPages    int            // page fetches for this site in one run; 0: no limit of its own
}

// Crawler crawls Sites into a Store, keeping its queue in a Frontier.
type Crawler struct {
	cfg      config
	store    Store
	frontier lede.Frontier
}

// New returns a Crawler writing to st and queueing in fr.
func New(st Store, fr lede.Frontier, opts ...Option) *Crawler {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	return &Crawler{cfg: cfg, store: st, frontier: fr}
}

// Event reports one URL the crawler is done with, for progress displays and metrics. A URL
// to be retried reports "retry" (and "paused" when its failure made the circuit breaker
// pause the host) before its final outcome.
type Event struct {
	URL     string
	Host    string
	Outcome lede.Outcome
	Status  int
	Reason  string
	Fetched int // pages and documents fetched so far
	Pending int // URLs taken from the frontier and not finished yet
}

// siteState is a Site with its patterns compiled and its run-time counters.
type siteState struct {
	Site
	hosts       map[string]bool // hostKey of every start, feed and sitemap URL
	allow, deny []*regexp.Regexp
	fetched     int  // pages answered in this run (guarded by run.mu)
	inFlight    int  // page fetches booked and not settled yet (guarded by run.mu)
	discovered  bool // sitemaps looked up (guarded by run.mu)
	full        bool // MaxPages reached
	listings    int  // sitemaps and feeds queued in this run and not done (guarded by run.mu; see awaitListings)
}

// host is the crawl state of one host: its collector, robots rules, queue and pacing.
type host struct {
	name        string // host[:port], as in URLs
	site        *siteState
	col         *colly.Collector
	parallelism int

	robotsOnce sync.Once
	robots     *robotstxt.Group // nil: everything allowed
	sitemaps   []string         // robots.txt Sitemap lines

	// guarded by run.mu
	delay      time.Duration
	queue      []*task
	workers    int
	nextAt     time.Time     // the next request may not start before (pace.go)
	sending    chan struct{} // closed once the request holding the slot is written; nil: none
	failures   int           // retryable failures in a row
	trips      int           // circuit-breaker pauses without a success in between
	dead       bool          // given up for this run
	robotsDown bool          // dead because robots.txt could not be read
	counts     *Counts
}

// task is one frontier item being worked on.
type task struct {
	item      lede.QueueItem
	attempt   int
	notBefore time.Time
	// awaitUntil is how long a dead link waits for its site's listings (see awaitListings).
	awaitUntil time.Time
}

// run is the state of one Run call.
type run struct {
	c         *Crawler
	parent    context.Context
	ctx       context.Context // cancelled on interrupt, or shortly after a graceful stop
	cancel    context.CancelFunc
	storeCtx  context.Context // survives cancellation: what was fetched gets stored
	log       *slog.Logger
	transport http.RoundTripper

	mu       sync.Mutex
	sites    []*siteState
	hosts    map[string]*host
	seen     *seenSet         // URLs pushed to the frontier (or handled) in this run, bounded
	pending  int              // tasks taken from the frontier and not finished
	leftover []lede.QueueItem // tasks dropped (max pages, dead host, stop): still queued
	fetched  int              // pages answered (for MaxPages)
	// pagesInFlight are page fetches booked against MaxPages and not settled yet.
	pagesInFlight int
	pushed        bool            // items were pushed since the dispatcher last looked
	stopping      lede.StopReason // why the run is stopping; "" while it runs, stopDone once it ran out of work
	fatal         error
	summary       Summary

	commits chan commitJob // outcomes waiting for the committers
	cwg     sync.WaitGroup

	kinds kindState // what the run knows of each host's pages for the article/front decision (pagekind.go)

	chromeMu      sync.Mutex
	chrome        *hostLRU[*hostChrome]   // learned chrome by ChromeHost, the hosts used last
	chromeEvicted []evictedChrome         // hosts put out of chrome, for settleEvicted
	windows       map[string]*blockWindow // page block counts not yet written, by ChromeHost (at most maxBufferedPages pages)
	buffered      int                     // pages in windows

	wake chan struct{} // nudges the dispatcher
	halt chan struct{} // closed when the run stops taking work
	wg   sync.WaitGroup
}

// sharedBatch is how many items a process pops at most at once from a SharedFrontier,
// sharedMinWindow the least it may hold (see sharedWindowLocked), and sharedPoll how often it
// looks for items the other processes queued.
const (
	sharedBatch     = 32
	sharedMinWindow = 8
	sharedPoll      = 200 * time.Millisecond
)

// committers is how many goroutines write outcomes to the store. Their writes share bbolt
// batches, so more committers mean fewer synced transactions per page.
const committers = 16

// Run crawls sites until the frontier is empty, the context is cancelled or a limit is hit,
// and returns what it did. A crawl that stops early leaves its queue in the frontier: the
// next Run resumes it. A cancelled context stops within seconds (in-flight requests are
// cancelled; pages already fetched are still stored) with Summary.Stopped = lede.StopInterrupted.
func (c *Crawler) Run(ctx context.Context, sites ...Site) (*Summary, error) {
	start := time.Now()
	r := c.newRun(ctx)
	defer r.cancel()
	seeds, err := r.compileSites(sites)
	if err != nil {
		return nil, err
	}
	r.transport = c.cfg.transport
	if r.transport == nil {
		perHost := c.cfg.parallelism
		for _, s := range sites {
			perHost = max(perHost, s.Parallelism)
		}
		tr := newTransport(perHost)
		defer tr.CloseIdleConnections()
		r.transport = tr
	}
	if err := r.queueStart(ctx, seeds); err != nil {
		// The run began (the store is open, seeds may be queued): it ends with a summary,
		// stopped as failed, like a run that fails later.
		r.summary.Stopped = lede.StopFailed
		r.summary.total()
		r.summary.ElapsedSeconds = time.Since(start).Seconds()
		return &r.summary, err
	}
	if c.cfg.maxDuration > 0 {
		t := c.cfg.clock.AfterFunc(c.cfg.maxDuration, func() { r.stop(lede.StopMaxDuration) })
		defer t.Stop()
	}

	for range committers {
		r.cwg.Add(1)
		go r.committer()
	}
	r.dispatch()
	r.stop(stopDone)
	r.wg.Wait()
	close(r.commits)
	r.cwg.Wait()

	r.summary.Queued = r.wrapUp(ctx)
	r.summary.total()
	r.summary.ElapsedSeconds = time.Since(start).Seconds()
	return &r.summary, r.fatal
}

// queueStart fills the frontier for a run: the seeds, then the known URLs due again (hubs
// and feeds to recheck, articles due for a refresh). A frontier already holding URLs is an
// unfinished crawl, resumed.
//
// The run reads the store before it writes to it: the fetch records of its sites are walked
// first, so that a store holding a record that cannot be decoded (damage inside a value,
// which no page check finds) fails the run before anything is queued. The URLs due again are
// kept from that walk when they are a batch at most, and walked for again otherwise.
func (r *run) queueStart(ctx context.Context, seeds []lede.QueueItem) error {
	if shared, ok := r.c.frontier.(SharedFrontier); ok {
		// No other process ends the crawl while this one queues: its seeds join the crawl
		// under way, or start the next, never vanish with the end of the last.
		done, err := shared.Seeding(ctx)
		if err != nil {
			return fmt.Errorf("frontier: %w", err)
		}
		defer done()
	}
	queued, err := r.c.frontier.Len(ctx)
	if err != nil {
		return fmt.Errorf("frontier: %w", err)
	}
	var due []lede.QueueItem
	more := false
	err = r.walkDue(ctx, func(it lede.QueueItem) error {
		if len(due) < requeueBatch {
			due = append(due, it)
		} else {
			more = true
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("queue known URLs due again: %w", err)
	}
	if queued > 0 {
		r.summary.Resumed = true
		r.log.Info("resuming an unfinished crawl", "queued", queued)
	}
	if err := r.push(ctx, seeds); err != nil {
		return err
	}
	if more {
		err = r.requeue(ctx)
	} else {
		err = r.push(ctx, due)
	}
	if err != nil { // known hubs and feeds due again, articles due for a refresh
		return fmt.Errorf("queue known URLs due again: %w", err)
	}
	return nil
}

// wrapUp ends a run whose workers and committers are done: why it stopped, the learned
// chrome's last counts and recleaning, and the frontier afresh for the next run when the
// crawl is over. It returns how many URLs are left queued.
func (r *run) wrapUp(ctx context.Context) (left int) {
	c := r.c
	r.mu.Lock() // a late max-duration timer may still call stop
	stopping := r.stopping
	r.mu.Unlock()
	if stopping == lede.StopInterrupted || ctx.Err() != nil {
		r.summary.Stopped = lede.StopInterrupted
	} else if stopping != stopDone {
		r.summary.Stopped = stopping
	}
	if r.learnsChrome() {
		r.flushWindows()
	}
	r.finishKinds()
	if r.summary.Stopped == lede.StopInterrupted {
		// An interrupted run only says which hosts need lede reclean: it must end now.
		r.recleanChanged(r.storeCtx, true)
	} else if r.fatal == nil {
		r.recleanChanged(ctx, false) // a Ctrl-C meanwhile stops it
	}
	leftover := r.releaseLeftover()
	if shared, ok := c.frontier.(SharedFrontier); ok {
		// The last process with work ends the crawl, in one step with the check that it is
		// the last (see SharedFrontier.End).
		if r.fatal == nil && r.summary.Stopped == "" {
			if _, err := shared.End(r.storeCtx, leftover); err != nil {
				r.fatal = fmt.Errorf("frontier end: %w", err)
			}
		}
		left, _ := c.frontier.Len(r.storeCtx)
		return left
	}
	left, err := c.frontier.Len(r.storeCtx)
	if err == nil && r.fatal == nil && r.summary.Stopped == "" && left == len(leftover) {
		// The crawl is over. What is left was given up on in this run (a host that kept
		// failing, a site at its max_pages): start the next run afresh, with those URLs queued.
		if err := c.frontier.Reset(r.storeCtx); err != nil {
			r.fatal = fmt.Errorf("frontier reset: %w", err)
		} else if _, err := c.frontier.Push(r.storeCtx, leftover...); err != nil {
			r.fatal = fmt.Errorf("frontier push: %w", err)
		}
	}
	return left
}

// newRun returns the state of a run under ctx.
func (c *Crawler) newRun(ctx context.Context) *run {
	r := &run{
		c:        c,
		parent:   ctx,
		storeCtx: context.WithoutCancel(ctx),
		log:      c.cfg.logger,
		hosts:    map[string]*host{},
		seen:     newSeenSet(),
		wake:     make(chan struct{}, 1),
		halt:     make(chan struct{}),
		commits:  make(chan commitJob, 64),
		summary:  Summary{Hosts: map[string]*Counts{}},
		windows:  map[string]*blockWindow{},
		kinds:    kindState{listed: map[string]listing{}},
	}
	r.chrome = newHostLRU(c.cfg.maxHosts, func(key string, hc *hostChrome) {
		r.chromeEvicted = append(r.chromeEvicted, evictedChrome{key, hc})
	})
	r.kinds.hosts = newHostLRU(c.cfg.maxHosts, r.evictKindsLocked)
	r.ctx, r.cancel = context.WithCancel(ctx)
	return r
}

// releaseLeftover gives back the leases of the tasks this run gave up on, so that a later
// run in the same process gets them, and returns them once each.
func (r *run) releaseLeftover() []lede.QueueItem {
	seen := map[string]bool{}
	var out []lede.QueueItem
	for _, it := range r.leftover {
		if !seen[it.URL] {
			seen[it.URL] = true
			r.c.frontier.Release(it.URL)
			out = append(out, it)
		}
	}
	return out
}

// compileSites checks every site's URLs and patterns and returns the seed items.
func (r *run) compileSites(sites []Site) ([]lede.QueueItem, error) {
	var seeds []lede.QueueItem
	for i, s := range sites {
		st := &siteState{Site: s, hosts: map[string]bool{}}
		label := s.Name
		add := func(list []string, kind lede.Kind) error {
			for _, raw := range list {
				u, err := lede.Canonicalize(raw)
				if err != nil {
					return fmt.Errorf("site %s: %w", siteLabel(label, i), err)
				}
				if label == "" {
					label = hostKey(u)
				}
				if kind == lede.KindPage {
					st.hosts[hostKey(u)] = true
				}
				seeds = append(seeds, lede.QueueItem{URL: u, Kind: kind})
			}
			return nil
		}
		if err := add(s.Start, lede.KindPage); err != nil {
			return nil, err
		}
		if err := add(s.Feeds, lede.KindFeed); err != nil {
			return nil, err
		}
		if err := add(s.Sitemaps, lede.KindSitemap); err != nil {
			return nil, err
		}
		if len(st.hosts) == 0 { // a feed- or sitemap-only site: its pages live on those hosts
			for _, raw := range append(append([]string{}, s.Feeds...), s.Sitemaps...) {
				if u, err := lede.Canonicalize(raw); err == nil {
					st.hosts[hostKey(u)] = true
				}
			}
		}
		if len(st.hosts) == 0 {
			return nil, fmt.Errorf("site %s: no start URL, feed or sitemap", siteLabel(label, i))
		}
		st.Name = label
		for _, p := range s.Allow {
			re, err := regexp.Compile(p)
			if err != nil {
				return nil, fmt.Errorf("site %s: allow pattern %q: %w", label, p, err)
			}
			st.allow = append(st.allow, re)
		}
		for _, p := range s.Deny {
			re, err := regexp.Compile(p)
			if err != nil {
				return nil, fmt.Errorf("site %s: deny pattern %q: %w", label, p, err)
			}
			st.deny = append(st.deny, re)
		}
		st.discovered = len(s.Sitemaps) > 0
		r.sites = append(r.sites, st)
	}
	return seeds, nil
}

// siteLabel names the i-th site in errors: its name, else "#<i+1>".
func siteLabel(name string, i int) string {
	if name != "" {
		return name
	}
	return fmt.Sprintf("#%d", i+1)
}

// siteOf returns the site a URL belongs to, or nil.
func (r *run) siteOf(rawURL string) *siteState {
	k := hostKey(rawURL)
	for _, s := range r.sites {
		if s.hosts[k] {
			return s
		}
	}
	return nil
}

// allowed reports whether a discovered page URL may be crawled under its site's patterns.
func (s *siteState) allowed(u string) bool {
	for _, re := range s.deny {
		if re.MatchString(u) {
			return false
		}
	}
	if len(s.allow) == 0 {
		return true
	}
	for _, re := range s.allow {
		if re.MatchString(u) {
			return true
		}
	}
	return false
}

// stopDone is why a run stops that ran out of work: it did not stop early.
const stopDone lede.StopReason = "done"

// stop makes the run stop taking new work. StopInterrupted (or a cancelled parent context)
// cancels requests in flight at once; other early stops let them finish for a few seconds.
func (r *run) stop(reason lede.StopReason) {
	r.mu.Lock()
	if r.stopping == "" {
		r.stopping = reason
		close(r.halt)
		if reason != stopDone {
			r.log.Info("stopping crawl", "reason", reason)
		}
	}
	r.mu.Unlock()
	r.signal()
	if reason != stopDone {
		time.AfterFunc(5*time.Second, r.cancel)
	}
}

// signal wakes the dispatcher without blocking.
func (r *run) signal() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// dispatch moves frontier items into per-host queues until the crawl is over. It pops only
// when the frontier may hold unleased items (at the start, after a full batch, or after a
// push); a Pop costs only the items it returns, however many are leased. Items in memory are
// capped at a high-water mark, so that a crawl's memory does not grow with the crawl: the
// rest waits in the store. The window still holds a few thousand tasks, so that one slow
// host's backlog, first in the FIFO, rarely keeps the other hosts' URLs out of reach.
//
// With a SharedFrontier the window is small (twice what the hosts it knows can have in
// flight) and the dispatcher pops every sharedPoll, not right after its own pushes, so that
// the other workers get their share of what it finds; it ends only when no other worker
// holds an item either.
func (r *run) dispatch() {
	batch, highWater := 1024, 4096
	shared, isShared := r.c.frontier.(SharedFrontier)
	if isShared {
		batch = sharedBatch
	}
	dirty := true // the frontier may hold items this run has not leased
	lastPop, wait := time.Now(), time.Second
	if isShared {
		wait = sharedPoll
	}
	for {
		if r.parent.Err() != nil {
			r.stop(lede.StopInterrupted)
			r.cancel()
			return
		}
		r.mu.Lock()
		pending, stopping := r.pending, r.stopping
		if r.pushed && !isShared { // shared: what this run pushed is for every worker's next poll
			dirty, r.pushed = true, false
		}
		if isShared {
			highWater = r.sharedWindowLocked()
		}
		r.mu.Unlock()
		if stopping != "" {
			return
		}
		if isShared && time.Since(lastPop) >= sharedPoll {
			dirty = true
		}
		if dirty && pending < highWater {
			lastPop = time.Now()
			n := min(batch, highWater-pending)
			items, err := r.c.frontier.Pop(r.ctx, n)
			if err != nil {
				if r.parent.Err() != nil {
					continue
				}
				r.fail(fmt.Errorf("frontier pop: %w", err))
				return
			}
			for _, it := range items {
				if isShared { // see listingQueued
					r.mu.Lock()
					r.listingQueued(it)
					r.mu.Unlock()
				}
				r.enqueue(&task{item: it})
			}
			dirty = len(items) == n
			if len(items) > 0 {
				continue
			}
		}
		if pending == 0 && !dirty {
			if !isShared {
				return // nothing in memory and nothing left to pop: done
			}
			others, err := shared.Others(r.ctx)
			if err != nil {
				if r.parent.Err() != nil {
					continue
				}
				r.fail(fmt.Errorf("frontier: %w", err))
				return
			}
			if others == 0 {
				return // no other worker holds an item: the crawl is done
			}
		}
		select {
		case <-r.wake:
		case <-r.parent.Done():
		case <-time.After(wait):
		}
	}
}

// sharedWindowLocked is how many items a process holds at most from a SharedFrontier: twice
// what its hosts can have in flight (at least sharedMinWindow), so that the other processes get the rest.
func (r *run) sharedWindowLocked() int {
	inFlight := 0
	for _, h := range r.hosts {
		inFlight += h.parallelism
	}
	return max(sharedMinWindow, 2*inFlight)
}

// fail records a fatal (store) error and stops the run.
func (r *run) fail(err error) {
	r.mu.Lock()
	if r.fatal == nil {
		r.fatal = err
	}
	r.mu.Unlock()
	r.log.Error("crawl failed", "err", err)
	r.stop(lede.StopFailed)
}

// enqueue hands a task to its host, starting a worker when the host has room for one.
func (r *run) enqueue(t *task) {
	u, err := url.Parse(t.item.URL)
	if err != nil || u.Host == "" {
		r.mu.Lock()
		r.pending++
		r.mu.Unlock()
		r.finish(nil, t, outcome{counter: lede.OutcomeSkipped, rec: &lede.FetchRecord{Kind: lede.KindSkipped, Reason: "bad URL"}})
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	h, err := r.hostLocked(u.Host)
	if err != nil {
		r.fatal = err
		return
	}
	r.pending++
	h.queue = append(h.queue, t)
	if h.workers < h.parallelism && h.workers < len(h.queue) {
		h.workers++
		r.wg.Add(1)
		go r.worker(h)
	}
}

// hostLocked returns the state of a host, creating it (and its collector) on first use.
func (r *run) hostLocked(name string) (*host, error) {
	if h, ok := r.hosts[name]; ok {
		return h, nil
	}
	site := r.siteOf("http://" + name + "/")
	cfg := r.c.cfg
	h := &host{name: name, site: site, parallelism: cfg.parallelism, delay: cfg.delay, counts: &Counts{}}
	if site != nil {
		if site.Parallelism > 0 {
			h.parallelism = site.Parallelism
		}
		if site.Delay != nil {
			h.delay = max(*site.Delay, 0)
		}
	}
	col, err := r.c.newCollector(r, h)
	if err != nil {
		return nil, err
	}
	h.col = col
	r.hosts[name] = h
	r.summary.Hosts[name] = h.counts
	return h, nil
}
