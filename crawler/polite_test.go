package crawler

import (
	"context"
	"lede"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// startRecorder is a RoundTripper between lede's pacing and the real transport: it records
// when each request is handed on (a moment no later than the request is written, and no
// earlier than lede let it go), after holding the first article request back for late, as a
// loaded machine or a slow dial would.
type startRecorder struct {
	base http.RoundTripper
	late time.Duration

	mu     sync.Mutex
	held   bool
	paths  []string
	starts []time.Time
}

func (s *startRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	hold := !s.held && strings.HasPrefix(req.URL.Path, "/news/")
	s.held = s.held || hold
	s.mu.Unlock()
	if hold {
		time.Sleep(s.late)
	}
	s.mu.Lock()
	s.paths = append(s.paths, req.URL.Path)
	s.starts = append(s.starts, time.Now())
	s.mu.Unlock()
	return s.base.RoundTrip(req)
}

// TestCrawlDelayHonoured: robots.txt's Crawl-delay wins over a zero --delay, and it is kept
// between the moments requests actually start, even with four requests allowed in flight and
// one of them sent late. (Booking each slot in advance let a late request land less than the
// delay before the next one: 893 ms apart on a loaded machine.)
func TestCrawlDelayHonoured(t *testing.T) {
	s := newTestSite(t)
	s.page("/robots.txt", "text/plain", "User-agent: *\nCrawl-delay: 1\n")
	s.html("/", hubHTML("Front", "/news/a.html", "/news/b.html"))
	s.html("/news/a.html", articleHTML("Alpha story", "en", 5))
	s.html("/news/b.html", articleHTML("Beta story", "en", 5))
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	rec := &startRecorder{base: tr, late: 300 * time.Millisecond}
	db := openStore(t)
	sum := crawl(t, db, []string{s.URL + "/"}, WithParallelism(4), WithTransport(rec))
	if sum.New != 2 {
		t.Fatalf("stored %d articles, want 2", sum.New)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.starts) < 4 {
		t.Fatalf("only %d requests recorded: %v", len(rec.starts), rec.paths)
	}
	for i := 1; i < len(rec.starts); i++ {
		if gap := rec.starts[i].Sub(rec.starts[i-1]); gap < time.Second {
			t.Errorf("requests %s and %s started only %v apart, want ≥ 1s (Crawl-delay)", rec.paths[i-1], rec.paths[i], gap)
		}
	}
}

// TestOneRequestPerHostByDefault: without --parallelism a host never sees two requests at once.
func TestOneRequestPerHostByDefault(t *testing.T) {
	s := newTestSite(t)
	var inFlight, most atomic.Int32
	slow := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(30 * time.Millisecond)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(body))
		}
	}
	var hrefs []string
	for _, name := range []string{"a", "b", "c", "d", "e", "f"} {
		p := "/news/" + name + ".html"
		hrefs = append(hrefs, p)
		s.mux.HandleFunc(p, slow(articleHTML("Story "+name, "en", 5)))
	}
	s.mux.HandleFunc("/", slow(hubHTML("Front", hrefs...)))
	db := openStore(t)
	c := New(db, db.Frontier(), WithDelay(0)) // default parallelism: 1
	sum, err := c.Run(context.Background(), Site{Start: []string{s.URL + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 6 {
		t.Errorf("stored %d articles, want 6", sum.New)
	}
	if m := most.Load(); m != 1 {
		t.Errorf("%d requests in flight at once on one host, want 1", m)
	}
}

// TestOversizedPage: a page at the body cap is reported as truncated and never stored.
func TestOversizedPage(t *testing.T) {
	s := newTestSite(t)
	big := articleHTML("A very long story", "en", 60)
	s.html("/", hubHTML("Front", "/news/chunked.html", "/news/declared.html", "/news/fine.html"))
	s.mux.HandleFunc("/news/chunked.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for i := 0; i < len(big); i += 1000 { // flushed in pieces: no Content-Length
			w.Write([]byte(big[i:min(i+1000, len(big))]))
			w.(http.Flusher).Flush()
		}
	})
	s.mux.HandleFunc("/news/declared.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", strconv.Itoa(len(big)))
		w.Write([]byte(big))
	})
	s.html("/news/fine.html", articleHTML("Short story", "en", 5))
	db := openStore(t)
	crawl(t, db, []string{s.URL + "/"}, WithMaxBodySize(len(big)/2))
	got := storedArticles(t, db)
	if len(got) != 1 || got[s.URL+"/news/fine.html"] == nil {
		t.Errorf("stored %v, want only fine.html", keys(got))
	}
	if rec := fetchRecord(t, db, s.URL+"/news/chunked.html"); rec.Kind != lede.KindSkipped || !strings.Contains(rec.Reason, "truncated") {
		t.Errorf("chunked oversized page recorded %q %q, want skipped as truncated", rec.Kind, rec.Reason)
	}
	if rec := fetchRecord(t, db, s.URL+"/news/declared.html"); rec.Kind != lede.KindSkipped || !strings.Contains(rec.Reason, "too large") {
		t.Errorf("declared oversized page recorded %q %q, want skipped as too large", rec.Kind, rec.Reason)
	}
}

