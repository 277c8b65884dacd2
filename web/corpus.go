package web

import (
	"cmp"
	"context"
	"errors"
	"lede"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"lede/store"
)

// The corpus is what the UI keeps in memory about the stored articles: a short entry per
// article (for lists, the chart and search results) and an inverted index of their words.
// It is read from the store at start, in pieces (see load), and kept up to date by reading
// the articles first seen after the last one it holds (store.ArticlesSeenAfter): a crawl
// adds articles, it never removes any. Texts replaced in place (lede reclean, --refresh)
// keep their old terms until the next full rebuild, which runs when the store changed and
// the index is an hour old.
//
// Why in memory rather than a word index written by the store: building it costs a read of
// every article once per start (about two seconds per 20,000 articles on one core, in the
// background, pages answer meanwhile), while a bbolt word index would cost every crawl
// hundreds of random writes per article, forever, and tie the store's schema to one
// tokeniser. Memory is the price: see README ("Search").

// entry is what the UI lists about an article without reading it from the store.
type entry struct {
	ID    string
	Title string
	Site  string
	Lang  string
	Date  time.Time // published, else first seen: the store's date order
	Seen  time.Time // first seen
	Words int
}

// docID numbers the corpus's entries in first-seen order.
type docID = uint32

// corpus is the entries and the index. Its methods are safe for concurrent use.
type corpus struct {
	mu      sync.RWMutex
	entries []entry          // in first-seen order: the latest last
	byID    map[string]docID // article ID → entry
	text    map[string][]docID
	title   map[string][]docID // terms of titles only, to rank title matches first
	bySite  map[string][]docID // entries of each site, newest (date) first
	days    map[int32]int      // articles per day (date), days since 1970
	langs   map[string]int     // articles per language
	cursor  store.SeenCursor   // the last article read
	dirty   map[string]bool    // sites whose bySite needs sorting (done when read)
}

func newCorpus() *corpus {
	return &corpus{byID: map[string]docID{}, text: map[string][]docID{}, title: map[string][]docID{},
		bySite: map[string][]docID{}, days: map[int32]int{}, langs: map[string]int{}, dirty: map[string]bool{}}
}

// pending is one article's entry and terms, prepared outside the corpus's lock.
type pending struct {
	e     entry
	text  []string // distinct terms of title and text
	title []string // distinct terms of the title
}

// prepare reads what the corpus keeps of a.
func prepare(a *lede.Article) pending {
	date := a.Published
	if date.IsZero() {
		date = a.FirstSeen
	}
	p := pending{e: entry{ID: a.ID, Title: a.Title, Site: a.Site, Lang: a.Lang, Date: date, Seen: a.FirstSeen, Words: a.WordCount}}
	seen := map[string]bool{}
	add := func(dst *[]string) func(string) {
		return func(t string) {
			if !seen[t] {
				seen[t] = true
				*dst = append(*dst, t)
			}
		}
	}
	terms(a.Title, add(&p.title))
	clear(seen)
	terms(a.Title, add(&p.text))
	terms(a.Text, add(&p.text))
	return p
}

// add appends prepared articles; an article already held (a replaced text read again by a
// rebuild) is skipped.
func (c *corpus) add(ps []pending, cursor store.SeenCursor) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range ps {
		if _, ok := c.byID[p.e.ID]; ok {
			continue
		}
		n := docID(len(c.entries))
		c.entries = append(c.entries, p.e)
		c.byID[p.e.ID] = n
		for _, t := range p.text {
			c.text[t] = append(c.text[t], n)
		}
		for _, t := range p.title {
			c.title[t] = append(c.title[t], n)
		}
		c.bySite[p.e.Site] = append(c.bySite[p.e.Site], n)
		c.dirty[p.e.Site] = true
		c.days[dayOf(p.e.Date)]++
		c.langs[p.e.Lang]++
	}
	c.cursor = cursor
}

