package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"lede"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"lede/extract"
	"lede/store"
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
	u, err := url.Parse(it.URL)
	if err != nil {
		r.finish(h, t, outcome{counter: lede.OutcomeSkipped, reason: "bad URL", rec: &lede.FetchRecord{Kind: lede.KindSkipped, Reason: "bad URL"}})
		return
	}
	r.loadRobots(h, u.Scheme)
	if r.robotsDown(h) {
		r.abandon(t) // robots.txt could not be read: the URL waits for the next run
		return
	}
	r.discoverSitemaps(h, u.Scheme)
	if !h.robotsAllow(it.URL) {
		r.finish(h, t, outcome{counter: lede.OutcomeSkipped, reason: "robots.txt disallows", rec: &lede.FetchRecord{Kind: lede.KindSkipped, Reason: "robots.txt disallows"}})
		return
	}
	ctx := r.storeCtx
	rec, have, err := r.c.store.GetFetch(ctx, it.URL)
	if err != nil {
		r.fail(fmt.Errorf("fetch record of %s: %w", it.URL, err))
		r.abandon(t)
		return
	}
	if reason, dead := r.deadLink(it, rec, have); dead {
		if r.awaitListings(h, t) {
			return // back in the queue until the site's sitemaps and feeds of this run are read
		}
		r.finish(h, t, outcome{counter: lede.OutcomeDead, reason: reason})
		return
	}
	if it.Kind == lede.KindPage && !r.c.cfg.refresh {
		stored := have && rec.Kind == lede.KindArticle
		if !stored {
			if stored, err = r.c.store.HasArticle(ctx, it.URL); err != nil {
				r.fail(fmt.Errorf("article lookup %s: %w", it.URL, err))
				r.abandon(t)
				return
			}
		}
		stale := r.c.cfg.refreshAfter > 0 && have && time.Since(rec.LastFetch) > r.c.cfg.refreshAfter
		if stored && !stale {
			r.finish(h, t, outcome{counter: lede.OutcomeAlreadyStored})
			return
		}
	}
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
		accept = acceptHTML
		hdr.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
	}
	page := it.Kind == lede.KindPage
	if page && !r.takePage(h) {
		r.abandon(t)
		return
	}
	res := h.fetch(it.URL, hdr, accept)
	r.released(h)
	r.countFetch(h, res)
	r.settle(h, page, answered(res))

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

// retryable reports whether a failure may pass: 429, 5xx (but 501) or a network error.
func retryable(res *fetchResult) bool {
	switch res.status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout, 520, 521, 522, 524:
		return true
	case 0:
		err := res.err
		if err == nil || errors.Is(err, errTooManyRedirects) || redirectScheme(err) != nil {
			return false
		}
		var ne net.Error
		var ue *url.Error
		return errors.As(err, &ne) || errors.As(err, &ue) || errors.Is(err, io.ErrUnexpectedEOF)
	}
	return false
}

// errReason turns a fetch error into a short fetch-record reason.
func errReason(err error) string {
	if err == nil {
		return "no answer"
	}
	if errors.Is(err, errTooManyRedirects) {
		return "too many redirects"
	}
	s := err.Error()
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") // never a cut rune in the stored reason
	}
	return s
}

// succeeded closes the host's circuit breaker: it answers.
func (r *run) succeeded(h *host) {
	r.mu.Lock()
	h.failures, h.trips = 0, 0
	r.mu.Unlock()
}

