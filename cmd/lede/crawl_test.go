package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"lede"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"lede/store"
)

// ledeBin is the program the subprocess tests run as lede: this test binary itself, which
// TestMain turns into lede when beLede is set in its environment (as store/process_test.go
// runs second processes). The subprocesses run with the flags the tests were built with,
// -race and -cover included, and nothing is built beside them.
var ledeBin = os.Args[0]

// beLede, set in a process's environment, makes this test binary run lede's main.
const beLede = "LEDE_TEST_BE_LEDE"

func TestMain(m *testing.M) {
	if os.Getenv(beLede) == "1" {
		main()
		return
	}
	// Every subprocess these tests start inherits it.
	if err := os.Setenv(beLede, "1"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.Unsetenv(beLede)
	os.Exit(code)
}

// newsSite is a loopback news site of n articles behind a paginated front, with a request
// log, an optional per-article delay and optional per-path failures.
type newsSite struct {
	*httptest.Server
	n     int
	delay time.Duration
	mu    sync.Mutex
	hits  map[string]int
	times []time.Time                                                // when each request arrived
	paths []string                                                   // and its path
	fail  func(path string, hit int) (status int, retryAfter string) // nil: never fail
	// inFlight is how many requests the site is answering now, maxInFlight the most at once.
	inFlight, maxInFlight int
}

func newNewsSite(t *testing.T, n int) *newsSite {
	t.Helper()
	s := &newsSite{n: n, hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// setDelay sets the per-article delay while the site may be serving.
func (s *newsSite) setDelay(d time.Duration) {
	s.mu.Lock()
	s.delay = d
	s.mu.Unlock()
}

func (s *newsSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	s.times = append(s.times, time.Now())
	s.paths = append(s.paths, r.URL.Path)
	hit := s.hits[r.URL.Path]
	fail, delay, n := s.fail, s.delay, s.n
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()
	if fail != nil {
		if status, ra := fail(r.URL.Path, hit); status != 0 {
			if ra != "" {
				w.Header().Set("Retry-After", ra)
			}
			http.Error(w, "busy", status)
			return
		}
	}
	var i int
	switch {
	case r.URL.Path == "/robots.txt":
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	case r.URL.Path == "/" || strings.HasPrefix(r.URL.Path, "/page/"):
		page := 1
		fmt.Sscanf(r.URL.Path, "/page/%d", &page)
		var b strings.Builder
		b.WriteString(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Front</title></head><body><h1>Latest</h1><ul>`)
		for k := (page - 1) * 20; k < page*20 && k < n; k++ {
			fmt.Fprintf(&b, `<li><a href="/news/%d.html">Story %d</a></li>`, k, k)
		}
		b.WriteString("</ul>")
		if page*20 < n {
			fmt.Fprintf(&b, `<a href="/page/%d">Next</a>`, page+1)
		}
		b.WriteString("</body></html>")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, b.String())
	case func() bool { _, err := fmt.Sscanf(r.URL.Path, "/news/%d.html", &i); return err == nil && i < n }():
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, storyHTML(i))
	default:
		http.NotFound(w, r)
	}
}

// setArticles makes the site hold n articles from now on (news published between runs).
func (s *newsSite) setArticles(n int) {
	s.mu.Lock()
	s.n = n
	s.mu.Unlock()
}

// articleHits is how many article pages were requested, and how many distinct ones.
func (s *newsSite) articleHits() (total, distinct int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for p, n := range s.hits {
		if strings.HasPrefix(p, "/news/") {
			total += n
			distinct++
		}
	}
	return total, distinct
}

var storyWords = strings.Fields("minister parliament agreement water energy winter talks governments council harbour bridge " +
	"farmers harvest prices museum visitors renovation exhibition court decision budget elections police city hospital")

// storyHTML is article i: a headline and five distinct paragraphs in light chrome.
func storyHTML(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Story %d</title></head><body>`+
		`<div class="skip"><h2>Accessibility links</h2><a href="#c">Skip to content</a></div><main id="c"><article><h1>Story number %d</h1>`, i, i)
	seed := uint64(i)*2654435761 + 7
	for p := 0; p < 5; p++ {
		b.WriteString("<p>")
		for w := 0; w < 40; w++ {
			seed = seed*6364136223846793005 + 1442695040888963407
			b.WriteString(storyWords[(seed>>33)%uint64(len(storyWords))] + " ")
		}
		b.WriteString("</p>")
	}
	b.WriteString(`</article></main></body></html>`)
	return b.String()
}

// hitsOf is how many times path was asked for.
func (s *newsSite) hitsOf(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// ledeExec runs the lede binary and returns its exit code, stdout and stderr.
func ledeExec(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.CommandContext(untilDeadline(t), ledeBin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("lede %v: %v", args, err)
	}
	return code, out.String(), errb.String()
}

// summaryLine decodes the JSON summary of a crawl's stdout.
func summaryLine(t *testing.T, stdout string) map[string]any {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	var sum map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); err != nil {
		t.Fatalf("no JSON summary line in %q: %v", stdout, err)
	}
	return sum
}

// storedURLs opens the store after lede exited and returns how often each URL is stored.
func storedURLs(t *testing.T, dbPath string) map[string]int {
	t.Helper()
	db, err := store.Open(dbPath, store.ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int{}
	if err := db.Articles(context.Background(), store.Filter{}, func(a *lede.Article) error {
		out[a.URL]++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func checkEveryArticleOnce(t *testing.T, s *newsSite, stored map[string]int) {
	t.Helper()
	for i := 0; i < s.n; i++ {
		if u := fmt.Sprintf("%s/news/%d.html", s.URL, i); stored[u] != 1 {
			t.Errorf("%s stored %d times, want 1", u, stored[u])
		}
	}
	if len(stored) != s.n {
		t.Errorf("%d articles stored, want %d", len(stored), s.n)
	}
}

// startCrawl starts `lede crawl` in the background; wait for it with cmd.Wait.
func startCrawl(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(ledeBin, append([]string{"crawl"}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd, &out, &errb
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx := untilDeadline(t)
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("still waiting for %s when the test binary's -timeout neared", what)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// untilDeadline is a context that ends shortly before the test binary's -timeout, so that a
// test that hangs fails naming what it waited for. Tests assert no upper bound on wall time
// of their own: a loaded machine may be slow, never wrong.
func untilDeadline(t *testing.T) context.Context {
	t.Helper()
	deadline, ok := t.Deadline()
	if !ok {
		return t.Context()
	}
	ctx, cancel := context.WithDeadline(t.Context(), deadline.Add(-10*time.Second))
	t.Cleanup(cancel)
	return ctx
}

// TestCrawlResumesAfterKill: kill -9 mid-crawl, then a re-run stores every article once and
// fetches far fewer pages than starting over.
func TestCrawlResumesAfterKill(t *testing.T) {
	s := newNewsSite(t, 60)
	s.mu.Lock()
	s.delay = 20 * time.Millisecond
	s.mu.Unlock()
	db := filepath.Join(t.TempDir(), "lede.db")
	cmd, _, _ := startCrawl(t, "--db", db, "--delay", "0", "--parallelism", "2", "--quiet", s.URL+"/")
	waitFor(t, "30 articles fetched", func() bool { _, d := s.articleHits(); return d >= 30 })
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	before, _ := s.articleHits()

	code, stdout, stderr := ledeExec(t, "crawl", "--db", db, "--delay", "0", "--parallelism", "2", "--quiet", s.URL+"/")
	if code != 0 {
		t.Fatalf("re-run exit %d: %s", code, stderr)
	}
	after, _ := s.articleHits()
	if second := after - before; second > s.n-20 {
		t.Errorf("the re-run fetched %d article pages after %d before the kill: it started over", second, before)
	}
	if sum := summaryLine(t, stdout); sum["resumed"] != true {
		t.Errorf("summary does not say resumed: %v", sum)
	}
	checkEveryArticleOnce(t, s, storedURLs(t, db))
}

// TestSecondRunFetchesNoStoredArticle: a quiet re-run prints only its summary line and asks
// for no stored article again.
func TestSecondRunFetchesNoStoredArticle(t *testing.T) {
	s := newNewsSite(t, 30)
	db := filepath.Join(t.TempDir(), "lede.db")
	if code, _, stderr := ledeExec(t, "crawl", "--db", db, "--delay", "0", "--parallelism", "4", s.URL+"/"); code != 0 {
		t.Fatalf("first run exit %d: %s", code, stderr)
	}
	first, _ := s.articleHits()
	code, stdout, stderr := ledeExec(t, "crawl", "--db", db, "--delay", "0", "--parallelism", "4", "--quiet", s.URL+"/")
	if code != 0 {
		t.Fatalf("second run exit %d: %s", code, stderr)
	}
	if after, _ := s.articleHits(); after != first {
		t.Errorf("second run fetched %d stored articles again", after-first)
	}
	if stderr != "" || strings.Count(stdout, "\n") != 1 {
		t.Errorf("--quiet printed more than the summary line:\nstdout %q\nstderr %q", stdout, stderr)
	}
	if sum := summaryLine(t, stdout); sum["new_articles"] != 0.0 || sum["already_stored"] != float64(s.n) {
		t.Errorf("second run summary %v", sum)
	}
	checkEveryArticleOnce(t, s, storedURLs(t, db))
}

// TestRetryAfterAndFlaps: 429 with Retry-After and 503 flaps end with every article stored.
func TestRetryAfterAndFlaps(t *testing.T) {
	s := newNewsSite(t, 20)
	s.mu.Lock()
	s.fail = func(path string, hit int) (int, string) {
		var i int
		if _, err := fmt.Sscanf(path, "/news/%d.html", &i); err != nil {
			return 0, ""
		}
		switch {
		case i%4 == 0 && hit == 1:
			return http.StatusTooManyRequests, "1"
		case i%4 == 1 && hit <= 2:
			return http.StatusServiceUnavailable, ""
		}
		return 0, ""
	}
	s.mu.Unlock()
	db := filepath.Join(t.TempDir(), "lede.db")
	code, stdout, stderr := ledeExec(t, "crawl", "--db", db, "--delay", "0", "--parallelism", "4", s.URL+"/")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if sum := summaryLine(t, stdout); sum["errors"] != 0.0 || sum["retries"].(float64) < 10 {
		t.Errorf("summary %v, want no errors and at least 10 retries", sum)
	}
	checkEveryArticleOnce(t, s, storedURLs(t, db))
}

// TestLockedStoreFailsFast: while a crawl runs, a second crawl and an export on the same
// store exit 75 with a message naming the lock; the crawl prints its summary line, as every
// run does, saying it stopped because the store was locked. The first crawl holds the store
// until the test ends, so exit 75 means they gave up on their own instead of waiting for it
// (how soon is not timed here: on a loaded machine, under -race, starting lede alone took
// over 10 s; the wait's bound is TestLockWaitCountsFromProcessStart's).
func TestLockedStoreFailsFast(t *testing.T) {
	s := newNewsSite(t, 40)
	s.mu.Lock()
	s.delay = time.Minute // the first crawl holds the store until the test ends, however loaded the machine
	s.mu.Unlock()
	db := filepath.Join(t.TempDir(), "lede.db")
	startCrawl(t, "--db", db, "--delay", "0", s.URL+"/")
	waitFor(t, "the first crawl to fetch an article", func() bool { n, _ := s.articleHits(); return n > 0 })
	// The first crawl holds the store for as long as the test runs (a minute per article):
	// the others must give up on their own, not wait for it.
	for _, args := range [][]string{
		{"crawl", "--db", db, s.URL + "/"},
		{"export", "--db", db},
	} {
		code, stdout, stderr := ledeExec(t, args...)
		if code != exitLocked || !strings.Contains(stderr, "locked") {
			t.Errorf("lede %s on a locked store: exit %d, stderr %q; want 75 and a lock message", args[0], code, stderr)
		}
		if args[0] == "crawl" && summaryLine(t, stdout)["stopped"] != "locked" {
			t.Errorf("lede crawl on a locked store: stdout %q, want a summary line with stopped: locked", stdout)
		}
	}
}

// TestSIGINTStopsAndLeavesAnExportableStore: SIGINT stops a crawl within seconds with exit
// 130, and the store it leaves exports what was stored.
func TestSIGINTStopsAndLeavesAnExportableStore(t *testing.T) {
	s := newNewsSite(t, 200)
	s.mu.Lock()
	s.delay = 50 * time.Millisecond
	s.mu.Unlock()
	db := filepath.Join(t.TempDir(), "lede.db")
	cmd, stdout, stderr := startCrawl(t, "--db", db, "--delay", "1s", "--parallelism", "2", s.URL+"/")
	waitFor(t, "a few articles", func() bool { n, _ := s.articleHits(); return n >= 2 })
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-untilDeadline(t).Done():
		t.Fatal("lede crawl still running long after SIGINT")
	}
	if n, _ := s.articleHits(); n >= s.n {
		t.Errorf("the crawl fetched all %d articles: SIGINT did not stop it", n)
	}
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
		t.Errorf("exit %d after SIGINT, want 130; stderr:\n%s", code, stderr)
	}
	sum := summaryLine(t, stdout.String())
	if sum["stopped"] != "interrupted" {
		t.Errorf("summary %v, want stopped: interrupted", sum)
	}
	code, out, errOut := ledeExec(t, "export", "--db", db, "--format", "jsonl")
	if code != 0 {
		t.Fatalf("export after SIGINT: exit %d: %s", code, errOut)
	}
	n := 0
	for sc := bufio.NewScanner(strings.NewReader(out)); sc.Scan(); {
		n++
	}
	if float64(n) != sum["new_articles"].(float64) || n == 0 {
		t.Errorf("export has %d articles, the interrupted crawl reported %v new", n, sum["new_articles"])
	}
}

// TestCrawlUsageErrors: bad arguments, flags and config files exit 2 with a message naming
// what is wrong, before any store is created.
func TestCrawlUsageErrors(t *testing.T) {
	dir := t.TempDir()
	badConfig := filepath.Join(dir, "sites.yaml")
	os.WriteFile(badConfig, []byte("delay: 1s\nsites:\n  - start: https://example.com/\n    colour: red\n"), 0o644)
	zeroConfig := filepath.Join(dir, "zero.yaml")
	os.WriteFile(zeroConfig, []byte("max_body: 0\nsites:\n  - start: https://example.com/\n"), 0o644)
	db := filepath.Join(dir, "lede.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"crawl", "--db", db}, "needs start URLs"},
		{[]string{"crawl", "--db", db, "example.com"}, `"example.com"`},
		{[]string{"crawl", "--db", db, "http://example.com:99999/"}, `start URL "http://example.com:99999/": canonicalize "http://example.com:99999/": port 99999 is not a port number`},
		{[]string{"crawl", "--db", db, "--parallelism", "0", "https://example.com/"}, "--parallelism"},
		{[]string{"crawl", "--db", db, "--log-format", "xml", "https://example.com/"}, "--log-format"},
		{[]string{"crawl", "--db", db, "--config", badConfig}, `sites.yaml: line 4: unknown key "colour" in site #1 under sites:`},
		{[]string{"crawl", "--db", db, "--config", zeroConfig}, "zero.yaml: line 1: max_body: 0 is not allowed"},
		{[]string{"crawl", "--db", db, "--config", filepath.Join(dir, "missing.yaml")}, "missing.yaml"},
		{[]string{"crawl", "--db", db, "--allow", "(", "https://example.com/"}, `pattern "("`},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tc.args, strings.NewReader(""), &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("lede %v: exit %d, stderr %q; want 2 and %q", tc.args[3:], code, stderr.String(), tc.want)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("a usage error created the store")
	}
}

// TestCronRerunFindsNewArticles: between two cron runs a site gains an article listed only in
// its sitemap (dated today, without a time), one only in its feed (dated an hour ago) and one
// linked only from a section while the front answers 304; the second run stores all three and
// fetches no stored article again. A third run with --refresh-after picks up an article that
// changed, linked only from the section.
func TestCronRerunFindsNewArticles(t *testing.T) {
	var mu sync.Mutex
	section := []int{0}
	feed := map[int]time.Time{1: time.Now().Add(-3 * time.Hour)}
	sitemap := map[int]string{2: time.Now().AddDate(0, 0, -1).UTC().Format("2006-01-02")}
	edition := map[int]int{}
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		hits[r.URL.Path]++
		base := "http://" + r.Host
		var b strings.Builder
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprintf(w, "User-agent: *\nSitemap: %s/sitemap.xml\n", base)
			return
		case "/":
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			b.WriteString(`<html><head><title>Front</title><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body><a href="/world/">World</a></body></html>`)
		case "/world/":
			b.WriteString(`<html><head><title>World</title></head><body><h1>World</h1><ul>`)
			for _, i := range section {
				fmt.Fprintf(&b, `<li><a href="/news/%d.html">Story %d</a></li>`, i, i)
			}
			b.WriteString(`</ul></body></html>`)
		case "/rss.xml":
			b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>`)
			for i, d := range feed {
				fmt.Fprintf(&b, `<item><link>%s/news/%d.html</link><pubDate>%s</pubDate></item>`, base, i, d.UTC().Format(time.RFC1123Z))
			}
			b.WriteString(`</channel></rss>`)
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, b.String())
			return
		case "/sitemap.xml":
			b.WriteString(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
			for i, d := range sitemap {
				fmt.Fprintf(&b, `<url><loc>%s/news/%d.html</loc><lastmod>%s</lastmod></url>`, base, i, d)
			}
			b.WriteString(`</urlset>`)
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprint(w, b.String())
			return
		default:
			var i int
			if _, err := fmt.Sscanf(r.URL.Path, "/news/%d.html", &i); err != nil {
				http.NotFound(w, r)
				return
			}
			b.WriteString(storyHTML(i + 100*edition[i]))
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, b.String())
	}))
	t.Cleanup(srv.Close)
	db := filepath.Join(t.TempDir(), "lede.db")
	cron := func(extra ...string) map[string]any {
		t.Helper()
		code, stdout, stderr := ledeExec(t, append([]string{"crawl", "--db", db, "--delay", "0", "--quiet", srv.URL + "/"}, extra...)...)
		if code != 0 {
			t.Fatalf("lede crawl exit %d: %s", code, stderr)
		}
		return summaryLine(t, stdout)
	}
	if sum := cron(); sum["new_articles"] != 3.0 {
		t.Fatalf("first run: %v, want 3 new articles", sum)
	}
	mu.Lock()
	section = append(section, 3)
	feed[4] = time.Now().Add(-time.Hour)
	sitemap[5] = time.Now().UTC().Format("2006-01-02")
	mu.Unlock()
	if sum := cron(); sum["new_articles"] != 3.0 || sum["not_modified"] != 1.0 {
		t.Errorf("second run: %v, want 3 new articles and the front's 304", sum)
	}
	stored := storedURLs(t, db)
	for i := range 6 {
		if u := fmt.Sprintf("%s/news/%d.html", srv.URL, i); stored[u] != 1 {
			t.Errorf("%s stored %d times, want 1", u, stored[u])
		}
	}
	mu.Lock()
	for i := range 6 {
		if n := hits[fmt.Sprintf("/news/%d.html", i)]; n != 1 {
			t.Errorf("article %d fetched %d times over two runs, want 1", i, n)
		}
	}
	edition[0] = 1 // the section's first story is rewritten
	mu.Unlock()
	if sum := cron("--refresh-after", "1ns"); sum["updated"] == 0.0 {
		t.Errorf("--refresh-after run: %v, want the rewritten article updated", sum)
	}
}

// TestCrawlNothingFetchedFails: a run that could fetch nothing exits 1 and says so, whatever
// --max-pages: failed attempts are not pages fetched.
func TestCrawlNothingFetchedFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more: every connection is refused
	code, stdout, stderr := ledeExec(t, "crawl", "--db", filepath.Join(t.TempDir(), "lede.db"), "--max-pages", "2", "--delay", "0", "http://"+addr+"/")
	if code != exitFailed || !strings.Contains(stderr, "nothing could be fetched") {
		t.Errorf("exit %d, stderr %q; want 1 and \"nothing could be fetched\"", code, stderr)
	}
	if sum := summaryLine(t, stdout); sum["stopped"] == "max-pages" || sum["errors"] == 0.0 {
		t.Errorf("summary %v: want errors and no max-pages stop", sum)
	}
}

// TestCrawlJSONLogs: --log-format json writes one JSON object per log line on stderr.
func TestCrawlJSONLogs(t *testing.T) {
	s := newNewsSite(t, 2)
	s.mu.Lock()
	s.fail = func(path string, hit int) (int, string) {
		if path == "/news/1.html" {
			return http.StatusNotFound, ""
		}
		return 0, ""
	}
	s.mu.Unlock()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"crawl", "--db", filepath.Join(t.TempDir(), "lede.db"), "--delay", "0",
		"--log-format", "json", "--log-level", "debug", s.URL + "/"}, strings.NewReader(""), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil || m["msg"] == nil {
			t.Errorf("log line is not slog JSON: %q", l)
		}
	}
	if !strings.Contains(stderr.String(), `"reason":"HTTP 404"`) {
		t.Errorf("debug logs do not say why /news/1.html was skipped:\n%s", stderr.String())
	}
}
