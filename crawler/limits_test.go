package crawler

import (
	"context"
	"fmt"
	"lede"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// slowSite serves a front page linking to n articles, each answered after delay.
func slowSite(t *testing.T, n int, delay time.Duration, label ...string) *testSite {
	s := newTestSite(t)
	var hrefs []string
	for i := 0; i < n; i++ {
		p := fmt.Sprintf("/news/%d.html", i)
		hrefs = append(hrefs, p)
		body := articleHTML(fmt.Sprintf("Story number %d %v", i, label), "en", 5)
		s.mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(body))
		})
	}
	s.html("/", hubHTML("Front", hrefs...))
	return s
}

// TestMaxPagesLeavesTheRestQueued: --max-pages stops the run, and the next run resumes the
// queue instead of starting over.
func TestMaxPagesLeavesTheRestQueued(t *testing.T) {
	s := slowSite(t, 12, 0)
	db := openStore(t)
	first := crawl(t, db, []string{s.URL + "/"}, WithMaxPages(5), IgnoreRobots(true))
	if first.Stopped != "max-pages" || first.Queued == 0 {
		t.Fatalf("first run ended %q with %d queued, want max-pages and a queue left", first.Stopped, first.Queued)
	}
	second := crawl(t, db, []string{s.URL + "/"}, IgnoreRobots(true))
	if !second.Resumed || second.Stopped != "" || second.Queued != 0 {
		t.Errorf("second run: resumed %v, stopped %q, queued %d", second.Resumed, second.Stopped, second.Queued)
	}
	if got := len(storedArticles(t, db)); got != 12 {
		t.Errorf("stored %d articles over two runs, want 12", got)
	}
	if n := s.count("/"); n != 1 {
		t.Errorf("front page fetched %d times: the resumed run started over", n)
	}
}