// retry puts a failed task back in its host's queue after an exponential backoff with
// jitter, or the answer's Retry-After (capped) when longer; a 429's Retry-After pauses the
// whole host. Failures in a row trip the host's circuit breaker.
func (r *run) retry(h *host, t *task, res *fetchResult) {
	cfg := r.c.cfg
	t.attempt++
	ra := retryAfter(res.header, cfg.maxRetryAfter)
	reason := errReason(res.err)
	if res.status > 0 {
		reason = "HTTP " + strconv.Itoa(res.status)
	}
	now := time.Now()
	paused := false
	r.mu.Lock()
	h.failures++
	if ra > 0 && res.status == http.StatusTooManyRequests {
		// A rate limit is about all our requests to the host: pause it. A 503's Retry-After
		// is kept for the one URL; a host that keeps failing trips the circuit breaker.
		if until := now.Add(ra); until.After(h.nextAt) {
			h.nextAt = until
		}
	}
	if h.failures >= cfg.breakerThreshold {
		h.trips++
		h.failures = cfg.breakerThreshold - 1 // half-open: one more failure trips it again
		if h.trips >= cfg.breakerTrips {
			if !h.dead {
				r.log.Error("giving up on host for this run: it keeps failing", "host", h.name, "last", reason)
			}
			h.dead = true
		} else {
			pause := cfg.breakerCooldown << (h.trips - 1)
			if until := now.Add(pause); until.After(h.nextAt) {
				h.nextAt = until
			}
			h.counts.Paused++
			paused = true
			r.log.Warn("host keeps failing: pausing it", "host", h.name, "pause", pause, "last", reason)
		}
	}
	giveUp := t.attempt > cfg.maxRetries
	dead := h.dead
	if !giveUp && !dead {
		backoff := min(cfg.retryBase<<(t.attempt-1), time.Minute)
		backoff = backoff/2 + rand.N(backoff)
		t.notBefore = now.Add(max(backoff, ra))
		h.queue = append(h.queue, t)
		h.counts.Retries++
	}
	r.mu.Unlock()
	if paused {
		r.event(h, t.item.URL, outcome{counter: lede.OutcomePaused, status: res.status, reason: reason})
	}
	switch {
	case giveUp:
		reason = fmt.Sprintf("%s after %d attempts", reason, t.attempt)
		r.log.Warn("giving up on URL", "url", t.item.URL, "reason", reason)
		r.finish(h, t, outcome{counter: lede.OutcomeError, status: res.status, reason: reason,
			rec: &lede.FetchRecord{Kind: lede.KindError, Status: res.status, Reason: reason}})
	case dead:
		r.abandon(t)
	default:
		r.log.Debug("retrying", "url", t.item.URL, "reason", reason, "attempt", t.attempt, "at", t.notBefore)
		r.event(h, t.item.URL, outcome{counter: lede.OutcomeRetry, status: res.status, reason: reason})
	}
}

// retryAfter reads a Retry-After header (seconds or an HTTP date), capped; 0 when absent.
func retryAfter(h http.Header, limit time.Duration) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(secs) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		d = time.Until(at)
	}
	return min(max(d, 0), limit)
}

// process handles a 2xx answer according to what was queued.
func (r *run) process(h *host, it lede.QueueItem, res *fetchResult, old lede.FetchRecord, have bool) outcome {
	rec := &lede.FetchRecord{
		Status:       res.status,
		ETag:         res.header.Get("ETag"),
		LastModified: res.header.Get("Last-Modified"),
		LastFetch:    time.Now(),
		Depth:        it.Depth,
	}
	truncated := res.truncated(r.c.cfg.maxBodySize)
	if truncated && it.Kind == lede.KindSitemap {
		// A sitemap may hold up to 50 MB: read the entries before the cap, and ask for the
		// whole file again next time.
		r.log.Warn("sitemap cut at the body limit: reading the entries before it", "url", it.URL, "limit", r.c.cfg.maxBodySize)
		rec.ETag, rec.LastModified = "", ""
		return r.processSitemap(it, res, rec)
	}
	if truncated {
		limit := r.c.cfg.maxBodySize
		reason := fmt.Sprintf("truncated: body reached the %d-byte limit", limit)
		r.log.Warn("page too large: not stored", "url", it.URL, "limit", limit)
		rec.Kind, rec.Reason, rec.ETag, rec.LastModified = lede.KindSkipped, reason, "", ""
		return outcome{counter: lede.OutcomeSkipped, status: res.status, reason: reason, rec: rec}
	}
	switch it.Kind {
	case lede.KindSitemap:
		return r.processSitemap(it, res, rec)
	case lede.KindFeed:
		o := r.processFeed(it, res, rec)
		if rec.Kind == lede.KindFeed {
			setRecheck(rec, old, have, o.fresh)
		}
		return o
	default:
		// A page's blocks count toward its host's chrome once: on its first fetch.
		o := r.processPage(h, it, res, rec, !have, have && old.Kind == lede.KindHub)
		if rec.Kind == lede.KindHub {
			setRecheck(rec, old, have, r.anyFresh(r.storeCtx, o.children))
		}
		return o
	}
}

