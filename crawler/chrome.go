package crawler

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"lede"
	"maps"
	"slices"
	"strings"
	"time"

	"lede/extract"
	"lede/store"
)

// Learned chrome (issue 6). Every HTML page the crawler fetches for the first time has the
// fingerprints of its text blocks counted per host in the store (extract's
// Document.BlockFingerprints; a window of pages per host, then store's AddBlockCounts).
// Blocks found on at least ChromeMinShare of a host's pages, once ChromeMinPages pages were
// counted, are that host's chrome: the crawler removes them from the host's articles as it
// goes (extract's WithDropBlock; the article's own paragraph run is never touched), and at
// the end of a run cleans again, from their raw pages, the host's stored articles that were
// cleaned with another set than the final one (Reclean does it for a whole site).

// Thresholds of learned chrome.
const (
	// ChromeMinPages is how many pages of a host must be counted before any of its blocks
	// counts as chrome: a few pages teach nothing.
	ChromeMinPages = 20
	// ChromeMinShare is the share of a host's pages a block must be on to be chrome.
	ChromeMinShare = 0.6
	// chromeKeepShare is the share a block already learned at the start of a run must
	// stay above to remain chrome during the run: a block around ChromeMinShare does not
	// flip in and out as pages are counted (each flip cleans the host's articles again).
	chromeKeepShare = 0.5
)

// ChromeStore is what learning a site's chrome needs from the store. *store.DB implements
// it; a Store without it crawls without learned chrome.
type ChromeStore interface {
	AddBlockCounts(ctx context.Context, host string, pages int, counts map[uint64]int) error
	HostChrome(ctx context.Context, host string, minPages int, minShare float64) (map[uint64]bool, error)
	ChromeStats(ctx context.Context, host string) (pages, fingerprints int, err error)
}

// RecleanStore is what cleaning stored articles again needs from the store. *store.DB
// implements it.
type RecleanStore interface {
	HostChrome(ctx context.Context, host string, minPages int, minShare float64) (map[uint64]bool, error)
	Articles(ctx context.Context, f store.Filter, fn func(*lede.Article) error) error
	Raw(ctx context.Context, idOrURL string) ([]byte, error)
	Get(ctx context.Context, idOrURL string) (*lede.Article, error)
	ReplaceText(ctx context.Context, id, text, htmlText string) (bool, error)
}

// Chrome is a host's learned chrome: the fingerprints (lede.Fingerprint) of its blocks.
type Chrome map[uint64]bool

// LoadChrome returns the learned chrome of host (a host name or URL) with the crawler's
// thresholds; empty while too few of its pages were counted.
func LoadChrome(ctx context.Context, cs interface {
	HostChrome(ctx context.Context, host string, minPages int, minShare float64) (map[uint64]bool, error)
}, host string) (Chrome, error) {
	set, err := cs.HostChrome(ctx, lede.SiteOf(host), ChromeMinPages, ChromeMinShare)
	return Chrome(set), err
}

// loadChromeKeeping is LoadChrome, plus the blocks of start still on chromeKeepShare of
// the host's pages.
func loadChromeKeeping(ctx context.Context, cs interface {
	HostChrome(ctx context.Context, host string, minPages int, minShare float64) (map[uint64]bool, error)
}, host string, start Chrome) (Chrome, error) {
	set, err := LoadChrome(ctx, cs, host)
	if err != nil || len(start) == 0 {
		return set, err
	}
	loose, err := cs.HostChrome(ctx, lede.SiteOf(host), ChromeMinPages, chromeKeepShare)
	if err != nil {
		return nil, err
	}
	for fp := range loose {
		if start[fp] {
			set[fp] = true
		}
	}
	return set, nil
}

// Options returns the extract options that remove this chrome (none when it is empty).
func (c Chrome) Options() []extract.Option {
	if len(c) == 0 {
		return nil
	}
	return []extract.Option{extract.WithDropBlock(func(norm string) bool { return c[lede.NormalizedFingerprint(norm)] })}
}

