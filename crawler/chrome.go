package crawler

import (
	"context"
	"maps"
	"time"

	"lede"
	"lede/chrome"
)

// Learning chrome during a crawl (package chrome holds what it is and how it is read). Every
// HTML page the crawler fetches for the first time has the fingerprints of its text blocks
// counted per host in the store (extract's Document.BlockFingerprints; a window of pages per
// host, then the store's AddBlockCounts). The crawler removes a host's learned chrome from
// its articles as it goes (chrome.Set.Options; the article's own paragraph run is never
// touched), and at the end of a run cleans again, from their raw pages, the host's stored
// articles that were cleaned with another set than the final one.

// hostChrome is what a run knows of one host's chrome.
type hostChrome struct {
	set        chrome.Set
	digest     uint64
	loadedAt   int // pages counted by this run when set was loaded
	counted    int // pages counted by this run
	storePages int // pages the store had counted when set was loaded
	// Reclean at the end of the run: start is the digest of the set first read, which the
	// host's articles stored before this run were cleaned with (earlier says there are
	// some); cleaned lists this run's stored articles and the digests they were cleaned
	// with, up to maxCleanedListed (overflow: more).
	start    uint64
	startSet chrome.Set
	earlier  bool
	cleaned  []cleanedArticle
	overflow bool
}

// chromeReload is how many newly counted pages make a run read a host's chrome again:
// a tenth of the pages counted, at least 8.
func chromeReload(storePages int) int { return max(8, storePages/10) }

// learnsChrome reports whether this run learns chrome: the option is on and the store can.
func (r *run) learnsChrome() bool {
	_, ok := r.c.store.(chrome.Store)
	return ok && r.c.cfg.learnChrome
}

// chromeFor returns the learned chrome to clean a page of host key with (nil when the
// store does not learn chrome), reading it again from the store when enough pages were
// counted since.
func (r *run) chromeFor(key string) (chrome.Set, uint64) {
	if !r.learnsChrome() || key == "" {
		return nil, 0
	}
	r.chromeMu.Lock()
	hc := r.hostChromeLocked(key)
	set, digest := hc.set, hc.digest
	evicted := r.chromeEvicted
	r.chromeEvicted = nil
	r.chromeMu.Unlock()
	r.settleEvicted(evicted)
	return set, digest
}

// hostChromeLocked returns the run's state of host key's chrome, reading the host's set from
// the store when it is new to the run (or was put out of memory) and when enough pages were
// counted since it was read (r.chromeMu held). A host it adds may put out another one,
// which it leaves in r.chromeEvicted.
func (r *run) hostChromeLocked(key string) *hostChrome {
	cs := r.chromeCounts()
	hc, _ := r.chrome.Get(key)
	if hc != nil && hc.counted-hc.loadedAt < chromeReload(hc.storePages) {
		return hc
	}
	var start chrome.Set
	if hc != nil {
		start = hc.startSet
	}
	set, err := chrome.LoadKeeping(r.storeCtx, cs, key, start)
	if err != nil {
		r.log.Warn("learned chrome not read", "host", key, "err", err)
		if hc != nil {
			return hc
		}
		set = chrome.Set{}
	}
	pages, _, _ := cs.ChromeStats(r.storeCtx, key)
	if hc == nil {
		hc = &hostChrome{start: set.Digest(), startSet: set, earlier: true}
		if sr, ok := r.c.store.(interface {
			SiteArticles(context.Context, string) (int, error)
		}); ok {
			if n, err := sr.SiteArticles(r.storeCtx, key); err == nil {
				hc.earlier = n > 0
			}
		}
		r.chrome.Add(key, hc)
	} else if d := set.Digest(); d != hc.digest {
		r.log.Info("learned chrome updated", "host", key, "pages", pages, "blocks", len(set))
	}
	hc.set, hc.digest, hc.loadedAt, hc.storePages = set, set.Digest(), hc.counted, pages
	return hc
}

// evictedChrome is a host's chrome state put out of memory, waiting for settleEvicted.
type evictedChrome struct {
	key string
	hc  *hostChrome
}