// processSitemap queues a sitemap's pages, or an index's child sitemaps, that are new or may
// have changed (see listedAgain).
func (r *run) processSitemap(it lede.QueueItem, res *fetchResult, rec *lede.FetchRecord) outcome {
	sm, err := parseSitemap(res.body)
	if sm == nil {
		rec.Kind, rec.Reason = lede.KindSkipped, err.Error()
		return outcome{counter: lede.OutcomeSkipped, status: res.status, reason: err.Error(), rec: rec}
	}
	if err != nil {
		r.log.Warn("sitemap read in part", "url", it.URL, "err", err)
	}
	rec.Kind = lede.KindSitemap
	var children, listed []lede.QueueItem // listed: every page it lists, queued or not
	for _, e := range sm.Items {
		u, err := resolve(res.finalURL, e.Loc)
		if err != nil {
			continue
		}
		if sm.Index {
			if queue, _ := r.listedAgain(r.storeCtx, u, lede.KindSitemap, e.Until); queue {
				children = append(children, lede.QueueItem{URL: u, Depth: it.Depth, Kind: lede.KindSitemap})
			}
			continue
		}
		if s := r.siteOf(u); s != nil && s.allowed(u) && !binaryPath(u) {
			via := lede.ViaSitemap
			if e.News {
				via = lede.ViaNewsSitemap
			}
			item := lede.QueueItem{URL: u, Depth: it.Depth, Kind: lede.KindPage, Via: via, Listed: e.Until}
			listed = append(listed, item)
			if queue, _ := r.listedAgain(r.storeCtx, u, lede.KindPage, e.Until); queue {
				children = append(children, item)
			}
		}
	}
	r.noteListedSeen(listed)
	rec.Reason = fmt.Sprintf("%d entries", len(sm.Items))
	return outcome{counter: lede.OutcomeSitemap, status: res.status, rec: rec, children: children}
}

// processFeed queues a feed's items that are new or may have changed (see listedAgain); the
// outcome says whether any was never seen (fresh).
func (r *run) processFeed(it lede.QueueItem, res *fetchResult, rec *lede.FetchRecord) outcome {
	entries, err := parseFeed(res.body)
	if err != nil {
		rec.Kind, rec.Reason = lede.KindSkipped, err.Error()
		return outcome{counter: lede.OutcomeSkipped, status: res.status, reason: err.Error(), rec: rec}
	}
	rec.Kind = lede.KindFeed
	var children, listed []lede.QueueItem // listed: every page it lists, queued or not
	var fresh bool
	for _, e := range entries {
		u, err := resolve(res.finalURL, e.Link)
		if err != nil {
			continue
		}
		if s := r.siteOf(u); s != nil && s.allowed(u) {
			item := lede.QueueItem{URL: u, Depth: it.Depth, Kind: lede.KindPage, Via: lede.ViaFeed, Listed: e.Date}
			listed = append(listed, item)
			queue, isNew := r.listedAgain(r.storeCtx, u, lede.KindPage, e.Date)
			if queue {
				children = append(children, item)
			}
			fresh = fresh || isNew
		}
	}
	r.noteListedSeen(listed)
	rec.Reason = fmt.Sprintf("%d items", len(entries))
	return outcome{counter: lede.OutcomeFeed, status: res.status, rec: rec, children: children, fresh: fresh}
}

