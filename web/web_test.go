package web

import (
	"context"
	"errors"
	"lede"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"lede/crawler"
	"lede/store"
)

func TestPagesShowTheCorpus(t *testing.T) {
	c := newTestCorpus(t)
	h := fixedServer(t, c).Handler()
	host := strings.TrimPrefix(c.base, "http://")
	for _, tc := range []struct {
		path string
		want []string
	}{
		{"/", []string{"6 articles", `href="/site/127.0.0.1"`, `href="/site/evil.example"`, "Last crawls", "<svg", "واشنطن تجدد دعوتها"}},
		{"/site/127.0.0.1", []string{"5 articles stored", "no body text", "/arabic/", "not-found", "HTTP 404", host, "Learned chrome"}},
		{"/site/127.0.0.1/records/hub", []string{"3 fetch records", c.base + "/arabic/", "no body text"}},
		{"/a/" + c.arabic, []string{`<article class="text" dir="rtl" lang="ar">`, "المصدر: وكالات", "/a/" + c.arabic + "/explain"}},
		{"/a/" + c.arabic + "/explain", []string{`<span class="rule" dir="ltr">class:fontsize</span> <del dir="auto">XS SM MD LG</del>`,
			`<li class="kept">جددت الولايات المتحدة`, "blocks outside the article"}},
		{"/a/" + c.arabic + "/json", []string{`"id":"` + c.arabic + `"`, `"lang":"ar"`}},
		{"/search?q=" + url.QueryEscape("اللاجئين"), []string{"أوروبا تبحث توزيع اللاجئين", "<mark>"}},
		{"/lookup?url=" + url.QueryEscape(c.base+"/contact.html"), []string{"A dead link", "HTTP 404"}},
		{"/lookup?url=" + url.QueryEscape(c.base+"/world/"), []string{"Judged a section front", "self-in-nav"}},
		{"/lookup?url=" + url.QueryEscape(c.base+"/never-linked.html"), []string{"lede has never fetched this URL"}},
		{"/static/style.css", []string{"ol.blocks li.removed del"}},
	} {
		code, body := get(t, h, tc.path)
		if code != http.StatusOK {
			t.Errorf("GET %s: %d", tc.path, code)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %q", tc.path, w)
			}
		}
	}
}

// TestStoredScriptIsText: a title, byline and text holding a script tag show it as text on
// every page that shows them, and the raw page is served inert.
func TestStoredScriptIsText(t *testing.T) {
	c := newTestCorpus(t)
	h := fixedServer(t, c).Handler()
	escaped := "&lt;script&gt;alert(1)&lt;/script&gt;"
	for _, path := range []string{"/", "/a/" + c.xss, "/site/evil.example", "/search?q=council+reader", "/a/" + c.xss + "/explain"} {
		code, body := get(t, h, path)
		if code != http.StatusOK {
			t.Errorf("GET %s: %d", path, code)
			continue
		}
		if strings.Contains(body, "<script") || strings.Contains(body, "<img src=x") || strings.Contains(body, "onerror=\"alert") {
			t.Errorf("GET %s: stored markup reached the page as markup", path)
		}
		if path != "/a/"+c.xss+"/explain" && !strings.Contains(body, escaped) {
			t.Errorf("GET %s does not show the script as text", path)
		}
	}
	rec := httptestGet(h, "/a/"+c.xss+"/raw")
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("raw page served with CSP %q, want a sandbox without scripts", csp)
	}
	rec = httptestGet(h, "/a/"+c.xss)
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("pages served with CSP %q, want no script source at all", csp)
	}
}

