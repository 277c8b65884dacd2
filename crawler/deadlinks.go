package crawler

import (
	"context"
	"fmt"
	"lede"
	"net/http"
	"time"
)

// Dead links (issue 10): a page that answered 404 or 410, or a soft 404 (a 200 page that says
// it does not exist), is recorded as lede.KindNotFound and not fetched again for a while
// (WithRetryDeadAfter, 30 days by default), unless a sitemap or feed lists it with a date
// after that answer: a site's dead menu and "most read" links would otherwise cost the
// host's delay on every cron run.

// DefaultRetryDeadAfter is how long a dead link is left alone by default.
const DefaultRetryDeadAfter = 30 * 24 * time.Hour

// WithRetryDeadAfter sets how long a URL that answered 404 or 410, or was a soft 404, is
// not fetched again (default 30 days; 0 fetches it again on every run). A sitemap or feed
// listing it with a newer date has it fetched at once.
func WithRetryDeadAfter(d time.Duration) Option {
	return func(c *config) { c.retryDeadAfter = max(d, 0) }
}

// statusRecordKind is the fetch-record kind of an answer of status 300 or more that is
// neither retried nor followed: a dead link for 404 and 410, else skipped.
func statusRecordKind(status int) lede.Kind {
	if status == http.StatusNotFound || status == http.StatusGone {
		return lede.KindNotFound
	}
	return lede.KindSkipped
}

// deadLink reports whether the page of it must not be fetched now, having been found dead
// recently (rec is its fetch record, have whether there is one), with the reason.
func (r *run) deadLink(it lede.QueueItem, rec lede.FetchRecord, have bool) (string, bool) {
	wait := r.c.cfg.retryDeadAfter
	if it.Kind != lede.KindPage || !have || rec.Kind != lede.KindNotFound || wait <= 0 || r.c.cfg.refresh {
		return "", false
	}
	if time.Since(rec.LastFetch) >= wait {
		return "", false
	}
	if l := r.listingOf(it); l.date > 0 && time.Unix(l.date, 0).After(rec.LastFetch) {
		return "", false // listed again since: it may be back
	}
	what := rec.Reason
	if rec.Status != http.StatusOK && rec.Status != 0 {
		what = fmt.Sprintf("HTTP %d", rec.Status)
	}
	return fmt.Sprintf("dead link (%s on %s): not fetched again before %s", what,
		rec.LastFetch.UTC().Format("2006-01-02"), rec.LastFetch.Add(wait).UTC().Format("2006-01-02")), true
}

// maxListingWait bounds how long a dead link waits for its site's sitemaps and feeds.
const maxListingWait = time.Minute

// listingQueued counts a sitemap or feed pushed in this run toward its site's listings
// (r.mu held). In a crawl shared by several processes it counts those this process took
// from the frontier instead: a listing it pushed may be read by another process, whose
// dates never reach this one, and would keep its dead links waiting maxListingWait.
func (r *run) listingQueued(it lede.QueueItem) {
	if it.Kind == lede.KindSitemap || it.Kind == lede.KindFeed {
		if s := r.siteOf(it.URL); s != nil {
			s.listings++
		}
	}
}

// listingDone counts a sitemap or feed done (r.mu held).
func (r *run) listingDone(it lede.QueueItem) {
	if it.Kind == lede.KindSitemap || it.Kind == lede.KindFeed {
		if s := r.siteOf(it.URL); s != nil && s.listings > 0 {
			s.listings--
		}
	}
}

// awaitListings puts a dead link back in its host's queue for a moment while its site's
// sitemaps and feeds of this run are still being read (at most maxListingWait): one of them
// may list it anew. It reports whether it did.
func (r *run) awaitListings(h *host, t *task) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.siteOf(t.item.URL)
	if s == nil || s.listings == 0 || r.stopping != "" {
		return false
	}
	now := time.Now()
	if t.awaitUntil.IsZero() {
		t.awaitUntil = now.Add(maxListingWait)
	}
	if now.After(t.awaitUntil) {
		return false
	}
	t.notBefore = now.Add(200 * time.Millisecond)
	h.queue = append(h.queue, t)
	return true
}

// HubPageStore is what keeping the raw pages of doubtful fronts needs from the store (for
// lede reclassify). *store.DB implements it; a Store without it keeps none.
type HubPageStore interface {
	PutHubPage(ctx context.Context, url string, page []byte) error
	DeleteHubPage(ctx context.Context, url string) error
	HubPage(ctx context.Context, url string) ([]byte, error)
}

// keepHubPage keeps or drops the raw page of a front as the outcome says.
func (r *run) keepHubPage(u string, o outcome) {
	hs, ok := r.c.store.(HubPageStore)
	if !ok {
		return
	}
	var err error
	switch {
	case o.hubPage != nil:
		err = hs.PutHubPage(r.storeCtx, u, o.hubPage)
	case o.dropHubPage:
		err = hs.DeleteHubPage(r.storeCtx, u)
	}
	if err != nil {
		r.log.Warn("raw page of a front not kept", "url", u, "err", err)
	}
}
