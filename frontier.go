package lede

import "context"

// Frontier is the queue of URLs still to fetch plus the set of URLs already queued in the
// current crawl (the visited set). The store's bbolt frontier implements it; a crawl spread
// over several machines can implement it with Redis.
type Frontier interface {
	// Push queues the items whose URL was not queued before in this crawl and returns how
	// many were new.
	Push(ctx context.Context, items ...QueueItem) (int, error)
	// Pop leases up to max queued items that this process has not leased yet.
	Pop(ctx context.Context, max int) ([]QueueItem, error)
	// Done removes a leased URL from the queue; it stays in the queued set until Reset.
	Done(ctx context.Context, url string) error
	// Release gives a lease back without removing the URL, so a later Pop (of this process,
	// for example the next scheduled run) hands it out again.
	Release(url string)
	// Len is the number of items still queued, leased or not.
	Len(ctx context.Context) (int, error)
	// Reset empties the queue and the queued set: the crawl is over.
	Reset(ctx context.Context) error
}