// TestBadPathsAre404: malformed IDs, unknown articles, sites and paths get the 404 page.
func TestBadPathsAre404(t *testing.T) {
	c := newTestCorpus(t)
	h := fixedServer(t, c).Handler()
	for _, path := range []string{
		"/nope", "/a/", "/a/zzz", "/a/0123456789abcdef", "/a/0123456789ABCDEF", "/a/" + c.arabic + "/nope",
		"/a/%00%ff/explain", "/a/..%2f..%2fetc%2fpasswd/raw", "/a/0000000000000000/json", "/a/0000000000000000/raw",
		"/site/unknown.example", "/site/%3Cscript%3E", "/site/" + strings.Repeat("a", 300),
		"/site/127.0.0.1?page=99", "/site/127.0.0.1?page=-1", "/site/127.0.0.1/records/article", "/site/127.0.0.1/records/nope",
		"/site/127.0.0.1/records/hub?page=2", "/site/unknown.example/records/hub", "/search?q=x&page=abc", "/static/", "/static/nope.css",
		"/static/../web.go", "//etc/passwd",
	} {
		rec := httptestGet(h, path)
		if rec.Code == http.StatusMovedPermanently || rec.Code == http.StatusTemporaryRedirect {
			// The mux cleans "/static/../x" and "//x": the clean path must be a 404.
			loc := rec.Header().Get("Location")
			if strings.Contains(loc, "//") || !strings.HasPrefix(loc, "/") {
				t.Errorf("GET %s redirects to %q", path, loc)
				continue
			}
			rec = httptestGet(h, loc)
		}
		code, body := rec.Code, rec.Body.String()
		if code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, code)
			continue
		}
		if !strings.Contains(body, "<h1>Not found</h1>") {
			t.Errorf("GET %s: not the 404 page:\n%s", path, body)
		}
	}
}

// TestBusyStoreIs503: while another holder (a crawl) has the file, pages say so with a 503;
// between requests lede serve holds nothing, so a crawl can always open the file.
func TestBusyStoreIs503(t *testing.T) {
	c := newTestCorpus(t)
	if err := c.db.Close(); err != nil {
		t.Fatal(err)
	}
	s := New(OpenPerRequest(c.path, 50*time.Millisecond))
	ctx := context.Background()
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	if code, _ := get(t, h, "/a/"+c.arabic); code != http.StatusOK {
		t.Fatalf("free store: %d", code)
	}
	// A crawl opens the store: it must get it at once, although the UI served pages.
	crawl, err := store.Open(c.path, store.WithTimeout(100*time.Millisecond))
	if err != nil {
		t.Fatalf("a crawl could not open the store after the UI read it: %v", err)
	}
	for _, path := range []string{"/", "/a/" + c.arabic, "/search?q=harbour"} {
		rec := httptestGet(h, path)
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "A crawl is writing to the store, try again in a moment") {
			t.Errorf("GET %s while a crawl holds the store: %d\n%s", path, rec.Code, rec.Body.String())
		}
		if rec.Header().Get("Retry-After") == "" {
			t.Errorf("GET %s: 503 without Retry-After", path)
		}
	}
	if err := s.Sync(ctx); !errors.Is(err, ErrBusy) {
		t.Errorf("Sync while a crawl holds the store: %v, want ErrBusy", err)
	}
	// The crawl stores an article and lets go: the index catches up.
	late := &lede.Article{URL: "https://late.example/news/quokka.html", Title: "Quokka census", Lang: "en",
		Text: "Rangers counted every quokka on the island this spring."}
	if _, err := crawl.PutArticle(ctx, late, nil); err != nil {
		t.Fatal(err)
	}
	crawl.Close()
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if code, body := get(t, h, "/search?q=quokka"); code != http.StatusOK || !strings.Contains(body, "Quokka census") {
		t.Errorf("search after the crawl: %d, found %v", code, strings.Contains(body, "Quokka census"))
	}
}

