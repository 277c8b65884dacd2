package store

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"lede"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Learned chrome (issue 6): for each host, the store counts on how many of its pages each
// text-block fingerprint appeared. Blocks seen on a large share of a host's pages are that
// host's chrome. The chrome bucket holds one sub-bucket per host: the key "pages" holds the
// number of pages counted, "entries" the number of fingerprints kept, and each 8-byte
// fingerprint key the number of pages it was seen on. A host keeps at most the chrome cap
// (WithChromeCap) fingerprints: when it has more, the rarest are evicted, so the counts stay
// bounded however long the crawl.

// defaultChromeCap is the default number of fingerprints kept per host.
const defaultChromeCap = 2048

// Keys of a host's chrome bucket beside the 8-byte fingerprints: pages counted, fingerprints kept.
var (
	chromePagesKey   = []byte("pages")
	chromeEntriesKey = []byte("entries")
)

// AddPageBlocks counts one page of host: the page count goes up by one and so does the count
// of each distinct fingerprint in fingerprints (repeats within the page count once).
func (db *DB) AddPageBlocks(ctx context.Context, host string, fingerprints []uint64) error {
	counts := make(map[uint64]int, len(fingerprints))
	for _, fp := range fingerprints {
		counts[fp] = 1
	}
	return db.AddBlockCounts(ctx, host, 1, counts)
}

// AddBlockCounts counts several pages of host at once, in one transaction: the page count
// goes up by pages and the count of each fingerprint by its value in counts (the number of
// those pages it was on, at most pages). The crawler gathers a few pages of a host before
// writing their counts. When the host then holds more fingerprints than the chrome cap, the
// rarest are evicted down to three quarters of the cap.
func (db *DB) AddBlockCounts(ctx context.Context, host string, pages int, counts map[uint64]int) error {
	host = lede.NormalizeHost(host)
	if host == "" {
		return fmt.Errorf("chrome counts: no host")
	}
	if pages <= 0 {
		return nil
	}
	limit := db.chromeCap
	err := db.batch(ctx, func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bucketChrome).CreateBucketIfNotExists([]byte(host))
		if err != nil {
			return err
		}
		if err := b.Put(chromePagesKey, u64(getU64(b.Get(chromePagesKey))+uint64(pages))); err != nil {
			return err
		}
		entries := getU64(b.Get(chromeEntriesKey))
		for fp, n := range counts {
			if n <= 0 {
				continue
			}
			k := u64(fp)
			old := getU64(b.Get(k))
			if old == 0 {
				entries++
			}
			if err := b.Put(k, u64(old+uint64(min(n, pages)))); err != nil {
				return err
			}
		}
		if entries > uint64(limit) {
			evicted, err := evictRarest(b, int(entries)-limit*3/4)
			if err != nil {
				return err
			}
			entries -= uint64(evicted)
		}
		return b.Put(chromeEntriesKey, u64(entries))
	})
	if err != nil {
		return fmt.Errorf("chrome counts of %s: %w", host, err)
	}
	return nil
}

// evictRarest deletes the n fingerprints of b with the lowest counts and returns how many
// it deleted.
func evictRarest(b *bolt.Bucket, n int) (int, error) {
	return evictLowest(b, n, func(k, v []byte) (uint64, bool) { return getU64(v), len(k) == 8 })
}

// evictLowest deletes the n keys of b that rank lowest (rank reports false for keys that are
// never deleted; ties go in key order) and returns how many it deleted.
func evictLowest(b *bolt.Bucket, n int, rank func(k, v []byte) (uint64, bool)) (int, error) {
	type entry struct {
		key  []byte
		rank uint64
	}
	var all []entry
	err := b.ForEach(func(k, v []byte) error {
		if r, ok := rank(k, v); ok {
			all = append(all, entry{slices.Clone(k), r})
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	slices.SortStableFunc(all, func(a, b entry) int { return cmp.Compare(a.rank, b.rank) })
	n = min(n, len(all))
	for _, e := range all[:n] {
		if err := b.Delete(e.key); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// HostChrome returns the fingerprints that are host's learned chrome: those seen on at least
// minShare (0..1] of its pages, once at least minPages pages were counted. Before that it
// returns an empty set: a few pages teach nothing.
func (db *DB) HostChrome(ctx context.Context, host string, minPages int, minShare float64) (map[uint64]bool, error) {
	set := map[uint64]bool{}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketChrome).Bucket([]byte(lede.NormalizeHost(host)))
		if b == nil {
			return nil
		}
		pages := getU64(b.Get(chromePagesKey))
		if pages == 0 || pages < uint64(max(minPages, 1)) {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			if len(k) == 8 && float64(getU64(v)) >= minShare*float64(pages) {
				set[binary.BigEndian.Uint64(k)] = true
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("learned chrome of %s: %w", host, err)
	}
	return set, nil
}

// ChromeStats returns how many pages of host were counted and how many fingerprints are kept.
func (db *DB) ChromeStats(ctx context.Context, host string) (pages, fingerprints int, err error) {
	err = db.view(ctx, func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketChrome).Bucket([]byte(lede.NormalizeHost(host)))
		if b == nil {
			return nil
		}
		pages = int(getU64(b.Get(chromePagesKey)))
		fingerprints = int(getU64(b.Get(chromeEntriesKey)))
		return nil
	})
	return pages, fingerprints, err
}

// getU64 decodes an 8-byte big-endian counter; anything else reads as zero.
func getU64(v []byte) uint64 {
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}
