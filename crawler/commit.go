package crawler

// Committing a URL's outcome: the store, the frontier, the counts and events.

import (
	"context"
	"fmt"
	"lede"
	"time"

	"lede/store"
)

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
// a doubtful front, and the fetch record (in a shared crawl, also for the other processes).
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
		if err := r.recordVisit(ctx, u, *o.rec, o.article); err != nil {
			return fmt.Errorf("the crawl's record of visits: %w", err)
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