// digest identifies the set: equal sets have equal digests (0 for the empty set).
func (c Chrome) digest() uint64 {
	if len(c) == 0 {
		return 0
	}
	fps := make([]uint64, 0, len(c))
	for fp := range c {
		fps = append(fps, fp)
	}
	slices.Sort(fps)
	h := fnv.New64a()
	var b [8]byte
	for _, fp := range fps {
		binary.BigEndian.PutUint64(b[:], fp)
		h.Write(b[:])
	}
	return h.Sum64() | 1
}

// hostChrome is what a run knows of one host's chrome.
type hostChrome struct {
	set        Chrome
	digest     uint64
	loadedAt   int // pages counted by this run when set was loaded
	counted    int // pages counted by this run
	storePages int // pages the store had counted when set was loaded
	// Reclean at the end of the run: start is the digest of the set first read, which the
	// host's articles stored before this run were cleaned with (earlier says there are
	// some); cleaned lists this run's stored articles and the digests they were cleaned
	// with, up to maxCleanedListed (overflow: more).
	start    uint64
	startSet Chrome
	earlier  bool
	cleaned  []cleanedArticle
	overflow bool
}

// chromeReload is how many newly counted pages make a run read a host's chrome again:
// a tenth of the pages counted, at least 8.
func chromeReload(storePages int) int { return max(8, storePages/10) }

// learnsChrome reports whether this run learns chrome: the option is on and the store can.
func (r *run) learnsChrome() bool {
	_, ok := r.c.store.(ChromeStore)
	return ok && r.c.cfg.learnChrome
}

// chromeFor returns the learned chrome to clean a page of host key with (nil when the
// store does not learn chrome), reading it again from the store when enough pages were
// counted since.
func (r *run) chromeFor(key string) (Chrome, uint64) {
	cs, _ := r.c.store.(ChromeStore)
	if !r.learnsChrome() || key == "" {
		return nil, 0
	}
	r.chromeMu.Lock()
	defer r.chromeMu.Unlock()
	hc := r.chrome[key]
	if hc != nil && hc.counted-hc.loadedAt < chromeReload(hc.storePages) {
		return hc.set, hc.digest
	}
	var start Chrome
	if hc != nil {
		start = hc.startSet
	}
	set, err := loadChromeKeeping(r.storeCtx, cs, key, start)
	if err != nil {
		r.log.Warn("learned chrome not read", "host", key, "err", err)
		if hc != nil {
			return hc.set, hc.digest
		}
		set = Chrome{}
	}
	pages, _, _ := cs.ChromeStats(r.storeCtx, key)
	if hc == nil {
		hc = &hostChrome{start: set.digest(), startSet: set, earlier: true}
		r.chrome[key] = hc
		if sr, ok := r.c.store.(interface {
			Stats(context.Context) (*store.Stats, error)
		}); ok {
			if st, err := sr.Stats(r.storeCtx); err == nil {
				hc.earlier = st.BySite[key] > 0
			}
		}
	} else if d := set.digest(); d != hc.digest {
		r.log.Info("learned chrome updated", "host", key, "pages", pages, "blocks", len(set))
	}
	hc.set, hc.digest, hc.loadedAt, hc.storePages = set, set.digest(), hc.counted, pages
	return hc.set, hc.digest
}