// newer orders entries newest first (by date, then first seen, then latest read).
func (c *corpus) newer(a, b docID) int {
	ea, eb := &c.entries[a], &c.entries[b]
	if r := eb.Date.Compare(ea.Date); r != 0 {
		return r
	}
	if r := eb.Seen.Compare(ea.Seen); r != 0 {
		return r
	}
	return cmp.Compare(b, a)
}

// dayOf numbers t's day (UTC) since 1970.
func dayOf(t time.Time) int32 { return int32(t.Unix() / 86400) }

// errPause ends one piece of a load, so the store is let go between pieces.
var errPause = errors.New("pause")

// Timing of a load in pieces: each piece holds the store at most loadHold, then, when the
// file is opened per request, lets it go for loadGap, longer than bbolt's 50 ms lock retry,
// so a crawl trying to open the file gets in.
const (
	loadHold = 100 * time.Millisecond
	loadGap  = 60 * time.Millisecond
	// loadBatch is how many prepared articles are added under one lock.
	loadBatch = 256
)

// rereadSeen is how far before the last article read a new load starts again. The store
// keeps first-seen times to the second, and an article's time is taken before its batch
// commits, so an article committed after the last load may sort just before the cursor;
// reading the last seconds again (articles already held are skipped) finds it.
const rereadSeen = 3 * time.Second

// load reads the articles first seen after the corpus's cursor (less rereadSeen). It returns
// ErrBusy when a crawl holds the file (the caller tries again later).
func (c *corpus) load(ctx context.Context, acc *Access) error {
	c.mu.RLock()
	cursor := c.cursor
	c.mu.RUnlock()
	if !cursor.Seen.IsZero() {
		cursor = store.SeenCursor{Seen: cursor.Seen.Add(-rereadSeen).Truncate(time.Second)}
	}
	for {
		st, release, err := acc.acquire(ctx)
		if err != nil {
			return err
		}
		deadline := time.Now().Add(loadHold)
		var batch []pending
		err = st.ArticlesSeenAfter(ctx, cursor, func(a *lede.Article) error {
			cursor = store.CursorOf(a)
			if c.has(a.ID) {
				return nil
			}
			batch = append(batch, prepare(a))
			if len(batch) == loadBatch {
				c.add(batch, cursor)
				batch = batch[:0]
			}
			if time.Now().After(deadline) {
				return errPause
			}
			return nil
		})
		release()
		c.add(batch, cursor)
		switch {
		case err == nil:
			return nil
		case !errors.Is(err, errPause):
			return err
		}
		if acc.perRequest() {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(loadGap):
			}
		}
	}
}

// has reports whether the corpus holds article id.
func (c *corpus) has(id string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.byID[id]
	return ok
}

// size is how many articles the corpus holds.
func (c *corpus) size() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// siteCounts returns how many articles each site has.
func (c *corpus) siteCounts() map[string]int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make(map[string]int, len(c.bySite))
	for site, docs := range c.bySite {
		out[site] = len(docs)
	}
	return out
}

// latest returns the n articles first seen last, the latest first.
func (c *corpus) latest(n int) []entry {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []entry
	for i := len(c.entries) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, c.entries[i])
	}
	return out
}

// siteEntries returns the site's articles from offset on, newest first, at most n, and how
// many the site has.
func (c *corpus) siteEntries(site string, offset, n int) ([]entry, int) {
	c.mu.RLock()
	if c.dirty[site] {
		c.mu.RUnlock()
		c.mu.Lock()
		if c.dirty[site] {
			slices.SortFunc(c.bySite[site], c.newer)
			delete(c.dirty, site)
		}
		c.mu.Unlock()
		c.mu.RLock()
	}
	defer c.mu.RUnlock()
	docs := c.bySite[site]
	var out []entry
	for i := offset; i < len(docs) && len(out) < n; i++ {
		out = append(out, c.entries[docs[i]])
	}
	return out, len(docs)
}

// entry returns the entry of article id.
func (c *corpus) entry(id string) (entry, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n, ok := c.byID[id]
	if !ok {
		return entry{}, false
	}
	return c.entries[n], true
}

