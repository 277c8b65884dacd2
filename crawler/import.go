package crawler

import (
	"context"
	"fmt"
	"iter"
	"lede"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"lede/warc"
)

// ImportSummary is what one Import did: the crawl's counts per host and their totals, as a
// crawl's Summary has them (Fetched is the archived answers read: response and revisit
// records; Skipped those not stored, an image or a 404 as well as a front without article),
// plus the WARC records read and the records that are no answer to import (requests,
// warcinfo, metadata, other sites). SkippedBy says why, for both: its counts add up to
// Skipped + RecordsSkipped.
type ImportSummary struct {
	Counts
	Records        int                `json:"records"`         // WARC records read
	RecordsSkipped int                `json:"records_skipped"` // records that are no answer of the sites imported
	SkippedBy      map[string]int     `json:"skipped_by"`      // skip reason → records ("request", "HTTP 404", "not HTML: image/png"...)
	Hosts          map[string]*Counts `json:"hosts"`
	Stopped        string             `json:"stopped,omitempty"` // "", "interrupted", "failed"
	ElapsedSeconds float64            `json:"elapsed_s"`
}

// ImportOptions tune Import.
type ImportOptions struct {
	// Sites, when set, keeps only the pages of these sites (host names, as lede names
	// sites: lower case, without "www."); the others are skipped.
	Sites []string
	// Workers is how many pages are extracted at once (0: one per CPU).
	Workers int

	held  *heldPages // when set, counts the pages held at once (tests)
	onRun func(*run) // when set, called by the writers after each page is written (tests)
}

// heldPages counts the archived pages an Import holds in memory at once, from the record
// read to its page written, and the most it held.
type heldPages struct {
	mu        sync.Mutex
	now, peak int
}

func (h *heldPages) add(n int) {
	if h == nil {
		return
	}
	h.mu.Lock()
	h.now += n
	h.peak = max(h.peak, h.now)
	h.mu.Unlock()
}

// importQueue is how many pages wait between the reader and the workers, and between the
// workers and the writers, per worker.
const importQueue = 2

// maxHeldPages bounds the pages an Import holds at once with w workers: those in the two
// queues, one per worker and one per committer, and the one the reader is handing over.
// Memory is flat in the size of the input: at most this many pages (and their parse trees,
// one per worker) are in memory, whatever the number of records.
func maxHeldPages(w int) int { return 1 + importQueue*w + w + importQueue*w + committers }

// importJob is one archived answer on its way through Import.
type importJob struct {
	res  *warc.Response
	url  string // canonical
	host string
	o    outcome
}