// TestSiteMaxPages: a site's own max_pages bounds it without stopping the other sites.
func TestSiteMaxPages(t *testing.T) {
	a := slowSite(t, 8, 0)
	b := slowSite(t, 4, 0, "from the other site")
	db := openStore(t)
	c := New(db, db.Frontier(), WithDelay(0), IgnoreRobots(true))
	sum, err := c.Run(context.Background(),
		Site{Start: []string{a.URL + "/"}, MaxPages: 3},
		Site{Start: []string{b.URL + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := hostCounts(sum, a.URL); got.Hubs+got.New+got.Duplicates > 3 {
		t.Errorf("site with max_pages 3 had %+v", got)
	}
	if got := hostCounts(sum, b.URL); got.New != 4 {
		t.Errorf("other site stored %d articles, want 4: %+v", got.New, sum)
	}
	if sum.Stopped != "" {
		t.Errorf("run ended %q, want a finished run", sum.Stopped)
	}

	// The next run starts afresh (the other site's front is asked for again) and still
	// gets the pages the capped site left queued.
	sum, err = c.Run(context.Background(), Site{Start: []string{a.URL + "/"}}, Site{Start: []string{b.URL + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	if b.count("/") != 2 {
		t.Errorf("other front fetched %d times; want the second run to start afresh", b.count("/"))
	}
	if got := len(storedArticles(t, db)); got != 12 {
		t.Errorf("stored %d articles after two runs, want 12", got)
	}
}

// TestMaxDurationStopsGracefully: --max-duration ends the run with the rest queued. The
// limit runs on a fake clock, moved on once an article is stored.
func TestMaxDurationStopsGracefully(t *testing.T) {
	s := slowSite(t, 50, 100*time.Millisecond)
	db := openStore(t)
	clock := clockwork.NewFakeClock()
	go func() {
		for s.count("/news/1.html") == 0 { // the second article asked for: the first is stored
			time.Sleep(10 * time.Millisecond)
		}
		clock.Advance(time.Hour)
	}()
	sum := crawl(t, db, []string{s.URL + "/"}, WithMaxDuration(time.Hour), WithClock(clock), WithParallelism(1), IgnoreRobots(true))
	if sum.Stopped != "max-duration" || sum.Queued == 0 || sum.New == 0 {
		t.Errorf("run ended %q with %d queued and %d new, want max-duration, some stored and the rest queued", sum.Stopped, sum.Queued, sum.New)
	}
}

// TestInterruptStopsAndResumes: cancelling the context stops the run, marks it interrupted,
// and a new run finishes the crawl with every article stored once.
func TestInterruptStopsAndResumes(t *testing.T) {
	s := slowSite(t, 20, 50*time.Millisecond)
	db := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	c := New(db, db.Frontier(), WithDelay(0), IgnoreRobots(true))
	go func() {
		for s.count("/news/3.html") == 0 {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	sum, err := c.Run(ctx, Site{Start: []string{s.URL + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Stopped != "interrupted" || sum.Queued == 0 {
		t.Fatalf("interrupted run: stopped %q, %d queued", sum.Stopped, sum.Queued)
	}
	second := crawl(t, db, []string{s.URL + "/"}, IgnoreRobots(true))
	if second.Stopped != "" || len(storedArticles(t, db)) != 20 {
		t.Errorf("resumed run %+v stored %d", second, len(storedArticles(t, db)))
	}
}

func hostCounts(sum *Summary, base string) Counts {
	for h, c := range sum.Hosts {
		if "http://"+h == base {
			return *c
		}
	}
	return Counts{}
}

// TestCircuitBreakerGivesUpOnAFailingHost: a host answering only 503 is paused, then given up
// on for the run after a few requests, its URLs kept queued for the next run.
func TestCircuitBreakerGivesUpOnAFailingHost(t *testing.T) {
	bad := newTestSite(t)
	bad.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) })
	db := openStore(t)
	var mu sync.Mutex
	pausedEvents := 0
	c := New(db, db.Frontier(), WithDelay(0), IgnoreRobots(true), WithRetries(20, time.Millisecond),
		WithCircuitBreaker(3, 20*time.Millisecond, 2), WithEvents(func(ev Event) {
			if ev.Outcome == lede.OutcomePaused {
				mu.Lock()
				pausedEvents++
				mu.Unlock()
			}
		}))
	sum, err := c.Run(context.Background(), Site{Start: []string{bad.URL + "/", bad.URL + "/world/", bad.URL + "/news/"}})
	if err != nil {
		t.Fatal(err)
	}
	// Two trips: the first pauses the host, the second gives up on it.
	mu.Lock()
	defer mu.Unlock()
	if sum.Paused != 1 || pausedEvents != 1 {
		t.Errorf("summary counts %d pauses, %d paused events; want 1 pause", sum.Paused, pausedEvents)
	}
	if n := len(bad.requests()); n > 6 {
		t.Errorf("the failing host got %d requests, want the breaker to stop them after about 4", n)
	}
	if sum.Queued == 0 || sum.Stopped != "" {
		t.Errorf("run ended %q with %d queued; want a finished run with the host's URLs kept", sum.Stopped, sum.Queued)
	}
}

// TestSlowSiteDoesNotHoldUpOthers: a site crawled with a long delay, queued first, does not
// hold up a second site: its pages are all fetched while the slow one is still going.
func TestSlowSiteDoesNotHoldUpOthers(t *testing.T) {
	slow := slowSite(t, 15, 0)
	fast := slowSite(t, 3, 0, "fast")
	db := openStore(t)
	delay := 100 * time.Millisecond
	c := New(db, db.Frontier(), WithDelay(0), IgnoreRobots(true))
	sum, err := c.Run(context.Background(),
		Site{Start: []string{slow.URL + "/"}, Delay: &delay},
		Site{Start: []string{fast.URL + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 18 {
		t.Fatalf("stored %d articles, want 18", sum.New)
	}
	slow.mu.Lock()
	slowLast := slow.at[len(slow.at)-1]
	slow.mu.Unlock()
	fast.mu.Lock()
	fastLast := fast.at[len(fast.at)-1]
	fast.mu.Unlock()
	if !fastLast.Before(slowLast) {
		t.Errorf("the fast site's last request came after the slow site's: it waited behind it")
	}
}

// TestStopDuringBackoffKeepsTheURL: a run that stops while a URL waits for its retry leaves
// that URL queued and released, so the next run in the same process fetches it.
func TestStopDuringBackoffKeepsTheURL(t *testing.T) {
	s := newTestSite(t)
	body := articleHTML("A story that failed once", "en", 5)
	var failed atomic.Bool
	s.mux.HandleFunc("/news/0.html", func(w http.ResponseWriter, r *http.Request) {
		if !failed.Swap(true) {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(body))
	})
	s.html("/", hubHTML("Front", "/news/0.html"))
	db := openStore(t)
	clock := clockwork.NewFakeClock()
	go func() {
		for !failed.Load() { // the first answer, 503, came: the URL waits 5 s for its retry
			time.Sleep(10 * time.Millisecond)
		}
		clock.Advance(time.Minute)
	}()
	first := crawl(t, db, []string{s.URL + "/"}, IgnoreRobots(true), WithParallelism(1),
		WithRetries(3, 5*time.Second), WithMaxDuration(time.Minute), WithClock(clock))
	if first.Stopped != "max-duration" || first.Queued == 0 {
		t.Fatalf("first run ended %q with %d queued, want max-duration with the URL queued", first.Stopped, first.Queued)
	}
	crawl(t, db, []string{s.URL + "/"}, IgnoreRobots(true))
	if got := storedArticles(t, db); len(got) != 1 {
		t.Errorf("after the second run %d articles are stored, want the one that waited for its retry", len(got))
	}
}

// TestMaxPagesCountsAnswersNotAttempts: failed attempts (503, then retried) do not use up
// --max-pages, and a run whose every request failed does not end as "max-pages" but as a run
// that fetched nothing.
func TestMaxPagesCountsAnswersNotAttempts(t *testing.T) {
	s := newTestSite(t)
	var hrefs []string
	for i := range 5 {
		p := fmt.Sprintf("/news/%d.html", i)
		hrefs = append(hrefs, p)
		body := articleHTML(fmt.Sprintf("Story number %d", i), "en", 5)
		var hits atomic.Int32
		s.mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			if i == 0 && hits.Add(1) <= 2 { // the first article fails twice, then answers
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(body))
		})
	}
	s.html("/", hubHTML("Front", hrefs...))
	db := openStore(t)
	sum := crawl(t, db, []string{s.URL + "/"}, IgnoreRobots(true), WithParallelism(1), WithMaxPages(3),
		WithRetries(4, 5*time.Millisecond))
	if sum.Stopped != "max-pages" || sum.New != 2 || sum.Retries == 0 {
		t.Errorf("run ended %q with %+v; want max-pages after the front and two articles, the 503s not counted", sum.Stopped, sum.Counts)
	}

	dead := newTestSite(t)
	dead.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) })
	db = openStore(t)
	sum = crawl(t, db, []string{dead.URL + "/", dead.URL + "/world/"}, IgnoreRobots(true), WithMaxPages(2),
		WithRetries(3, time.Millisecond), WithCircuitBreaker(100, time.Millisecond, 1))
	if sum.Stopped == "max-pages" || !sum.NothingFetched() || sum.Errors < 2 {
		t.Errorf("a run where every request failed ended %q, NothingFetched %v, %+v; want it not stopped by max-pages, its URLs errors and NothingFetched",
			sum.Stopped, sum.NothingFetched(), sum.Counts)
	}
}