// TestRedirects: a redirect loop ends with a recorded reason; a plain redirect stores the
// article under its final URL.
func TestRedirects(t *testing.T) {
	s := newTestSite(t)
	s.html("/", hubHTML("Front", "/loop/a", "/old-story"))
	s.mux.HandleFunc("/loop/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop/b", http.StatusFound) })
	s.mux.HandleFunc("/loop/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop/a", http.StatusFound) })
	s.mux.HandleFunc("/old-story", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/news/new-story.html", http.StatusMovedPermanently)
	})
	s.html("/news/new-story.html", articleHTML("Moved story", "en", 5))
	db := openStore(t)
	sum := crawl(t, db, []string{s.URL + "/"})
	if rec := fetchRecord(t, db, s.URL+"/loop/a"); rec.Kind != lede.KindError || !strings.Contains(rec.Reason, "redirect") {
		t.Errorf("redirect loop recorded %q %q, want an error naming redirects", rec.Kind, rec.Reason)
	}
	if n := s.count("/loop/a"); n > 3 {
		t.Errorf("redirect loop requested /loop/a %d times", n)
	}
	got := storedArticles(t, db)
	if got[s.URL+"/news/new-story.html"] == nil || len(got) != 1 {
		t.Errorf("stored %v, want the moved story under its final URL", keys(got))
	}
	if sum.New != 1 {
		t.Errorf("summary %+v", sum.Counts)
	}
}

// TestCharsetDeclaredOnlyInMeta: a windows-1256 page whose charset is only in <meta>, and
// one whose charset is only in the Content-Type header, are both decoded once, correctly.
func TestCharsetDeclaredOnlyInMeta(t *testing.T) {
	s := newTestSite(t)
	enc := func(h string) string {
		b, err := charmap.Windows1256.NewEncoder().String(h)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	metaOnly := strings.Replace(articleHTML("خبر بترميز قديم", "ar", 5), `<meta charset="utf-8">`, `<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">`, 1)
	headerOnly := strings.Replace(articleHTML("خبر آخر بترميز قديم", "ar", 6), `<meta charset="utf-8">`, "", 1)
	s.html("/", hubHTML("Front", "/news/meta.html", "/news/header.html"))
	s.page("/news/meta.html", "text/html", enc(metaOnly))
	s.page("/news/header.html", "text/html; charset=windows-1256", enc(headerOnly))
	db := openStore(t)
	crawl(t, db, []string{s.URL + "/"})
	got := storedArticles(t, db)
	for p, title := range map[string]string{"/news/meta.html": "خبر بترميز قديم", "/news/header.html": "خبر آخر بترميز قديم"} {
		a := got[s.URL+p]
		if a == nil {
			t.Errorf("%s not stored", p)
			continue
		}
		if a.Title != title || !strings.Contains(a.Text, "الولايات") {
			t.Errorf("%s decoded wrongly: title %q, text %.80q", p, a.Title, a.Text)
		}
	}
}

// TestStoredOnceAndIncremental: a second run fetches no stored article, and asks for the
// front page conditionally.
func TestStoredOnceAndIncremental(t *testing.T) {
	s := newTestSite(t)
	var conditional atomic.Int32
	front := hubHTML("Front", "/news/a.html", "/news/b.html", "/news/a.html?utm_source=x&utm_medium=y")
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(front))
	})
	s.html("/news/a.html", articleHTML("Alpha story", "en", 5))
	s.html("/news/b.html", articleHTML("Beta story", "en", 5))
	db := openStore(t)
	first := crawl(t, db, []string{s.URL + "/"})
	if first.New != 2 {
		t.Fatalf("first run stored %d, want 2", first.New)
	}
	second := crawl(t, db, []string{s.URL + "/"})
	if second.New != 0 || second.NotModified != 1 || conditional.Load() != 1 {
		t.Errorf("second run %+v with %d conditional requests, want 0 new and one 304", second.Counts, conditional.Load())
	}
	for _, p := range []string{"/news/a.html", "/news/b.html"} {
		if n := s.count(p); n != 1 {
			t.Errorf("%s fetched %d times over two runs, want 1", p, n)
		}
	}
	// --refresh asks again for every stored article of the site, wherever it is linked from.
	third := crawl(t, db, []string{s.URL + "/news/a.html"}, WithRefresh(true))
	if a, b := s.count("/news/a.html"), s.count("/news/b.html"); a != 2 || b != 2 || third.Duplicates != 2 {
		t.Errorf("--refresh: a.html fetched %d times, b.html %d (want 2 each), summary %+v", a, b, third.Counts)
	}
}