// processPage parses an HTML page once: its links and feeds are queued, it is extracted and
// decided (pagekind.go); an article is stored, a front, media page or soft 404 recorded.
// wasHub says the page's last record was a front's.
func (r *run) processPage(h *host, it lede.QueueItem, res *fetchResult, rec *lede.FetchRecord, learn, wasHub bool) (o outcome) {
	defer func() {
		// One hostile page must not end the crawl: record it and go on.
		if p := recover(); p != nil {
			reason := fmt.Sprintf("extract panicked: %v", p)
			r.log.Error("page not processed", "url", it.URL, "reason", reason)
			rec.Kind, rec.Reason = lede.KindError, reason
			o = outcome{counter: lede.OutcomeError, status: res.status, reason: reason, rec: rec}
		}
	}()
	final := it.URL
	if res.finalURL != "" && res.finalURL != it.URL {
		if u, err := lede.Canonicalize(res.finalURL); err == nil {
			final = u
			r.markSeen(u)
			if r.siteOf(u) == nil {
				reason := "redirected off-site to " + u
				rec.Kind, rec.Reason = lede.KindSkipped, reason
				return outcome{counter: lede.OutcomeSkipped, status: res.status, reason: reason, rec: rec}
			}
		}
	}
	key := lede.SiteOf(final)
	chrome, digest := r.chromeFor(key)
	doc, err := extract.Parse(res.body, final, append([]extract.Option{extract.WithContentType(res.contentType)}, chrome.Options()...)...)
	if err != nil {
		reason := "parse: " + err.Error()
		if errors.Is(err, extract.ErrNotHTML) {
			reason = "not HTML"
		}
		rec.Kind, rec.Reason = lede.KindSkipped, reason
		return outcome{counter: lede.OutcomeSkipped, status: res.status, reason: reason, rec: rec}
	}
	var children []lede.QueueItem
	// Feeds first: what they list is known when the pages linked here are decided.
	var feeds []string
	for _, f := range doc.Feeds() {
		if u, err := lede.Canonicalize(f); err == nil {
			children = append(children, lede.QueueItem{URL: u, Depth: it.Depth, Kind: lede.KindFeed})
			feeds = append(feeds, u)
		}
	}
	if depth := it.Depth + 1; depth <= r.c.cfg.maxDepth {
		for _, l := range doc.Links() {
			u, err := lede.Canonicalize(l)
			if err != nil || binaryPath(u) {
				continue
			}
			if s := r.siteOf(u); s != nil && s.allowed(u) {
				children = append(children, lede.QueueItem{URL: u, Depth: depth, Kind: lede.KindPage})
			}
		}
	}
	var blocks []uint64
	if learn && r.learnsChrome() {
		blocks = doc.BlockFingerprints() // before Article, which rewrites the page
	}
	art, err := doc.Article()
	v, via := r.decide(it, final, doc)
	why := v.Reason()
	rec.Reason, rec.Via = why, via
	o = outcome{status: res.status, reason: why, rec: rec, children: children, chromeHost: key, blocks: blocks}
	switch v.Kind {
	case lede.KindHub:
		rec.Kind, rec.Feeds, o.counter = lede.KindHub, feeds, lede.OutcomeHub
		if v.Score > hubKeepScore || articleSigns(v) {
			o.hubPage = res.body // a close call: kept for lede reclassify
		}
		return o
	case lede.KindMedia:
		rec.Kind, o.counter = lede.KindMedia, lede.OutcomeSkipped
		return o
	case lede.KindNotFound:
		rec.Kind, o.counter = lede.KindNotFound, lede.OutcomeSkipped
		return o
	}
	if err != nil {
		reason := "no article: " + err.Error()
		rec.Kind, rec.Reason, o.counter, o.reason = lede.KindSkipped, reason, lede.OutcomeSkipped, reason
		return o
	}
	if art.URL == "" {
		art.URL = final
	}
	art.FetchedAt = rec.LastFetch
	if c, err := lede.Canonicalize(art.CanonicalURL); err == nil {
		r.markSeen(c) // the store keeps the article under it too
	}
	rec.Kind = lede.KindArticle
	o.counter, o.article, o.raw, o.chromeDigest, o.dropHubPage = lede.OutcomeNew, art, res.body, digest, wasHub
	return o
}

// resolve makes ref absolute against base and canonical.
func resolve(base, ref string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u, err := b.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "", err
	}
	return lede.Canonicalize(u.String())
}

// binaryExt lists file extensions that are never news pages.
var binaryExt = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".svg": true, ".ico": true,
	".pdf": true, ".zip": true, ".gz": true, ".mp3": true, ".mp4": true, ".avi": true, ".mov": true,
	".css": true, ".js": true, ".woff": true, ".woff2": true, ".doc": true, ".docx": true, ".xls": true,
	".xlsx": true, ".ppt": true, ".exe": true, ".dmg": true, ".apk": true,
}

// binaryPath reports whether a URL's path names a file type that is never an HTML page.
func binaryPath(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	return binaryExt[strings.ToLower(path.Ext(u.Path))]
}

// markSeen records a URL as handled in this run without queueing it.
func (r *run) markSeen(u string) {
	r.mu.Lock()
	r.seen.add(u)
	r.mu.Unlock()
}

// push queues the items not yet seen in this run.
func (r *run) push(ctx context.Context, items []lede.QueueItem) error {
	if len(items) == 0 {
		return nil
	}
	fresh := items[:0:0]
	r.mu.Lock()
	for _, it := range items {
		if !r.seen.add(it.URL) {
			continue
		}
		fresh = append(fresh, it)
		r.listingQueued(it)
	}
	r.mu.Unlock()
	if len(fresh) == 0 {
		return nil
	}
	// A sitemap can list 50,000 URLs: queued in chunks, each write stays small.
	const chunk = 64
	for len(fresh) > 0 {
		n := min(chunk, len(fresh))
		if _, err := r.c.frontier.Push(ctx, fresh[:n]...); err != nil {
			return fmt.Errorf("frontier push: %w", err)
		}
		fresh = fresh[n:]
	}
	r.mu.Lock()
	r.pushed = true
	r.mu.Unlock()
	return nil
}