// Import runs the HTML answers of archived WARC records through the crawl's page pipeline
// (processPage: charset, article/front decision, cleaning, learned chrome) and stores them
// as a crawl would, deduplicated, with their fetch records dated by the record's WARC-Date.
// Pages are extracted in parallel (Workers) and written through the store's batches, one
// write transaction at a time; nothing is queued or fetched.
// A page already imported from a capture as recent is not extracted again, so a second
// Import of the same files stores nothing. Revisit records are resolved, once the other
// records are stored, against the stored raw page of the URL they refer to, or skipped.
func (c *Crawler) Import(ctx context.Context, records iter.Seq[*warc.Record], o ImportOptions) (*ImportSummary, error) {
	start := time.Now()
	ic := *c
	ic.cfg.maxDepth = -1 // no links are followed: leave them unread
	r := ic.newRun(ctx)
	defer r.cancel()
	sum := &ImportSummary{SkippedBy: map[string]int{}, Hosts: map[string]*Counts{}}
	sites := map[string]bool{}
	for _, s := range o.Sites {
		sites[lede.SiteOf(s)] = true
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var mu sync.Mutex // guards sum
	// skip counts a record that is no answer of the sites imported.
	skip := func(reason string) {
		mu.Lock()
		sum.RecordsSkipped++
		sum.SkippedBy[reason]++
		mu.Unlock()
	}
	// skipAnswer counts an archived answer of host that is not processed (an image, a 404,
	// a revisit whose original is not stored) against its host, as a crawl counts it.
	skipAnswer := func(host, reason string) {
		mu.Lock()
		hc := sum.host(host)
		hc.Fetched++
		hc.Skipped++
		sum.SkippedBy[reason]++
		mu.Unlock()
	}

	// pass runs jobs through the workers and the writer until jobs is closed.
	pass := func(jobs <-chan *importJob) {
		done := make(chan *importJob, importQueue*workers)
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for j := range jobs {
					r.importPage(j)
					done <- j
				}
			})
		}
		go func() { wg.Wait(); close(done) }()
		// The writes: the store commits them in shared bbolt batches, one write transaction
		// at a time. Several committers fill each batch: a lone one would wait for a synced
		// commit per page (the crawl has its committers for the same reason).
		var cw sync.WaitGroup
		for range committers {
			cw.Go(func() {
				for j := range done {
					r.commitImport(j, sum, &mu)
					o.held.add(-1)
					if o.onRun != nil {
						o.onRun(r)
					}
				}
			})
		}
		cw.Wait()
	}

	var revisits []*importJob
	jobs := make(chan *importJob, importQueue*workers)
	go func() {
		defer close(jobs)
		for rec := range records {
			if ctx.Err() != nil || r.failed() {
				return
			}
			mu.Lock()
			sum.Records++
			mu.Unlock()
			if rec.Response == nil {
				if j, reason := r.importJob(&warc.Response{URL: rec.URL}, sites); rec.URL != "" && reason == "" {
					skipAnswer(j.host, rec.Skip)
				} else {
					skip(rec.Skip)
				}
				continue
			}
			j, reason := r.importJob(rec.Response, sites)
			switch {
			case reason != "":
				skip(reason)
			case rec.Response.RefersTo != "":
				revisits = append(revisits, j) // resolved once every response is stored
			default:
				o.held.add(1)
				jobs <- j
			}
		}
	}()
	pass(jobs)

	// Revisits: the page they repeat is stored by now, if it ever will be.
	if ctx.Err() == nil && !r.failed() && len(revisits) > 0 {
		jobs := make(chan *importJob, importQueue*workers)
		go func() {
			defer close(jobs)
			for _, j := range revisits {
				if reason := r.resolveRevisit(j); reason != "" {
					skipAnswer(j.host, reason)
					continue
				}
				o.held.add(1)
				jobs <- j
			}
		}()
		pass(jobs)
	}

	if r.learnsChrome() {
		r.flushWindows()
	}
	r.finishKinds()
	switch {
	case ctx.Err() != nil:
		sum.Stopped = "interrupted"
		r.recleanChanged(r.storeCtx, true)
	case r.fatal != nil:
		sum.Stopped = "failed"
	default:
		r.recleanChanged(ctx, false)
		for name, hc := range sum.Hosts {
			if c := r.summary.Hosts[name]; c != nil { // what recleanChanged counted
				hc.Recleaned += c.Recleaned
			}
		}
	}
	for _, hc := range sum.Hosts {
		sum.Counts.add(hc)
	}
	sum.ElapsedSeconds = time.Since(start).Seconds()
	return sum, r.fatal
}

