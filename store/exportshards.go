package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"lede"

	bolt "go.etcd.io/bbolt"
)

// Exporting the shards of a crawl shared by several workers (lede crawl --frontier), each in
// its own store: the shards are read side by side and merged in published (else first-seen)
// order, as one store is exported, and each article is written once though two workers
// stored it: the same URL, canonical URL or alias, the same text (content hash) or nearly the
// same text under another URL (the near-duplicate test PutArticle applies: SimHash bands,
// then shingle overlap). Memory holds an index of what was written (hashes of its keys, and
// the SimHash, shard and ID of each article long enough for near-duplicate detection), never
// the articles: a candidate near copy is read again from its shard.

// ExportShards writes the articles matching f of several stores to w in format, as Export
// does, each article once, and returns how many it wrote.
func ExportShards(ctx context.Context, shards []*DB, f Filter, w io.Writer, format string) (int, error) {
	if len(shards) == 1 {
		return shards[0].Export(ctx, f, w, format)
	}
	enc, err := NewEncoder(w, format)
	if err != nil {
		return 0, err
	}
	written := newCopyIndex(shards)
	n := 0
	for sr, err := range mergeShards(ctx, shards, f) {
		if err != nil {
			return n, err
		}
		dup, err := written.copyOf(ctx, sr)
		if err != nil {
			return n, err
		}
		if dup {
			continue
		}
		if err := enc.Encode(sr.rec.article()); err != nil {
			return n, fmt.Errorf("write article %s: %w", sr.rec.ID, err)
		}
		n++
	}
	if err := enc.Flush(); err != nil {
		return n, fmt.Errorf("write %s export: %w", format, err)
	}
	return n, nil
}

// shardRecord is a stored record and the index of the shard it comes from.
type shardRecord struct {
	rec   *record
	shard int
}

// errStopWalk ends a walk of records early.
var errStopWalk = errors.New("walk stopped")

// recordSeq yields the records matching f as records walks them.
func (db *DB) recordSeq(ctx context.Context, f Filter) iter.Seq2[*record, error] {
	return func(yield func(*record, error) bool) {
		err := db.records(ctx, f, func(rec *record) error {
			if !yield(rec, nil) {
				return errStopWalk
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStopWalk) {
			yield(nil, fmt.Errorf("%s: %w", db.Path(), err))
		}
	}
}

// before reports whether a comes before b in the merged order: published (else first seen),
// then ID, then shard.
func (a shardRecord) before(b shardRecord) bool {
	ta, tb := a.rec.sortTime(), b.rec.sortTime()
	if !ta.Equal(tb) {
		return ta.Before(tb)
	}
	if a.rec.ID != b.rec.ID {
		return a.rec.ID < b.rec.ID
	}
	return a.shard < b.shard
}

// mergeShards yields the records matching f of every shard in published (else first-seen)
// order across the shards: each shard is walked as Articles walks it (it is in that order
// already), and the earliest of the shards' next records comes next.
func mergeShards(ctx context.Context, shards []*DB, f Filter) iter.Seq2[shardRecord, error] {
	return func(yield func(shardRecord, error) bool) {
		type head struct {
			next func() (*record, error, bool)
			cur  shardRecord
			ok   bool
		}
		heads := make([]*head, len(shards))
		advance := func(h *head) error {
			rec, err, ok := h.next()
			if err != nil {
				return err
			}
			h.cur.rec, h.ok = rec, ok
			return nil
		}
		for i, db := range shards {
			next, stop := iter.Pull2(db.recordSeq(ctx, f))
			defer stop()
			heads[i] = &head{next: next, cur: shardRecord{shard: i}}
			if err := advance(heads[i]); err != nil {
				yield(shardRecord{}, err)
				return
			}
		}
		for {
			var first *head
			for _, h := range heads {
				if h.ok && (first == nil || h.cur.before(first.cur)) {
					first = h
				}
			}
			if first == nil {
				return
			}
			if !yield(first.cur, nil) {
				return
			}
			if err := advance(first); err != nil {
				yield(shardRecord{}, err)
				return
			}
		}
	}
}

// copyIndex is what an export of several shards has written: enough to tell a copy of it.
type copyIndex struct {
	shards []*DB
	keys   map[uint64]struct{} // hashes of the URLs, canonical URLs, aliases and content hashes met
	near   []nearRef           // articles written that are long enough for near-copy detection
	bands  map[[3]byte][]int32 // SimHash band key → indexes in near
}

// nearRef is an article written that a later one may be a near copy of: its SimHash, and
// where to read its text again.
type nearRef struct {
	sim   uint64
	shard int
	id    string
}

func newCopyIndex(shards []*DB) *copyIndex {
	return &copyIndex{shards: shards, keys: map[uint64]struct{}{}, bands: map[[3]byte][]int32{}}
}

// copyOf reports whether sr is a copy of an article written before (and notes its keys
// either way); an article that is not is added to the index.
func (x *copyIndex) copyOf(ctx context.Context, sr shardRecord) (bool, error) {
	rec := sr.rec
	keys := []uint64{copyKey('u', rec.URL), copyKey('h', rec.ContentHash)}
	if rec.CanonicalURL != "" {
		keys = append(keys, copyKey('u', rec.CanonicalURL))
	}
	for _, a := range rec.Aliases {
		keys = append(keys, copyKey('u', lede.URLKey(a)))
	}
	dup := false
	for _, k := range keys {
		if _, ok := x.keys[k]; ok {
			dup = true
		}
		x.keys[k] = struct{}{}
	}
	if dup {
		return true, nil
	}
	words := lede.Words(rec.Text)
	if len(words) < minNearWords {
		return false, nil
	}
	sim := rec.SimHash
	if sim == 0 {
		sim = simHash(words)
	}
	near, err := x.nearCopy(ctx, sim, words)
	if err != nil || near {
		return near, err
	}
	i := int32(len(x.near))
	x.near = append(x.near, nearRef{sim: sim, shard: sr.shard, id: rec.ID})
	for _, b := range simBandKeys(sim) {
		x.bands[b] = append(x.bands[b], i)
	}
	return false, nil
}

// nearCopy reports whether a text of words with SimHash sim is a near copy of an article
// written: a candidate agrees with it on a whole SimHash band, then PutArticle's test decides.
func (x *copyIndex) nearCopy(ctx context.Context, sim uint64, words []string) (bool, error) {
	var mine map[uint64]struct{}
	tried := map[int32]bool{}
	for _, b := range simBandKeys(sim) {
		for _, i := range x.bands[b] {
			ref := x.near[i]
			if tried[i] || hamming(sim, ref.sim) > nearDistance {
				continue
			}
			tried[i] = true
			cand, err := x.shards[ref.shard].record(ctx, ref.id)
			if err != nil {
				return false, err
			}
			if mine == nil {
				mine = shingles(words)
			}
			if nearWords(words, mine, cand.Text) {
				return true, nil
			}
		}
	}
	return false, nil
}

// record reads the stored record of article id.
func (db *DB) record(ctx context.Context, id string) (*record, error) {
	var rec *record
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		rec, err = loadRecord(tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", db.Path(), err)
	}
	return rec, nil
}

// copyKey hashes one key of an article (kind 'u' a URL, 'h' a content hash).
func copyKey(kind byte, v string) uint64 {
	return uint64(lede.NewFNV64a.AddByte(kind).AddString(v))
}
