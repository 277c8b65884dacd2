package web

import (
	"context"
	"errors"
	"fmt"
	"lede"
	"sync"
	"time"

	"lede/store"
)

// Store is what the UI reads from lede's store. *store.DB implements it; the UI never
// writes.
type Store interface {
	Stats(ctx context.Context) (*store.Stats, error)
	Get(ctx context.Context, idOrURL string) (*lede.Article, error)
	Raw(ctx context.Context, idOrURL string) ([]byte, error)
	ArticlesSeenAfter(ctx context.Context, from store.SeenCursor, fn func(*lede.Article) error) error
	GetFetch(ctx context.Context, url string) (rec lede.FetchRecord, ok bool, err error)
	FetchRecords(ctx context.Context, prefix string, fn func(lede.FetchRecord) error) error
	HostChrome(ctx context.Context, host string, minPages int, minShare float64) (map[uint64]bool, error)
	ChromeStats(ctx context.Context, host string) (pages, fingerprints int, err error)
	Runs(ctx context.Context, n int) ([]store.Run, error)
}

// ErrBusy means another process (a crawl) holds the store file: the page asks to try
// again in a moment (HTTP 503).
var ErrBusy = errors.New("a crawl is writing to the store, try again in a moment")

// ErrNoStore means the store file does not exist yet (a schedule before its first run).
var ErrNoStore = errors.New("the store does not exist yet: no crawl has run")

// Access hands out the store for one request at a time, so that the UI never keeps a cron
// crawl out of the file for long.
//
// bbolt lets one process hold the file: while lede serve has it open, even read-only, a
// crawl cannot open it. So, by default, every request opens the file read-only with a short
// lock timeout and closes it when done (a few milliseconds; opening costs a mmap and one
// read transaction), and a request that finds the file held by a crawl gets ErrBusy. A crawl
// run in this process (lede schedule --serve) calls Hold instead: while it runs, requests
// share its open store, and between runs they open the file read-only as above.
type Access struct {
	path    string
	timeout time.Duration

	mu     sync.RWMutex // write side: a crawl of this process opening or closing the store
	shared Store        // the store this process holds (nil: open the file per request)
	fixed  bool         // shared is the only store (Fixed): never opened or closed here
}

// OpenPerRequest returns an Access opening the store file at path read-only for each use,
// waiting at most timeout for a crawl to let go of it (100 ms when zero).
func OpenPerRequest(path string, timeout time.Duration) *Access {
	if timeout <= 0 {
		timeout = 100 * time.Millisecond
	}
	return &Access{path: path, timeout: timeout}
}

// Fixed returns an Access that always hands out st, a store this process keeps open (lede
// demo --serve, tests).
func Fixed(st Store) *Access { return &Access{shared: st, fixed: true} }

// acquire returns the store for one use and the function that ends the use.
func (a *Access) acquire(ctx context.Context) (Store, func(), error) {
	a.mu.RLock()
	if a.shared != nil {
		return a.shared, a.mu.RUnlock, nil
	}
	db, err := store.Open(a.path, store.ReadOnly(), store.WithTimeout(a.timeout))
	switch {
	case errors.Is(err, store.ErrLocked):
		a.mu.RUnlock()
		return nil, nil, ErrBusy
	case errors.Is(err, store.ErrMissing):
		a.mu.RUnlock()
		return nil, nil, ErrNoStore
	case err != nil:
		a.mu.RUnlock()
		return nil, nil, err
	}
	return db, func() { db.Close(); a.mu.RUnlock() }, nil
}

// perRequest reports whether each use opens the file: a reader taking long should let go
// of it now and then so a crawl can get in.
func (a *Access) perRequest() bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.shared == nil
}

// Hold opens the store for a crawl of this process with open (read-write) and lets the UI
// read through it until release, which closes it. Requests in flight with a store of their
// own finish before open runs, so the crawl never waits on this process's own readers.
func (a *Access) Hold(open func() (*store.DB, error)) (db *store.DB, release func() error, err error) {
	if a.fixed {
		return nil, nil, errors.New("web: Hold on a fixed store")
	}
	a.mu.Lock()
	db, err = open()
	if err != nil {
		a.mu.Unlock()
		return nil, nil, err
	}
	a.shared = db
	a.mu.Unlock()
	return db, func() error {
		a.mu.Lock() // waits for the requests reading through db
		defer a.mu.Unlock()
		a.shared = nil
		if err := db.Close(); err != nil {
			return fmt.Errorf("release store: %w", err)
		}
		return nil
	}, nil
}