// Page block counts reach the store through a window per host: windowPages pages are
// counted in memory, then written at once, leaving out the fingerprints found on a single
// page of a full window. Those are the article's own sentences, most of every page's blocks;
// a block on ChromeMinShare of a host's pages is on many pages of every window. Writing only
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
	cs, _ := r.c.store.(ChromeStore)
	if w.pages >= windowPages/2 {
		maps.DeleteFunc(w.counts, func(_ uint64, n int) bool { return n < 2 })
	}
	if err := cs.AddBlockCounts(r.storeCtx, key, w.pages, w.counts); err != nil {
		r.log.Warn("page blocks not counted", "host", key, "err", err)
		return
	}
	r.chromeMu.Lock()
	if hc := r.chrome[key]; hc != nil {
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
func (r *run) cleanedWith(key, id string, d uint64) {
	r.chromeMu.Lock()
	if hc := r.chrome[key]; hc != nil {
		if len(hc.cleaned) < maxCleanedListed {
			hc.cleaned = append(hc.cleaned, cleanedArticle{id, d})
		} else {
			hc.overflow = true
		}
	}
	r.chromeMu.Unlock()
}

// recleanChanged cleans again, at the end of a run, the stored articles of each host that
// were cleaned with another chrome than the host's final learned set: this run's articles
// stored with an older set and, when the set changed during the run, the host's articles
// stored before it. With onlyReport, it logs which hosts need it (lede reclean) instead.
func (r *run) recleanChanged(ctx context.Context, onlyReport bool) {
	rs, ok := r.c.store.(RecleanStore)
	if !ok || !r.c.cfg.learnChrome {
		return
	}
	type job struct {
		set Chrome
		all bool     // every stored article of the host
		ids []string // else these
	}
	jobs := map[string]job{}
	r.chromeMu.Lock()
	for key, hc := range r.chrome {
		set, err := loadChromeKeeping(ctx, rs, key, hc.startSet)
		if err != nil {
			r.log.Warn("learned chrome not read", "host", key, "err", err)
			continue
		}
		d := set.digest()
		j := job{set: set, all: hc.overflow || (hc.earlier && hc.start != d)}
		if !j.all {
			for _, c := range hc.cleaned {
				if c.digest != d {
					j.ids = append(j.ids, c.id)
				}
			}
		}
		if j.all || len(j.ids) > 0 {
			jobs[key] = j
		}
	}
	r.chromeMu.Unlock()
	for key, j := range jobs {
		if onlyReport {
			r.log.Warn("articles were stored with an older learned chrome; to clean them again run: lede reclean --site "+key, "host", key)
			continue
		}
		start := time.Now()
		chromeOf := func(string) Chrome { return j.set }
		var res RecleanResult
		var err error
		if j.all {
			res, err = recleanSite(ctx, rs, key, chromeOf, r.log.Warn)
		} else {
			res, err = recleanIDs(ctx, rs, key, j.ids, chromeOf, r.log.Warn)
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
}

// RecleanResult is what Reclean did to a site's stored articles.
type RecleanResult struct {
	Site         string `json:"site"`
	ChromeBlocks int    `json:"chrome_blocks"` // learned chrome blocks of the site's host
	Checked      int    `json:"checked"`       // stored articles looked at
	Updated      int    `json:"updated"`       // articles whose text was replaced (same ID)
	Unchanged    int    `json:"unchanged"`     // articles whose text came out the same
	Kept         int    `json:"kept"`          // articles left as they were: no raw page, or the new text is not the old one minus some blocks
}

// Reclean extracts the stored articles of site again from their raw pages, removing the
// learned chrome of the host each was fetched from, and replaces an article's text in place
// (same ID) when it changed. While nothing is learned for site it does nothing. An article
// whose raw page is missing, whose page yields no article, or whose new text is not the old
// text minus some blocks (another extractor version, a charset only the lost HTTP header
// named) is kept as it was.
func Reclean(ctx context.Context, rs RecleanStore, site string, warn func(msg string, args ...any)) (RecleanResult, error) {
	cache := map[string]Chrome{}
	var loadErr error
	chromeOf := func(host string) Chrome {
		if set, ok := cache[host]; ok {
			return set
		}
		set, err := LoadChrome(ctx, rs, host)
		if err != nil && loadErr == nil {
			loadErr = err
		}
		cache[host] = set
		return set
	}
	res, err := recleanSite(ctx, rs, site, chromeOf, warn)
	if err == nil {
		err = loadErr
	}
	return res, err
}

// recleanSite is Reclean with the chrome of each article's host given by chromeOf.
func recleanSite(ctx context.Context, rs RecleanStore, site string, chromeOf func(host string) Chrome, warn func(msg string, args ...any)) (RecleanResult, error) {
	site = lede.NormalizeHost(site)
	res := RecleanResult{Site: site, ChromeBlocks: len(chromeOf(site))}
	if res.ChromeBlocks == 0 {
		return res, nil // nothing learned: the articles are as clean as extraction makes them
	}
	// Only an article with a line of learned chrome in its text can change (see inText):
	// the others are checked on the way and never extracted again.
	var ids []string
	err := rs.Articles(ctx, store.Filter{Site: site}, func(a *lede.Article) error {
		res.Checked++
		if chromeOf(lede.SiteOf(a.URL)).inText(a.Text) {
			ids = append(ids, a.ID)
		} else {
			res.Unchanged++
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("articles of %s: %w", site, err)
	}
	err = recleanEach(ctx, rs, ids, chromeOf, warn, &res)
	return res, err
}

// recleanIDs is Reclean for the articles ids of site only.
func recleanIDs(ctx context.Context, rs RecleanStore, site string, ids []string, chromeOf func(host string) Chrome, warn func(msg string, args ...any)) (RecleanResult, error) {
	res := RecleanResult{Site: lede.NormalizeHost(site), ChromeBlocks: len(chromeOf(site))}
	res.Checked = len(ids)
	err := recleanEach(ctx, rs, ids, chromeOf, warn, &res)
	return res, err
}

// recleanEach cleans the articles ids again and counts the outcomes in res.
func recleanEach(ctx context.Context, rs RecleanStore, ids []string, chromeOf func(host string) Chrome, warn func(msg string, args ...any), res *RecleanResult) error {
	if warn == nil {
		warn = func(string, ...any) {}
	}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return err
		}
		changed, err := recleanOne(ctx, rs, id, chromeOf)
		switch {
		case errors.Is(err, errKeep):
			res.Kept++
		case err != nil:
			res.Kept++
			warn("article not cleaned again", "id", id, "err", err)
		case changed:
			res.Updated++
		default:
			res.Unchanged++
		}
	}
	return nil
}

// errKeep says an article is better left as it is.
var errKeep = errors.New("kept as stored")

// recleanOne cleans one stored article again.
func recleanOne(ctx context.Context, rs RecleanStore, id string, chromeOf func(host string) Chrome) (changed bool, err error) {
	defer func() {
		// One hostile page must not end the reclean (nor the crawl it closes).
		if p := recover(); p != nil {
			changed, err = false, fmt.Errorf("extract panicked: %v", p)
		}
	}()
	old, err := rs.Get(ctx, id)
	if err != nil {
		return false, err
	}
	pageURL := old.URL
	chrome := chromeOf(lede.SiteOf(pageURL))
	if !chrome.inText(old.Text) {
		return false, nil // no line of it is learned chrome: extracting again changes nothing
	}
	raw, err := rs.Raw(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return false, errKeep
	}
	if err != nil {
		return false, err
	}
	a, err := extract.Extract(raw, pageURL, chrome.Options()...)
	if err != nil {
		return false, errKeep // the page gave an article once; it may have been a lucky parse
	}
	if a.Text == old.Text {
		return false, nil
	}
	// Cleaning removes (or, once a block is no longer chrome, restores) whole blocks; any
	// other difference means the page no longer extracts as it did, and the stored text
	// stays. Neither is more than half of the article ever removed.
	if !(onlyRemoved(old.Text, a.Text) || onlyRemoved(a.Text, old.Text)) || 2*len(lede.Words(a.Text)) < len(lede.Words(old.Text)) {
		return false, errKeep
	}
	return rs.ReplaceText(ctx, id, a.Text, a.HTML)
}

// inText reports whether a paragraph or line of an article's text is one of the chrome's
// blocks: only then can cleaning the article again change it. Checking the stored text is
// far cheaper than extracting the raw page again.
func (c Chrome) inText(text string) bool {
	if len(c) == 0 {
		return false
	}
	for para := range strings.SplitSeq(text, "\n\n") {
		if c[lede.Fingerprint(para)] {
			return true
		}
		if strings.Contains(para, "\n") {
			for line := range strings.SplitSeq(para, "\n") {
				if c[lede.Fingerprint(line)] {
					return true
				}
			}
		}
	}
	return false
}

// onlyRemoved reports whether the words of text are the words of old with some removed:
// every word of text, in order, is found in old (cleaning removes blocks, never adds).
func onlyRemoved(old, text string) bool {
	ow, nw := lede.Words(old), lede.Words(text)
	if len(nw) == 0 || len(nw) > len(ow) {
		return false
	}
	i := 0
	for _, w := range nw {
		for i < len(ow) && ow[i] != w {
			i++
		}
		if i == len(ow) {
			return false
		}
		i++
	}
	return true
}