// TestHoldSharesTheCrawlsStore: under lede schedule --serve, a run's store serves pages
// while the run holds it, and the run's release waits for those readers.
func TestHoldSharesTheCrawlsStore(t *testing.T) {
	c := newTestCorpus(t)
	c.db.Close()
	acc := OpenPerRequest(c.path, 50*time.Millisecond)
	s := New(acc)
	h := s.Handler()
	db, release, err := acc.Hold(func() (*store.DB, error) { return store.Open(c.path, store.WithTimeout(100*time.Millisecond)) })
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := get(t, h, "/a/"+c.arabic); code != http.StatusOK {
		t.Errorf("page during the held run: %d, want 200 through the run's store", code)
	}
	if err := s.Sync(context.Background()); err != nil {
		t.Errorf("index during the held run: %v", err)
	}
	if _, err := db.Get(context.Background(), c.arabic); err != nil {
		t.Fatal(err)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	if code, _ := get(t, h, "/a/"+c.arabic); code != http.StatusOK {
		t.Errorf("page after the run: %d", code)
	}
	// The file is free again: another process could open it.
	other, err := store.Open(c.path, store.WithTimeout(100*time.Millisecond))
	if err != nil {
		t.Fatalf("store still held after release: %v", err)
	}
	other.Close()
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(t.TempDir() + "/s.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	day := func(d int) time.Time { return time.Date(2025, 5, d, 9, 0, 0, 0, time.UTC) }
	arts := []*lede.Article{
		{URL: "https://a.example/1", Title: "Harbour bridge approved", Lang: "en", Published: day(1), Text: "The council approved the bridge."},
		{URL: "https://a.example/2", Title: "Budget news", Lang: "en", Published: day(3), Text: "The harbour bridge costs more than planned."},
		{URL: "https://b.example/3", Title: "Ferry timetable", Lang: "en-GB", Published: day(2), Text: "A new harbour ferry, no bridge yet in sight."},
		{URL: "https://b.example/4", Title: "أخبار الاقتصاد", Lang: "ar", Published: day(4), Text: "ارتفعت أسعار النفط في الأسواق العالمية."},
		{URL: "https://c.example/5", Title: "東京都の人口", Lang: "ja", Published: day(5), Text: "東京都の人口が増えた。"},
		{URL: "https://c.example/6", Title: "서울시 예산", Lang: "ko", Published: day(6), Text: "서울시는 내년 예산을 발표했다."},
	}
	for _, a := range arts {
		if _, err := db.PutArticle(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
	}
	s := New(Fixed(db))
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	titles := func(q query) []string {
		es, total := s.corpus.Load().search(q, 0, 10)
		var out []string
		for _, e := range es {
			out = append(out, e.Title)
		}
		if total != len(out) {
			t.Errorf("%v: total %d, listed %d", q.terms, total, len(out))
		}
		return out
	}
	q := func(text string) query {
		var qy query
		terms(text, func(t string) { qy.terms = append(qy.terms, t) })
		return qy
	}
	for _, tc := range []struct {
		q    query
		want []string
	}{
		// Every word must match; titles holding them first, then newest first.
		{q("Harbour BRIDGE"), []string{"Harbour bridge approved", "Budget news", "Ferry timetable"}},
		{q("bridge ferry"), []string{"Ferry timetable"}},
		{q("bridge zebra"), nil},
		{query{terms: q("bridge").terms, site: "b.example"}, []string{"Ferry timetable"}},
		{query{terms: q("bridge").terms, lang: "en"}, []string{"Harbour bridge approved", "Budget news", "Ferry timetable"}},
		{query{terms: q("bridge").terms, lang: "en-gb"}, []string{"Ferry timetable"}},
		// Arabic: hamza and taa marbuta variants fold.
		{q("اخبار"), []string{"أخبار الاقتصاد"}},
		{q("الأسواق"), []string{"أخبار الاقتصاد"}},
		// CJK and Korean by pairs of characters, a lone character by every pair holding it.
		{q("人口"), []string{"東京都の人口"}},
		{q("京都"), []string{"東京都の人口"}},
		{q("都"), []string{"東京都の人口"}},
		{q("예산"), []string{"서울시 예산"}},
		{q("서울"), []string{"서울시 예산"}},
	} {
		if got := titles(tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("search %q (site %q, lang %q): %q, want %q", tc.q.terms, tc.q.site, tc.q.lang, got, tc.want)
		}
	}
	// Paging: the second page starts where the first ended.
	first, total := s.corpus.Load().search(q("bridge"), 0, 2)
	second, _ := s.corpus.Load().search(q("bridge"), 2, 2)
	if total != 3 || len(first) != 2 || len(second) != 1 || second[0].Title != "Ferry timetable" {
		t.Errorf("pages: %d total, %v then %v", total, first, second)
	}
}

func TestTerms(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"The Harbour-Bridge, 2025!", []string{"the", "harbour", "bridge", "2025"}},
		{"أخبارُ الأسواقِ", []string{"اخبار", "الاسواق"}},
		{"東京都庁", []string{"東京", "京都", "都庁"}},
		{"iPhone发布会", []string{"iphone", "发布", "布会"}},
		{"の", []string{"の"}},
		{"ข่าววันนี้", nil}, // Thai: pairs, checked below by count
	} {
		var got []string
		terms(tc.text, func(s string) { got = append(got, s) })
		if tc.want == nil {
			if len(got) < 3 {
				t.Errorf("terms(%q) = %q, want pairs of characters", tc.text, got)
			}
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("terms(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestMetricsParse feeds crawl events and run reports to the metrics and checks /metrics
// parses with Prometheus's text parser and carries them.
func TestMetricsParse(t *testing.T) {
	c := newTestCorpus(t)
	m := NewMetrics()
	s := fixedServer(t, c, WithMetrics(m))
	m.RunStarted()
	for _, ev := range []crawler.Event{
		{Host: "news.example", Outcome: lede.OutcomeNew, Status: 200, Pending: 3},
		{Host: "news.example", Outcome: lede.OutcomeHub, Status: 200},
		{Host: "news.example", Outcome: lede.OutcomeRetry, Status: 503},
		{Host: "news.example", Outcome: lede.OutcomePaused, Status: 503},
		{Host: "news.example", Outcome: lede.OutcomeError, Status: 503},
		{Host: "other.example", Outcome: lede.OutcomeAlreadyStored},
	} {
		m.Event(ev)
	}
	m.RunEnded(&crawler.Summary{Queued: 42}, nil, false)
	m.RunEnded(nil, nil, true)

	code, body := get(t, s.Handler(), "/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d", code)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v\n%s", err, body)
	}
	value := func(name string, labels map[string]string) float64 {
		t.Helper()
		f, ok := fams[name]
		if !ok {
			t.Errorf("no metric %s", name)
			return -1
		}
	next:
		for _, m := range f.Metric {
			for _, l := range m.Label {
				if want, ok := labels[l.GetName()]; ok && want != l.GetValue() {
					continue next
				}
			}
			switch {
			case m.Counter != nil:
				return m.Counter.GetValue()
			case m.Gauge != nil:
				return m.Gauge.GetValue()
			case m.Histogram != nil:
				return float64(m.Histogram.GetSampleCount())
			}
		}
		t.Errorf("no %s with %v", name, labels)
		return -1
	}
	for _, tc := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"lede_crawl_fetches_total", map[string]string{"host": "news.example"}, 4},
		{"lede_crawl_articles_total", map[string]string{"host": "news.example", "result": "new"}, 1},
		{"lede_crawl_errors_total", map[string]string{"host": "news.example"}, 1},
		{"lede_crawl_retries_total", map[string]string{"host": "news.example"}, 1},
		{"lede_crawl_host_pauses_total", map[string]string{"host": "news.example"}, 1},
		{"lede_crawl_urls_total", map[string]string{"host": "other.example", "outcome": "already_stored"}, 1},
		{"lede_crawl_runs_total", map[string]string{"result": "done"}, 1},
		{"lede_crawl_runs_total", map[string]string{"result": "locked"}, 1},
		{"lede_crawl_run_duration_seconds", nil, 1},
		{"lede_crawl_queue_size", nil, 42},
		{"lede_crawl_running", nil, 0},
		{"lede_store_articles", map[string]string{"site": "127.0.0.1"}, 5},
	} {
		if got := value(tc.name, tc.labels); got != tc.want {
			t.Errorf("%s%v = %v, want %v", tc.name, tc.labels, got, tc.want)
		}
	}
	if _, ok := fams["go_goroutines"]; !ok {
		t.Error("no Go runtime metrics")
	}
}

// TestExplainPlacesEveryRemoval checks the explain view's matching on the extract
// fixtures: each removal is placed on the page's blocks, each line of the article is a kept
// block, in order.
func TestExplainPlacesEveryRemoval(t *testing.T) {
	for _, name := range []string{"ar-legacy", "ar-legacy-1256", "en-article", "ar-article"} {
		page := readFile(t, "../testdata/extract/"+name+".html")
		ex, err := explainPage(page, "https://site.example/news/a.html")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(ex.Unplaced) > 0 {
			t.Errorf("%s: article lines not placed: %q", name, ex.Unplaced)
		}
		if ex.Kept == 0 || ex.Removed == 0 {
			t.Errorf("%s: %d kept, %d removed blocks", name, ex.Kept, ex.Removed)
		}
		rules := map[string]bool{}
		for _, b := range ex.Blocks {
			if b.Fate == fateRemoved {
				rules[b.Rule] = true
			}
		}
		if name == "ar-legacy" {
			for _, want := range []string{"skip-links", "caption", "related"} {
				if !rules[want] {
					t.Errorf("%s: no block removed by %s (rules %v)", name, want, rules)
				}
			}
			found := false
			for _, b := range ex.Blocks {
				if b.Text == "XS SM MD LG" && b.Fate == fateRemoved && b.Rule != "" {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: the text-size selector is not shown removed", name)
			}
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8787": true, "localhost:8787": true, "[::1]:8787": true, "127.0.0.2:80": true,
		":8787": false, "0.0.0.0:8787": false, "[::]:8787": false, "192.168.1.5:8787": false, "example.com:80": false, "nonsense": false,
	} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

// TestExplainOfPageThatIsNotHTML: a stored page that does not parse (or no longer holds an
// article) gets an explain page that says so, not an error.
func TestExplainOfPageThatIsNotHTML(t *testing.T) {
	c := newTestCorpus(t)
	a := &lede.Article{URL: "https://odd.example/feed.json", Title: "Odd", Lang: "en",
		Text: "A text stored from a page that is not HTML at all, for this test."}
	if _, err := c.db.PutArticle(context.Background(), a, []byte("\x00\x01\x02 binary")); err != nil {
		t.Fatal(err)
	}
	code, body := get(t, fixedServer(t, c).Handler(), "/a/"+a.ID+"/explain")
	if code != http.StatusOK || !strings.Contains(body, "No article came out of this page now") {
		t.Errorf("explain of a page that is not HTML: %d\n%s", code, body)
	}
}

// TestRefreshWarmsSitePages: after the store changed, the refresher reads the fetch records
// of the sites viewed last (then the largest), so their pages answer from the cache.
func TestRefreshWarmsSitePages(t *testing.T) {
	c := newTestCorpus(t)
	c.db.Close()
	s := New(OpenPerRequest(c.path, 50*time.Millisecond))
	s.noteViewed("evil.example")
	if got := s.sitesToWarm(); !slices.Equal(got, []string{"evil.example"}) {
		t.Errorf("before the index: sites to warm %q", got)
	}
	if err := s.refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := s.sitesToWarm(); !slices.Equal(got, []string{"evil.example", "127.0.0.1"}) {
		t.Errorf("sites to warm %q, want the viewed one, then the largest", got)
	}
	for _, site := range []string{"evil.example", "127.0.0.1"} {
		if _, ok := s.cache.get("fetch "+site, s.acc.version()); !ok {
			t.Errorf("the fetch records of %s were not read ahead", site)
		}
	}
}