// settleEvicted does for hosts put out of memory what the end of the run would have done:
// it cleans again their articles stored with another chrome than their set now (or, once
// the run is interrupted, says which hosts need lede reclean). Their block counts are in
// the store already or in a window (written on its own), so nothing learned is lost; a
// host that comes back reads its chrome from the store again.
func (r *run) settleEvicted(evicted []evictedChrome) {
	rs, ok := r.c.store.(chrome.RecleanStore)
	if !ok || len(evicted) == 0 || r.failed() {
		return
	}
	onlyReport := r.ctx.Err() != nil
	for _, e := range evicted {
		// The host's open window first: the chrome its articles are cleaned again with
		// counts every page seen so far, not only those already written.
		r.chromeMu.Lock()
		w := r.windows[e.key]
		if w != nil {
			delete(r.windows, e.key)
			r.buffered -= w.pages
		}
		r.chromeMu.Unlock()
		if w != nil {
			r.writeWindow(e.key, w)
		}
		if j, ok := r.recleanJobFor(r.storeCtx, e.key, e.hc); ok {
			r.reclean(r.storeCtx, rs, e.key, j, onlyReport)
		}
	}
}

// Page block counts reach the store through a window per host: windowPages pages are
// counted in memory, then written at once, leaving out the fingerprints found on a single
// page of a full window. Those are the article's own sentences, most of every page's blocks;
// a block on chrome.MinShare of a host's pages is on many pages of every window. Writing only
// the repeated ones keeps the store's work per page small and the per-host counts far from
// their cap. Windows are written when full, when all hosts together hold maxBufferedPages
// pages, and at the end of the run (a crawl killed outright loses its open windows' counts:
// at most windowPages pages of each host).
const (
	windowPages      = 16
	maxBufferedPages = 256
)

// blockWindow is the block counts of a host's pages not yet written to the store.
type blockWindow struct {
	pages  int
	counts map[uint64]int
}

// countPage adds one page's block fingerprints to its host's window, writing windows that
// are due.
func (r *run) countPage(key string, fps []uint64) {
	if !r.learnsChrome() || key == "" || len(fps) == 0 {
		return
	}
	due := map[string]*blockWindow{}
	r.chromeMu.Lock()
	w := r.windows[key]
	if w == nil {
		w = &blockWindow{counts: map[uint64]int{}}
		r.windows[key] = w
	}
	w.pages++
	r.buffered++
	for _, fp := range fps {
		w.counts[fp]++
	}
	if w.pages >= windowPages {
		due[key] = w
	}
	if r.buffered >= maxBufferedPages {
		maps.Copy(due, r.windows)
	}
	for k, w := range due {
		delete(r.windows, k)
		r.buffered -= w.pages
	}
	r.chromeMu.Unlock()
	for k, w := range due {
		r.writeWindow(k, w)
	}
}

// flushWindows writes every host's open window.
func (r *run) flushWindows() {
	r.chromeMu.Lock()
	due := r.windows
	r.windows, r.buffered = map[string]*blockWindow{}, 0
	r.chromeMu.Unlock()
	for k, w := range due {
		r.writeWindow(k, w)
	}
}

// writeWindow adds a window's counts to the store in one transaction. In a window of half
// its size or more, fingerprints seen on a single page are left out.
func (r *run) writeWindow(key string, w *blockWindow) {
	if w.pages >= windowPages/2 {
		maps.DeleteFunc(w.counts, func(_ uint64, n int) bool { return n < 2 })
	}
	cs := r.chromeCounts()
	if local, _ := r.c.store.(chrome.Store); local != cs {
		// A shared crawl's counts are the crawl's; the store keeps its own pages' too, for
		// lede stats and lede reclean on this shard.
		if err := local.AddBlockCounts(r.storeCtx, key, w.pages, w.counts); err != nil {
			r.log.Warn("page blocks not counted in the store", "host", key, "err", err)
		}
	}
	if err := cs.AddBlockCounts(r.storeCtx, key, w.pages, w.counts); err != nil {
		r.log.Warn("page blocks not counted", "host", key, "err", err)
		return
	}
	r.chromeMu.Lock()
	if hc, ok := r.chrome.Peek(key); ok {
		hc.counted += w.pages
	}
	r.chromeMu.Unlock()
}

// cleanedArticle is an article stored in this run and the digest of the chrome it was
// cleaned with.
type cleanedArticle struct {
	id     string
	digest uint64
}

