package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"lede"

	bolt "go.etcd.io/bbolt"
)

// Learned URL templates (issue 10): the article URLs of a site share templates (dates, slugs,
// numeric IDs) that its fronts do not. For each host the store counts, per template (see
// extract.URLTemplate), how many pages the crawl judged articles and how many fronts. The
// url_templates bucket holds one sub-bucket per host: template → 8 bytes (articles, fronts;
// two big-endian uint32). A host keeps at most maxTemplates templates: when it has more, those
// with the fewest pages are evicted, so the counts stay bounded however long the crawl.

// maxTemplates is the number of templates kept per host.
const maxTemplates = 512

// AddURLTemplates adds counts to host's templates in one transaction.
func (db *DB) AddURLTemplates(ctx context.Context, host string, counts map[string]lede.TemplateCount) error {
	host = lede.NormalizeHost(host)
	if host == "" {
		return fmt.Errorf("URL templates: no host")
	}
	if len(counts) == 0 {
		return nil
	}
	err := db.batch(ctx, func(tx *bolt.Tx) error {
		b, err := tx.Bucket(bucketTemplates).CreateBucketIfNotExists([]byte(host))
		if err != nil {
			return err
		}
		for tmpl, c := range counts {
			if tmpl == "" || len(tmpl) > bolt.MaxKeySize {
				continue
			}
			old := decodeTemplateCount(b.Get([]byte(tmpl)))
			old.Articles += c.Articles
			old.Hubs += c.Hubs
			if err := b.Put([]byte(tmpl), encodeTemplateCount(old)); err != nil {
				return err
			}
		}
		if n := countKeys(b); n > maxTemplates {
			return evictTemplates(b, n-maxTemplates*3/4)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("URL templates of %s: %w", host, err)
	}
	return nil
}

// URLTemplates returns host's template counts (empty when none were learned).
func (db *DB) URLTemplates(ctx context.Context, host string) (map[string]lede.TemplateCount, error) {
	out := map[string]lede.TemplateCount{}
	err := db.view(ctx, func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketTemplates)
		if root == nil {
			return nil // a store from before templates were learned, opened read-only
		}
		b := root.Bucket([]byte(lede.NormalizeHost(host)))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			out[string(k)] = decodeTemplateCount(v)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("URL templates of %s: %w", host, err)
	}
	return out, nil
}

// evictTemplates deletes the n templates of b with the fewest pages.
func evictTemplates(b *bolt.Bucket, n int) error {
	_, err := evictLowest(b, n, func(_, v []byte) (uint64, bool) {
		c := decodeTemplateCount(v)
		return uint64(c.Articles + c.Hubs), true
	})
	return err
}

func encodeTemplateCount(c lede.TemplateCount) []byte {
	var b [8]byte
	binary.BigEndian.PutUint32(b[:4], uint32(min(c.Articles, 1<<31)))
	binary.BigEndian.PutUint32(b[4:], uint32(min(c.Hubs, 1<<31)))
	return b[:]
}

func decodeTemplateCount(v []byte) lede.TemplateCount {
	if len(v) != 8 {
		return lede.TemplateCount{}
	}
	return lede.TemplateCount{Articles: int(binary.BigEndian.Uint32(v[:4])), Hubs: int(binary.BigEndian.Uint32(v[4:]))}
}

// countKeys counts the keys of b (Bucket.Stats does not see a transaction's own writes).
func countKeys(b *bolt.Bucket) int {
	n := 0
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
	}
	return n
}