// commitImport writes what came of one archived page and counts it in sum (guarded by mu).
func (r *run) commitImport(j *importJob, sum *ImportSummary, mu *sync.Mutex) {
	if j.o.rec != nil && !r.failed() {
		if err := r.store(r.storeCtx, j.url, &j.o); err != nil {
			r.fail(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	hc := sum.host(j.host)
	hc.Fetched++
	hc.bump(j.o.counter)
	if j.o.counter == lede.OutcomeSkipped {
		sum.SkippedBy[skipKey(j.o)]++
	}
}

// host returns the counts of host, adding them on first use.
func (s *ImportSummary) host(name string) *Counts {
	hc := s.Hosts[name]
	if hc == nil {
		hc = &Counts{}
		s.Hosts[name] = hc
	}
	return hc
}

// failed reports whether the run hit a fatal (store) error.
func (r *run) failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fatal != nil
}

// importJob checks an archived answer's URL and site; a reason says why it is skipped.
func (r *run) importJob(res *warc.Response, sites map[string]bool) (*importJob, string) {
	u, err := lede.Canonicalize(res.URL)
	if err != nil {
		return nil, "bad URL"
	}
	if len(sites) > 0 && !sites[lede.SiteOf(u)] {
		return nil, "other site"
	}
	pu, _ := url.Parse(u)
	host := pu.Host
	r.ensureHostSummary(host)
	return &importJob{res: res, url: u, host: host}, ""
}

// ensureHostSummary makes sure the run's summary has the host, so that recleanChanged can
// count the articles it cleans again.
func (r *run) ensureHostSummary(host string) {
	r.mu.Lock()
	if r.summary.Hosts[host] == nil {
		r.summary.Hosts[host] = &Counts{}
	}
	r.mu.Unlock()
}

// resolveRevisit gives a revisit job the payload it repeats: the raw page stored for the
// URL it refers to. A reason says why it cannot.
func (r *run) resolveRevisit(j *importJob) string {
	ref, err := lede.Canonicalize(j.res.RefersTo)
	if err != nil {
		return "revisit: bad WARC-Refers-To-Target-URI"
	}
	if ref == j.url {
		j.res.RefersTo = ""
		return "revisit: same page as its original"
	}
	rs, ok := r.c.store.(interface {
		Raw(ctx context.Context, idOrURL string) ([]byte, error)
	})
	if !ok {
		return "revisit: original not stored"
	}
	raw, err := rs.Raw(r.storeCtx, ref)
	if err != nil {
		return "revisit: original not stored"
	}
	j.res.Body, j.res.RefersTo = raw, ""
	return ""
}

// importPage runs one archived answer through processPage, unless the store already has
// what a capture as recent gave; j.o is the outcome to write ("" counter: nothing).
func (r *run) importPage(j *importJob) {
	ctx := r.storeCtx
	res := j.res
	date := res.Date
	if date.IsZero() {
		date = time.Now()
	}
	old, have, err := r.c.store.GetFetch(ctx, j.url)
	if err != nil {
		r.fail(fmt.Errorf("fetch record of %s: %w", j.url, err))
		j.o = outcome{counter: lede.OutcomeError, reason: err.Error()}
		return
	}
	if have && !date.After(old.LastFetch) {
		if old.Kind == lede.KindArticle {
			j.o = outcome{counter: lede.OutcomeAlreadyStored}
		} else {
			j.o = outcome{counter: lede.OutcomeSkipped, reason: "imported before"}
		}
		return // the fetch record stays as it is: j.o.rec is nil
	}
	if !have {
		stored, err := r.c.store.HasArticle(ctx, j.url)
		if err != nil {
			r.fail(fmt.Errorf("article lookup %s: %w", j.url, err))
			j.o = outcome{counter: lede.OutcomeError, reason: err.Error()}
			return
		}
		if stored { // saved by lede extract --save: no fetch record, nothing newer to learn
			j.o = outcome{counter: lede.OutcomeAlreadyStored}
			return
		}
	}
	rec := &lede.FetchRecord{
		Status:       res.Status,
		ETag:         res.Header.Get("ETag"),
		LastModified: res.Header.Get("Last-Modified"),
		LastFetch:    date,
	}
	fr := &fetchResult{status: res.Status, header: res.Header, body: res.Body, finalURL: j.url,
		contentType: res.Header.Get("Content-Type")}
	item := lede.QueueItem{URL: j.url, Kind: lede.KindPage}
	j.o = r.processPage(nil, item, fr, rec, !have, have && old.Kind == lede.KindHub)
	j.o.children = nil // nothing is queued: an import only stores what it is given
	j.res = nil        // the body is no longer needed (o.raw keeps an article's page)
}

// skipKey is the summary's skipped_by key of a page not stored: the kind of page (media,
// not-found) or the reason without its details ("no article: <why>" → "no article").
func skipKey(o outcome) string {
	if o.rec != nil && (o.rec.Kind == lede.KindMedia || o.rec.Kind == lede.KindNotFound) {
		return string(o.rec.Kind)
	}
	if k, _, ok := strings.Cut(o.reason, ":"); ok && (k == "no article" || k == "parse" || k == "extract panicked") {
		return k
	}
	return o.reason
}
