package crawler

import (
	"fmt"
	"lede"
	"lede/warc"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// outcome is how the crawler finished with one URL.
type outcome struct {
	counter  lede.Outcome      // the Counts field and Event.Outcome it adds to
	rec      *lede.FetchRecord // the fetch record to write; nil leaves the old one
	children []lede.QueueItem  // URLs discovered on the page, queued before the URL is Done
	status   int
	reason   string
	article  *lede.Article // an article to store (the counter then follows PutArticle's result)
	raw      []byte        // the page the article came from
	fresh    bool          // a feed listed URLs never seen

	chromeHost   string   // ChromeHost of the page
	blocks       []uint64 // the page's block fingerprints, to count toward its host's chrome
	chromeDigest uint64   // the learned chrome the article was cleaned with

	hubPage     []byte // the raw page of a doubtful front, kept for lede reclassify
	dropHubPage bool   // the page was a front and now is not: drop its kept raw page
}

// worker fetches one host's tasks until its queue is empty or the run stops. A host has at
// most its parallelism of workers.
func (r *run) worker(h *host) {
	defer r.wg.Done()
	for {
		t, wait := r.next(h)
		if t == nil {
			if wait <= 0 {
				return
			}
			if !r.sleep(min(wait, 250*time.Millisecond)) {
				// The run stopped while the host's tasks wait (for a retry, say): they stay
				// queued for the next run, their leases released like any other leftover.
				r.mu.Lock()
				r.dropLocked(h)
				h.workers--
				r.mu.Unlock()
				return
			}
			continue
		}
		r.handle(h, t)
	}
}

// next takes the host's first task that is due. With none due it returns how long to wait;
// with none at all (or when the run stops) it retires the worker and returns (nil, 0).
func (r *run) next(h *host) (*task, time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopping != "" || h.dead || (h.site != nil && h.site.full) {
		r.dropLocked(h)
		h.workers--
		return nil, 0
	}
	now := time.Now()
	var soonest time.Time
	for i, t := range h.queue {
		if !t.notBefore.After(now) {
			if i == 0 {
				h.queue[0] = nil
				h.queue = h.queue[1:]
			} else {
				h.queue = append(h.queue[:i], h.queue[i+1:]...)
			}
			return t, 0
		}
		if soonest.IsZero() || t.notBefore.Before(soonest) {
			soonest = t.notBefore
		}
	}
	if len(h.queue) == 0 {
		h.workers--
		return nil, 0
	}
	return nil, soonest.Sub(now)
}

// dropLocked abandons the host's queued tasks: they stay in the frontier for the next run
// (their leases are given back when the run ends, so Pop does not hand them out again now).
func (r *run) dropLocked(h *host) {
	r.pending -= len(h.queue)
	for _, t := range h.queue {
		r.leftover = append(r.leftover, t.item)
	}
	if len(h.queue) > 0 {
		r.signal()
	}
	h.queue = nil
}

// abandon gives a task up without finishing it: it stays in the frontier for the next run.
func (r *run) abandon(t *task) {
	r.mu.Lock()
	r.pending--
	r.leftover = append(r.leftover, t.item)
	r.mu.Unlock()
	r.signal()
}

// sleep waits for d unless the run stops first; it reports whether the wait completed.
func (r *run) sleep(d time.Duration) bool { return r.waitUntil(time.Now().Add(d)) }

// waitUntil sleeps until t; false when the run is cancelled meanwhile.
func (r *run) waitUntil(t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return r.ctx.Err() == nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-r.ctx.Done():
		return false
	case <-r.halt:
		return false
	}
}

// countFetch counts an answered request.
func (r *run) countFetch(h *host, res *fetchResult) {
	if res.status == 0 && res.skip == "" && redirectScheme(res.err) == nil {
		return
	}
	r.mu.Lock()
	h.counts.Fetched++
	r.mu.Unlock()
}

// robotsDown reports whether the host is kept out of the run because its robots.txt could
// not be read.
func (r *run) robotsDown(h *host) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return h.robotsDown
}

// handle works one task: checks, conditional fetch, then the page, feed or sitemap itself.
func (r *run) handle(h *host, t *task) {
	it := t.item
	rec, have, ok := r.admit(h, t)
	if !ok {
		return
	}
	hdr, accept := requestHeaders(it, rec, have)
	page := it.Kind == lede.KindPage
	if page && !r.takePage(h) {
		r.abandon(t)
		return
	}
	res := h.fetch(it.URL, hdr, accept)
	r.released(h)
	r.countFetch(h, res)
	r.settle(h, page, answered(res))
	r.answer(h, t, res, rec, have)
}