// TestRetriesAndRetryAfter: 429 with Retry-After and 503 flaps end with every article stored.
func TestRetriesAndRetryAfter(t *testing.T) {
	s := newTestSite(t)
	var mu sync.Mutex
	refused := map[string]int{}
	flaky := func(status, times int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			refused[r.URL.Path]++
			n := refused[r.URL.Path]
			mu.Unlock()
			if n <= times {
				w.Header().Set("Retry-After", "1")
				http.Error(w, "busy", status)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(body))
		}
	}
	s.html("/", hubHTML("Front", "/news/a.html", "/news/b.html", "/news/c.html"))
	s.mux.HandleFunc("/news/a.html", flaky(http.StatusTooManyRequests, 1, articleHTML("Alpha story", "en", 5)))
	s.mux.HandleFunc("/news/b.html", flaky(http.StatusServiceUnavailable, 2, articleHTML("Beta story", "en", 5)))
	s.mux.HandleFunc("/news/c.html", flaky(http.StatusBadGateway, 1, articleHTML("Gamma story", "en", 5)))
	db := openStore(t)
	start := time.Now()
	sum := crawl(t, db, []string{s.URL + "/"}, WithRetries(4, 10*time.Millisecond))
	if sum.New != 3 || sum.Errors != 0 || sum.Retries != 4 {
		t.Errorf("summary %+v, want 3 new, 4 retries, no errors", sum.Counts)
	}
	if time.Since(start) < time.Second {
		t.Errorf("Retry-After: 1 not honoured: crawl took %v", time.Since(start))
	}
}

// TestOneHostNeverStallsAnother: a host that never answers times out, is given up on, and
// the other site is crawled completely meanwhile.
func TestOneHostNeverStallsAnother(t *testing.T) {
	hang := make(chan struct{})
	dead := newTestSite(t)
	dead.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(hang) })
	good := newTestSite(t)
	good.html("/", hubHTML("Front", "/news/a.html", "/news/b.html"))
	good.html("/news/a.html", articleHTML("Alpha story", "en", 5))
	good.html("/news/b.html", articleHTML("Beta story", "en", 5))
	db := openStore(t)
	c := New(db, db.Frontier(), WithDelay(0), WithTimeout(300*time.Millisecond), WithRetries(1, 10*time.Millisecond),
		IgnoreRobots(true))
	sum, err := c.Run(context.Background(), Site{Start: []string{dead.URL + "/"}}, Site{Start: []string{good.URL + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	goodHost := strings.TrimPrefix(good.URL, "http://")
	deadHost := strings.TrimPrefix(dead.URL, "http://")
	if g := sum.Hosts[goodHost]; g == nil || g.New != 2 {
		t.Errorf("good host: %+v, want 2 new articles", g)
	}
	if d := sum.Hosts[deadHost]; d == nil || d.Errors == 0 || d.New != 0 {
		t.Errorf("hanging host: %+v, want errors and nothing stored", d)
	}
}

// TestRedirectToOtherSchemeIsSkipped: a redirect to whatsapp:, ftp:, file: or mailto: is a
// permanent skip naming the target, fetched once: no retries, no backoff, no circuit breaker.
func TestRedirectToOtherSchemeIsSkipped(t *testing.T) {
	s := newTestSite(t)
	targets := map[string]string{
		"/share/whatsapp": "whatsapp://send?text=hello",
		"/share/ftp":      "ftp://files.example.com/a.pdf",
		"/share/file":     "file:///etc/passwd",
		"/share/mail":     "mailto:desk@example.com",
	}
	var hrefs []string
	for p, target := range targets {
		hrefs = append(hrefs, p)
		s.mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", target)
			w.WriteHeader(http.StatusFound)
		})
	}
	s.html("/", hubHTML("Front", append(hrefs, "/news/a.html")...))
	s.html("/news/a.html", articleHTML("Alpha story", "en", 5))
	db := openStore(t)
	// A low breaker threshold: four failures in a row would trip it if these counted as failures.
	sum := crawl(t, db, []string{s.URL + "/"}, WithRetries(4, 200*time.Millisecond), WithCircuitBreaker(2, time.Minute, 1))
	for p, target := range targets {
		if n := s.count(p); n != 1 {
			t.Errorf("%s requested %d times, want 1 (a permanent skip)", p, n)
		}
		rec := fetchRecord(t, db, s.URL+p)
		if rec.Kind != lede.KindSkipped || !strings.Contains(rec.Reason, "not an http(s) URL") || !strings.Contains(rec.Reason, target) {
			t.Errorf("%s recorded %q %q, want skipped naming %s", p, rec.Kind, rec.Reason, target)
		}
	}
	if sum.Retries != 0 || sum.Errors != 0 || sum.New != 1 {
		t.Errorf("summary %+v, want 1 new, no retries or errors", sum.Counts)
	}
}