// perDay returns the article counts of the days from first to last (day numbers).
func (c *corpus) perDay(first, last int32) []int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]int, 0, max(last-first+1, 0))
	for d := first; d <= last; d++ {
		out = append(out, c.days[d])
	}
	return out
}

// lastDay returns the latest day holding an article no later than today, and false when the
// corpus is empty.
func (c *corpus) lastDay(today int32) (int32, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	best, ok := int32(0), false
	for d := range c.days {
		if d <= today && (!ok || d > best) {
			best, ok = d, true
		}
	}
	return best, ok
}

// query is a search: its terms must all be in an article's title or text.
type query struct {
	terms []string
	site  string
	lang  string
}

// search returns the matching articles from offset on (at most n), titles holding every
// term first, each group newest first, and how many match in all.
func (c *corpus) search(q query, offset, n int) ([]entry, int) {
	if len(q.terms) == 0 {
		return nil, 0
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	lists := make([][]docID, 0, len(q.terms))
	for _, t := range q.terms {
		lists = append(lists, c.postings(c.text, t))
	}
	hits := intersect(lists)
	if q.site != "" || q.lang != "" {
		kept := hits[:0]
		for _, d := range hits {
			e := &c.entries[d]
			if (q.site == "" || e.Site == q.site) && (q.lang == "" || langMatches(e.Lang, q.lang)) {
				kept = append(kept, d)
			}
		}
		hits = kept
	}
	titleLists := make([][]docID, 0, len(q.terms))
	for _, t := range q.terms {
		titleLists = append(titleLists, c.postings(c.title, t))
	}
	// Both lists are ascending: split hits into title matches and the rest in one pass.
	inTitle := intersect(titleLists)
	var first, rest []docID
	j := 0
	for _, d := range hits {
		for j < len(inTitle) && inTitle[j] < d {
			j++
		}
		if j < len(inTitle) && inTitle[j] == d {
			first = append(first, d)
		} else {
			rest = append(rest, d)
		}
	}
	slices.SortFunc(first, c.newer)
	slices.SortFunc(rest, c.newer)
	ordered := append(first, rest...)
	var out []entry
	for i := offset; i < len(ordered) && len(out) < n; i++ {
		out = append(out, c.entries[ordered[i]])
	}
	return out, len(ordered)
}

// postings returns the articles holding term t in index, a fresh slice. A lone character of
// an unspaced script (indexed only within pairs) matches every pair holding it.
func (c *corpus) postings(index map[string][]docID, t string) []docID {
	r, size := utf8.DecodeRuneInString(t)
	if size != len(t) || !isUnspaced(r) {
		return slices.Clone(index[t])
	}
	var union []docID
	for term, docs := range index {
		first, n := utf8.DecodeRuneInString(term)
		last, _ := utf8.DecodeLastRuneInString(term)
		if term == t || (n < len(term) && (first == r || last == r)) {
			union = append(union, docs...)
		}
	}
	slices.Sort(union)
	return slices.Compact(union)
}

// intersect returns the docs in every list (each sorted ascending), ascending.
func intersect(lists [][]docID) []docID {
	if len(lists) == 0 {
		return nil
	}
	slices.SortFunc(lists, func(a, b []docID) int { return cmp.Compare(len(a), len(b)) })
	out := lists[0]
	for _, l := range lists[1:] {
		kept := out[:0]
		j := 0
		for _, d := range out {
			// Skip ahead in the longer list: a binary search from j.
			j += sortSearch(l[j:], d)
			if j < len(l) && l[j] == d {
				kept = append(kept, d)
			}
		}
		out = kept
	}
	return out
}

// sortSearch returns the first index of l holding a value ≥ d.
func sortSearch(l []docID, d docID) int {
	i, _ := slices.BinarySearch(l, d)
	return i
}

// langMatches is the store's language filter: "ar" matches "ar" and "ar-EG", in any case.
func langMatches(have, want string) bool {
	have, want = strings.ToLower(have), strings.ToLower(want)
	return have == want || strings.HasPrefix(have, want+"-")
}
