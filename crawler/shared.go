package crawler

import (
	"context"
	"time"

	"lede"
	"lede/chrome"
)

// A crawl shared by several processes (lede crawl --frontier redis://…) goes through a
// SharedFrontier, which may also keep what the processes must agree on: each host's
// robots.txt (RobotsShare), its requests in flight (HostLimiter), its learned chrome
// (chrome.Store) and, across crawls, the articles stored and dead links found (VisitRecord). The crawler uses each that the frontier implements; the frontier's package
// imports none of lede's.

// A SharedFrontier is a lede.Frontier that several crawl processes use at once (a Redis one): a
// process pops a few items at a time, so that the others get their share, looks again now and
// then for items the others queued, and, when its own work is done, waits while the others
// hold leases, since their pages may queue more and a dead worker's leases come back.
type SharedFrontier interface {
	lede.Frontier
	// Others is the number of items not done that this process does not hold.
	Others(ctx context.Context) (int, error)
	// Seeding notes that this process queues its seeds until done is called: meanwhile no
	// process ends the crawl.
	Seeding(ctx context.Context) (done func(), err error)
	// End ends the crawl, as Reset, keeping leftover (the items this process gave up on)
	// queued for the next one, when this process is the last with work: nothing else
	// pending, no lease held, no other process seeding. It reports whether it did.
	End(ctx context.Context, leftover []lede.QueueItem) (bool, error)
}

// A RobotsShare keeps each host's robots.txt answer for every process of a shared crawl, so
// that one process fetches it and the others read it.
type RobotsShare interface {
	// TakeRobots returns the answer kept (found: its status, 0 for a host out of reach, and
	// body), or gives this process the fetch for at most hold (mine: fetch, then PutRobots or
	// DropRobots), or neither: another process fetches it; ask again soon.
	TakeRobots(ctx context.Context, host string, hold time.Duration) (status int, body []byte, found, mine bool, err error)
	// PutRobots keeps the answer for ttl at most.
	PutRobots(ctx context.Context, host string, status int, body []byte, ttl time.Duration) error
	// DropRobots gives the fetch up: the next process to need it fetches it.
	DropRobots(ctx context.Context, host string) error
}

// A HostLimiter bounds each host's requests in flight across every process of a shared crawl,
// so that a host sees no more at once than from one lede (its parallelism).
type HostLimiter interface {
	// Acquire takes one of host's limit slots and returns its token, or "" when all are
	// taken: try again soon. A process that dies loses its slots after a while.
	Acquire(ctx context.Context, host string, limit int) (string, error)
	// ReleaseSlot gives the slot of token back.
	ReleaseSlot(ctx context.Context, host, token string) error
}

// A VisitRecord keeps, across the crawls of a shared frontier, what any process recorded of
// the URLs it fetched (the crawler's values: see visit), so that a re-run judges which URLs
// are new for the whole crawl, not per shard.
type VisitRecord interface {
	// Visits returns the value kept for each of urls ("" for none), in order.
	Visits(ctx context.Context, urls []string) ([]string, error)
	// Visit keeps value for url, replacing the value kept unless onlyNew and there is one.
	Visit(ctx context.Context, url, value string, onlyNew bool) error
	// EachVisit calls fn with every URL of host (with its port) that has a value kept.
	EachVisit(ctx context.Context, host string, fn func(url, value string) error) error
}

// chromeCounts returns where this run counts and reads learned chrome: the frontier's, when
// it keeps the chrome of a crawl shared by several processes, else the store's.
func (r *run) chromeCounts() chrome.Store {
	if cs, ok := r.c.frontier.(chrome.Store); ok {
		return cs
	}
	cs, _ := r.c.store.(chrome.Store)
	return cs
}