// maxCleanedListed bounds how many stored articles a run lists per host for recleaning;
// beyond, the host's whole store is checked.
const maxCleanedListed = 100_000

// cleanedWith notes that article id of host key was stored cleaned with chrome digest d.
// A host put out of memory since the page was cleaned is read again, so that the article is
// checked at the end of the run all the same.
func (r *run) cleanedWith(key, id string, d uint64) {
	if !r.learnsChrome() || key == "" {
		return
	}
	r.chromeMu.Lock()
	hc, ok := r.chrome.Get(key)
	if !ok {
		hc = r.hostChromeLocked(key)
	}
	if len(hc.cleaned) < maxCleanedListed {
		hc.cleaned = append(hc.cleaned, cleanedArticle{id, d})
	} else {
		hc.overflow = true
	}
	evicted := r.chromeEvicted
	r.chromeEvicted = nil
	r.chromeMu.Unlock()
	r.settleEvicted(evicted)
}

// recleanChanged cleans again, at the end of a run, the stored articles of each host that
// were cleaned with another chrome than the host's final learned set: this run's articles
// stored with an older set and, when the set changed during the run, the host's articles
// stored before it. With onlyReport, it logs which hosts need it (lede reclean) instead.
func (r *run) recleanChanged(ctx context.Context, onlyReport bool) {
	rs, ok := r.c.store.(chrome.RecleanStore)
	if !ok || !r.c.cfg.learnChrome {
		return
	}
	jobs := map[string]recleanJob{}
	r.chromeMu.Lock()
	for _, key := range r.chrome.Keys() {
		hc, _ := r.chrome.Peek(key)
		if j, ok := r.recleanJobFor(ctx, key, hc); ok {
			jobs[key] = j
		}
	}
	r.chromeMu.Unlock()
	for key, j := range jobs {
		r.reclean(ctx, rs, key, j, onlyReport)
	}
}

// recleanJob is which of a host's stored articles to clean again, and with what set.
type recleanJob struct {
	set chrome.Set
	all bool     // every stored article of the host
	ids []string // else these
}

// recleanJobFor returns the articles of host key (in state hc) cleaned with another chrome
// than the host's learned set now; false when there are none.
func (r *run) recleanJobFor(ctx context.Context, key string, hc *hostChrome) (recleanJob, bool) {
	set, err := chrome.LoadKeeping(ctx, r.chromeCounts(), key, hc.startSet)
	if err != nil {
		r.log.Warn("learned chrome not read", "host", key, "err", err)
		return recleanJob{}, false
	}
	d := set.Digest()
	j := recleanJob{set: set, all: hc.overflow || (hc.earlier && hc.start != d)}
	if !j.all {
		for _, c := range hc.cleaned {
			if c.digest != d {
				j.ids = append(j.ids, c.id)
			}
		}
	}
	return j, j.all || len(j.ids) > 0
}

// reclean cleans again the articles of host key that j names, counting them in the
// summary, or with onlyReport logs that the host needs lede reclean.
func (r *run) reclean(ctx context.Context, rs chrome.RecleanStore, key string, j recleanJob, onlyReport bool) {
	if onlyReport {
		r.log.Warn("articles were stored with an older learned chrome; to clean them again run: lede reclean --site "+key, "host", key)
		return
	}
	start := time.Now()
	var res chrome.RecleanResult
	var err error
	if j.all {
		res, err = chrome.RecleanWith(ctx, rs, key, j.set, r.log.Warn)
	} else {
		res, err = chrome.RecleanIDs(ctx, rs, key, j.ids, j.set, r.log.Warn)
	}
	if err != nil {
		r.log.Warn("stored articles not cleaned again", "host", key, "err", err)
	}
	r.log.Info("cleaned stored articles again with learned chrome", "host", key, "blocks", len(j.set),
		"checked", res.Checked, "updated", res.Updated, "kept", res.Kept, "elapsed", time.Since(start).Round(time.Millisecond))
	r.mu.Lock()
	for name, c := range r.summary.Hosts {
		if lede.SiteOf(name) == key {
			c.Recleaned += res.Updated
			break
		}
	}
	r.mu.Unlock()
}
