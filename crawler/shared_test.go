package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lede"
	"lede/crawler/redisfrontier"
	"lede/crawler/redisfrontier/redistest"
	"lede/store"
)

// sharedFrontier is a worker's view of a crawl shared through srv.
func sharedFrontier(t *testing.T, srv *redistest.Server, name string) *redisfrontier.Frontier[lede.QueueItem] {
	t.Helper()
	f := redisfrontier.New(srv.Client(t), func(it lede.QueueItem) string { return it.URL }, redisfrontier.WithWorker(name))
	t.Cleanup(func() { f.Close() })
	return f
}

// Blocks learned from the pages worker A fetched are stripped from the articles worker B
// stores, though B fetched far too few pages to learn them itself.
func TestSharedCrawlStripsChromeAnyWorkerLearned(t *testing.T) {
	const n = 30
	site := chromeSite(t, n)
	srv := redistest.Start(t)
	opts := []Option{WithDelay(0), IgnoreRobots(true), WithMaxDepth(2), WithParallelism(4)}

	a := openStore(t)
	if _, err := New(a, sharedFrontier(t, srv, "a"), opts...).Run(context.Background(), Site{Start: []string{site.URL + "/"}}); err != nil {
		t.Fatal(err)
	}
	checkClean(t, a, site, n, false)

	// b fetches a few of the articles a stored again (--refresh: a re-run skips them otherwise).
	b := openStore(t)
	sum, err := New(b, sharedFrontier(t, srv, "b"), append(opts, WithMaxPages(5), WithRefresh(true))...).Run(context.Background(), Site{Start: []string{site.URL + "/"}})
	if err != nil || sum.New == 0 {
		t.Fatalf("worker b: %+v, %v", sum, err)
	}
	err = b.Articles(context.Background(), store.Filter{}, func(art *lede.Article) error {
		for _, c := range chromeWords {
			if strings.Contains(art.Text, c) {
				t.Errorf("%s stored by b keeps the chrome %q a learned", art.URL, c)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// b's shard counts its own pages too (lede stats, lede reclean on the shard).
	if pages, _, _ := b.ChromeStats(context.Background(), lede.SiteOf(site.URL)); pages == 0 || pages > 5 {
		t.Errorf("b's store counted %d pages; want its own few", pages)
	}
}

// endHook is a worker's shared frontier that runs before once just before the worker ends the
// crawl, and fails the test should the worker empty the frontier with Reset.
type endHook struct {
	*redisfrontier.Frontier[lede.QueueItem]
	t      *testing.T
	before func()
}

func (e *endHook) End(ctx context.Context, leftover []lede.QueueItem) (bool, error) {
	if e.before != nil {
		e.before()
		e.before = nil
	}
	return e.Frontier.End(ctx, leftover)
}

func (e *endHook) Reset(context.Context) error {
	e.t.Error("a worker of a shared crawl called Reset: another worker's seeds would be lost")
	return nil
}

// A worker that seeds while the last worker ends the crawl keeps its seeds: they are crawled,
// not swept away with the crawl's end.
func TestSharedCrawlLateSeederIsNotLost(t *testing.T) {
	first, second := chromeSite(t, 3), chromeSite(t, 3)
	srv := redistest.Start(t)
	opts := []Option{WithDelay(0), IgnoreRobots(true), WithMaxDepth(2), WithLearnedChrome(false)}
	late := sharedFrontier(t, srv, "late")
	a := &endHook{Frontier: sharedFrontier(t, srv, "a"), t: t, before: func() {
		// The late worker queues its seeds the moment a finds no work left.
		done, err := late.Seeding(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer done()
		if n, err := late.Push(context.Background(), lede.QueueItem{URL: second.URL + "/"}); n != 1 || err != nil {
			t.Fatalf("late seeding: %d, %v", n, err)
		}
	}}
	sum, err := New(openStore(t), a, opts...).Run(context.Background(), Site{Start: []string{first.URL + "/"}})
	if err != nil || sum.New != 3 {
		t.Fatalf("worker a: %+v, %v", sum, err)
	}
	if sum.Queued != 1 {
		t.Fatalf("worker a left %d URLs queued; want the late worker's seed", sum.Queued)
	}
	b := openStore(t)
	sum, err = New(b, late, opts...).Run(context.Background(), Site{Start: []string{second.URL + "/"}})
	if err != nil || sum.New != 3 || sum.Queued != 0 {
		t.Fatalf("late worker: %+v, %v; want the second site's 3 articles and the crawl ended", sum, err)
	}
}

// Two workers on a host whose robots.txt fails: one asks for it, the other reads that answer,
// and both keep the host out of the run, its URL queued for the next.
func TestSharedCrawlRobotsFailureAskedOnce(t *testing.T) {
	var robots, pages atomic.Int32
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			robots.Add(1)
			time.Sleep(50 * time.Millisecond) // both workers need it meanwhile
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		pages.Add(1)
		fmt.Fprint(w, hubHTML("Front"))
	}))
	t.Cleanup(site.Close)
	srv := redistest.Start(t)
	var wg sync.WaitGroup
	sums := make([]*Summary, 2)
	for i, name := range []string{"a", "b"} {
		fr := sharedFrontier(t, srv, name)
		db := openStore(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			sum, err := New(db, fr, WithDelay(0), WithRetries(0, 0)).Run(context.Background(),
				Site{Start: []string{site.URL + "/", site.URL + "/a", site.URL + "/b", site.URL + "/c"}})
			if err != nil {
				t.Errorf("worker %s: %v", name, err)
			}
			sums[i] = sum
		}()
	}
	wg.Wait()
	if n := robots.Load(); n != 1 {
		t.Errorf("robots.txt asked %d times by 2 workers; want once", n)
	}
	if n := pages.Load(); n != 0 {
		t.Errorf("%d pages fetched from a host whose robots.txt failed", n)
	}
	for i, sum := range sums {
		if sum != nil && (sum.Errors == 0 || sum.Queued != 4) {
			t.Errorf("worker %d: %+v; want the host kept out (an error) and its 4 URLs left queued", i, sum)
		}
	}
}