// TestRobotsServerErrorDisallowsHost: robots.txt answering 5xx (or 429) means nothing of the
// host is fetched in this run (RFC 9309); the next run asks for robots.txt again and, once it
// answers, crawls what the first run left queued.
func TestRobotsServerErrorDisallowsHost(t *testing.T) {
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusInternalServerError, http.StatusTooManyRequests} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			s := newTestSite(t)
			var broken atomic.Bool
			broken.Store(true)
			s.mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
				if broken.Load() {
					http.Error(w, "down", status)
					return
				}
				w.Write([]byte("User-agent: *\nDisallow: /private/\n"))
			})
			s.html("/", hubHTML("Front", "/news/a.html"))
			s.html("/news/a.html", articleHTML("Alpha story", "en", 5))
			db := openStore(t)
			sum := crawl(t, db, []string{s.URL + "/"}, WithParallelism(4))
			if got := s.requests(); len(got) != 1 || got[0] != "/robots.txt" {
				t.Errorf("requests %v, want robots.txt alone", got)
			}
			if sum.Errors != 1 || sum.New != 0 || sum.Queued == 0 {
				t.Errorf("summary %+v, queued %d; want one error (robots.txt) and the start page left queued", sum.Counts, sum.Queued)
			}
			if !sum.NothingFetched() {
				t.Error("NothingFetched() = false for a run that fetched no page")
			}

			broken.Store(false)
			sum = crawl(t, db, []string{s.URL + "/"})
			if s.count("/robots.txt") != 2 || sum.New != 1 || sum.Errors != 0 {
				t.Errorf("next run: robots.txt asked %d times in all, summary %+v; want it asked again and the article stored", s.count("/robots.txt"), sum.Counts)
			}
		})
	}
}

// TestRobotsTimeoutDisallowsHost: a robots.txt that does not answer in time keeps the whole
// host out of the run; another site goes on.
func TestRobotsTimeoutDisallowsHost(t *testing.T) {
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	slow := newTestSite(t)
	slow.mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	})
	slow.html("/", hubHTML("Front", "/news/a.html"))
	slow.html("/news/a.html", articleHTML("Alpha story", "en", 5))
	good := newTestSite(t)
	good.html("/", hubHTML("Front", "/news/b.html"))
	good.html("/news/b.html", articleHTML("Beta story", "en", 5))
	db := openStore(t)
	c := New(db, db.Frontier(), WithDelay(0), WithParallelism(2), WithTimeout(300*time.Millisecond))
	sum, err := c.Run(context.Background(), Site{Start: []string{slow.URL + "/"}}, Site{Start: []string{good.URL + "/"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := slow.requests(); len(got) != 1 || got[0] != "/robots.txt" {
		t.Errorf("requests to the host whose robots.txt timed out: %v, want robots.txt alone", got)
	}
	if g := hostCounts(sum, good.URL); g.New != 1 {
		t.Errorf("the other site: %+v, want its article stored", g)
	}
	if d := hostCounts(sum, slow.URL); d.Errors != 1 || d.New != 0 {
		t.Errorf("the host whose robots.txt timed out: %+v, want one error", d)
	}
}