// admit decides whether task t is fetched: its URL parses, robots.txt allows it, it is not a
// dead link, and a page is not already stored (unless refreshed), in this shard or, in a
// shared crawl, by any process (visits.go). It returns the URL's fetch record; ok false
// means t was already finished or put back.
func (r *run) admit(h *host, t *task) (rec lede.FetchRecord, have, ok bool) {
	it := t.item
	u, err := url.Parse(it.URL)
	if err != nil {
		r.finish(h, t, outcome{counter: lede.OutcomeSkipped, reason: "bad URL", rec: &lede.FetchRecord{Kind: lede.KindSkipped, Reason: "bad URL"}})
		return rec, false, false
	}
	r.loadRobots(h, u.Scheme)
	if r.robotsDown(h) {
		r.abandon(t) // robots.txt could not be read: the URL waits for the next run
		return rec, false, false
	}
	r.discoverSitemaps(h, u.Scheme)
	if !h.robotsAllow(it.URL) {
		r.finish(h, t, outcome{counter: lede.OutcomeSkipped, reason: "robots.txt disallows", rec: &lede.FetchRecord{Kind: lede.KindSkipped, Reason: "robots.txt disallows"}})
		return rec, false, false
	}
	ctx := r.storeCtx
	sv, err := r.sharedVisits(ctx, []string{it.URL})
	if err != nil {
		r.fail(err)
		r.abandon(t)
		return rec, false, false
	}
	rec, have, err = r.fetchRecord(ctx, it.URL, sv)
	if err != nil {
		r.fail(fmt.Errorf("fetch record of %s: %w", it.URL, err))
		r.abandon(t)
		return rec, have, false
	}
	if reason, dead := r.deadLink(it, rec, have); dead {
		if r.awaitListings(h, t) {
			return rec, have, false // back in the queue until the site's sitemaps and feeds of this run are read
		}
		r.finish(h, t, outcome{counter: lede.OutcomeDead, reason: reason})
		return rec, have, false
	}
	if it.Kind == lede.KindPage && !r.c.cfg.refresh {
		stored := have && rec.Kind == lede.KindArticle
		if !stored {
			if stored, err = r.hasArticle(ctx, it.URL, sv); err != nil {
				r.fail(fmt.Errorf("article lookup %s: %w", it.URL, err))
				r.abandon(t)
				return rec, have, false
			}
		}
		stale := r.c.cfg.refreshAfter > 0 && have && time.Since(rec.LastFetch) > r.c.cfg.refreshAfter
		if stored && !stale {
			r.finish(h, t, outcome{counter: lede.OutcomeAlreadyStored})
			return rec, have, false
		}
	}
	return rec, have, true
}

// requestHeaders returns the headers of a request for it (conditional on what was fetched
// before) and, for a page, the check that refuses an answer that is not HTML.
func requestHeaders(it lede.QueueItem, rec lede.FetchRecord, have bool) (http.Header, func(string) string) {
	hdr := http.Header{}
	if have && rec.Kind != lede.KindSkipped && rec.Kind != lede.KindError {
		if rec.ETag != "" {
			hdr.Set("If-None-Match", rec.ETag)
		}
		if rec.LastModified != "" {
			hdr.Set("If-Modified-Since", rec.LastModified)
		}
	}
	var accept func(string) string
	if it.Kind == lede.KindPage {
		accept = warc.AcceptHTML
		hdr.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
	}
	return hdr, accept
}

// answer finishes task t by its answer res: skipped, retried, unchanged, failed, or
// processed (process) for a 2xx. rec and have are the URL's fetch record before.
func (r *run) answer(h *host, t *task, res *fetchResult, rec lede.FetchRecord, have bool) {
	it := t.item
	switch {
	case notSent(res.err):
		r.abandon(t) // the run stopped before the request's slot came: the URL stays queued
	case res.skip != "":
		r.succeeded(h)
		r.finish(h, t, outcome{counter: lede.OutcomeSkipped, status: res.status, reason: res.skip,
			rec: &lede.FetchRecord{Kind: lede.KindSkipped, Status: http.StatusOK, Reason: res.skip}})
	case r.ctx.Err() != nil && res.err != nil:
		r.abandon(t) // interrupted: the URL stays queued
	case redirectScheme(res.err) != nil:
		r.succeeded(h) // the host answered: a redirect lede cannot follow, for good
		reason := errReason(redirectScheme(res.err))
		r.finish(h, t, outcome{counter: lede.OutcomeSkipped, reason: reason,
			rec: &lede.FetchRecord{Kind: lede.KindSkipped, Reason: reason}})
	case retryable(res):
		r.retry(h, t, res)
	case res.status == http.StatusNotModified:
		r.succeeded(h)
		rec.LastFetch, rec.Depth = time.Now(), it.Depth
		if rec.Kind == lede.KindHub || rec.Kind == lede.KindFeed {
			rec.Recheck = nextRecheck(rec.Recheck, false) // unchanged: nothing new in it
		}
		// An unchanged hub still advertises its feeds, whose items change without it.
		var feeds []lede.QueueItem
		for _, f := range rec.Feeds {
			feeds = append(feeds, lede.QueueItem{URL: f, Depth: it.Depth, Kind: lede.KindFeed})
		}
		r.finish(h, t, outcome{counter: lede.OutcomeNotModified, status: res.status, rec: &rec, children: feeds})
	case res.status == 0 || res.err != nil && res.status < 400:
		reason := errReason(res.err)
		r.log.Warn("fetch failed", "url", it.URL, "err", res.err)
		r.finish(h, t, outcome{counter: lede.OutcomeError, reason: reason, rec: &lede.FetchRecord{Kind: lede.KindError, Reason: reason}})
	case res.status >= 300:
		r.succeeded(h)
		reason := "HTTP " + strconv.Itoa(res.status)
		r.finish(h, t, outcome{counter: lede.OutcomeSkipped, status: res.status, reason: reason,
			rec: &lede.FetchRecord{Kind: statusRecordKind(res.status), Status: res.status, Reason: reason}})
	default:
		r.succeeded(h)
		r.finish(h, t, r.process(h, it, res, rec, have))
	}
}
