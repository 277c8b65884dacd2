// Package chrome is lede's learned page chrome (issue 6): the text blocks found on most pages
// of a host (menus, bars, boxes no generic rule knows), and cleaning stored articles again once
// they are known.
//
// The crawler counts the block fingerprints (lede.Fingerprint of extract's
// Document.BlockFingerprints) of every page it fetches for the first time, per host, in the
// store. A block found on at least MinShare of a host's pages, once MinPages pages were
// counted, is that host's chrome: a Set. Extract sees a Set only through its WithDropBlock
// predicate (Set.Options), so extraction stays pure. Reading a Set needs only a Source (one
// method); Reclean extracts stored articles again from their raw pages with it. lede crawl,
// lede extract, lede reclean, lede stats and the web UI all read chrome here; only the crawler
// learns it.
package chrome

import (
	"context"
	"encoding/binary"
	"hash/fnv"
	"slices"
	"strings"

	"lede"
	"lede/extract"
)

// Thresholds of learned chrome.
const (
	// MinPages is how many pages of a host must be counted before any of its blocks
	// counts as chrome: a few pages teach nothing.
	MinPages = 20
	// MinShare is the share of a host's pages a block must be on to be chrome.
	MinShare = 0.6
	// keepShare is the share a block already learned at the start of a run must stay above
	// to remain chrome during the run: a block around MinShare does not flip in and out as
	// pages are counted (each flip cleans the host's articles again).
	keepShare = 0.5
)

// Source is what reading a host's learned chrome needs from a store. *store.DB implements it.
type Source interface {
	// HostChrome returns the fingerprints seen on at least minShare of host's pages, once at
	// least minPages pages were counted (else an empty set).
	HostChrome(ctx context.Context, host string, minPages int, minShare float64) (map[uint64]bool, error)
}

// Store is what learning a host's chrome needs from a store: reading it, and counting the
// blocks of its pages. *store.DB implements it.
type Store interface {
	Source
	AddBlockCounts(ctx context.Context, host string, pages int, counts map[uint64]int) error
	ChromeStats(ctx context.Context, host string) (pages, fingerprints int, err error)
}

// Set is a host's learned chrome: the fingerprints (lede.Fingerprint) of its blocks.
type Set map[uint64]bool

// Load returns the learned chrome of host (a host name or URL) with the thresholds MinPages
// and MinShare; empty while too few of its pages were counted.
func Load(ctx context.Context, src Source, host string) (Set, error) {
	set, err := src.HostChrome(ctx, lede.SiteOf(host), MinPages, MinShare)
	return Set(set), err
}

// LoadKeeping is Load, plus the blocks of start (the set read at the start of a crawl) still
// on half of the host's pages.
func LoadKeeping(ctx context.Context, src Source, host string, start Set) (Set, error) {
	set, err := Load(ctx, src, host)
	if err != nil || len(start) == 0 {
		return set, err
	}
	loose, err := src.HostChrome(ctx, lede.SiteOf(host), MinPages, keepShare)
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
func (s Set) Options() []extract.Option {
	if len(s) == 0 {
		return nil
	}
	return []extract.Option{extract.WithDropBlock(func(norm string) bool { return s[lede.NormalizedFingerprint(norm)] })}
}

// Digest identifies the set: equal sets have equal digests (0 for the empty set).
func (s Set) Digest() uint64 {
	if len(s) == 0 {
		return 0
	}
	fps := make([]uint64, 0, len(s))
	for fp := range s {
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

// InText reports whether a paragraph or line of an article's text is one of the set's
// blocks: only then can cleaning the article again change it. Checking the stored text is
// far cheaper than extracting the raw page again.
func (s Set) InText(text string) bool {
	if len(s) == 0 {
		return false
	}
	for para := range strings.SplitSeq(text, "\n\n") {
		if s[lede.Fingerprint(para)] {
			return true
		}
		if strings.Contains(para, "\n") {
			for line := range strings.SplitSeq(para, "\n") {
				if s[lede.Fingerprint(line)] {
					return true
				}
			}
		}
	}
	return false
}