// discoverSitemaps queues a site's sitemaps (robots.txt Sitemap lines, else /sitemap.xml)
// the first time one of its hosts is fetched.
func (r *run) discoverSitemaps(h *host, scheme string) {
	if h.site == nil {
		return
	}
	r.mu.Lock()
	done := h.site.discovered
	h.site.discovered = true
	r.mu.Unlock()
	if done {
		return
	}
	var items []lede.QueueItem
	for _, s := range h.sitemaps {
		if u, err := lede.Canonicalize(s); err == nil {
			items = append(items, lede.QueueItem{URL: u, Kind: lede.KindSitemap})
		}
	}
	if len(items) == 0 {
		items = append(items, lede.QueueItem{URL: scheme + "://" + h.name + "/sitemap.xml", Kind: lede.KindSitemap})
	}
	if err := r.push(r.storeCtx, items); err != nil {
		r.fail(err)
	}
}

// commitJob is a finished task whose outcome still has to be written.
type commitJob struct {
	h *host
	t *task
	o outcome
}

// finish hands a task's outcome to the committers, so the worker goes on fetching while the
// store commits (each write waits for a batched, synced bbolt transaction).
func (r *run) finish(h *host, t *task, o outcome) {
	r.commits <- commitJob{h: h, t: t, o: o}
}

// committer writes outcomes until the run closes the commits channel.
func (r *run) committer() {
	defer r.cwg.Done()
	for j := range r.commits {
		r.commit(j.h, j.t, j.o)
	}
}

// commit writes what came of a task in the order that makes a kill at any point lose
// nothing: discovered URLs first, then the article and its fetch record, then Done.
func (r *run) commit(h *host, t *task, o outcome) {
	ctx := r.storeCtx
	if err := r.push(ctx, o.children); err != nil {
		r.fail(err)
		r.abandon(t)
		return
	}
	if err := r.store(ctx, t.item.URL, &o); err != nil {
		r.fail(err)
		r.abandon(t)
		return
	}
	if err := r.c.frontier.Done(ctx, t.item.URL); err != nil {
		r.fail(fmt.Errorf("frontier done %s: %w", t.item.URL, err))
		r.abandon(t)
		return
	}
	r.mu.Lock()
	r.pending--
	if h != nil {
		h.counts.bump(o.counter)
	}
	r.listingDone(t.item)
	r.mu.Unlock()
	r.signal()
	if o.counter == lede.OutcomeError || o.counter == lede.OutcomeSkipped || o.counter == lede.OutcomeDead {
		r.log.Debug("not stored", "url", t.item.URL, "outcome", o.counter, "reason", o.reason)
	}
	r.event(h, t.item.URL, o)
}

// store writes what came of a page fetched from u: the article (o.counter then says what
// PutArticle made of it), the page's block counts toward its host's chrome, the raw page of
// a doubtful front, and the fetch record.
func (r *run) store(ctx context.Context, u string, o *outcome) error {
	if o.article != nil {
		put, err := r.c.store.PutArticle(ctx, o.article, o.raw)
		if err != nil {
			return fmt.Errorf("store article %s: %w", o.article.URL, err)
		}
		switch put {
		case store.Updated:
			o.counter = lede.OutcomeUpdated
		case store.Duplicate, store.NearDuplicate:
			o.counter = lede.OutcomeDuplicate
		}
		if put == store.Inserted || put == store.Updated {
			r.cleanedWith(o.chromeHost, o.article.ID, o.chromeDigest)
		}
		o.rec.ArticleID, o.rec.ContentHash = o.article.ID, o.article.ContentHash
	}
	r.countPage(o.chromeHost, o.blocks)
	r.keepHubPage(u, *o)
	if o.rec != nil {
		o.rec.URL = u
		if o.rec.LastFetch.IsZero() {
			o.rec.LastFetch = time.Now()
		}
		if err := r.c.store.PutFetch(ctx, *o.rec); err != nil {
			return fmt.Errorf("fetch record of %s: %w", u, err)
		}
	}
	return nil
}

// event reports a finished URL to the WithEvents callback.
func (r *run) event(h *host, u string, o outcome) {
	fn := r.c.cfg.onEvent
	if fn == nil {
		return
	}
	ev := Event{URL: u, Outcome: o.counter, Status: o.status, Reason: o.reason}
	r.mu.Lock()
	if h != nil {
		ev.Host = h.name
	}
	for _, c := range r.summary.Hosts {
		ev.Fetched += c.Fetched
	}
	ev.Pending = r.pending
	r.mu.Unlock()
	fn(ev)
}
