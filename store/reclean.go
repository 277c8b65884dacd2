package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"lede"

	bolt "go.etcd.io/bbolt"
)

// ReplaceText replaces the text (and cleaned HTML) of the stored article id in place, for
// cleaning it again from its raw page once its site's chrome is known (lede reclean). The
// article keeps its ID, URLs, aliases, metadata, first-seen time and raw page; its word
// count, content hash and SimHash follow the new text, and its indexes are updated in the
// same transaction. It reports whether anything changed: the same text again is a no-op.
// A text without a single word is refused (the stored article is never emptied).
func (db *DB) ReplaceText(ctx context.Context, id, text, htmlText string) (changed bool, err error) {
	words := lede.Words(text)
	if len(words) == 0 {
		return false, fmt.Errorf("replace text of article %s: no text", id)
	}
	hash, sim := contentHash(words), simHash(words)
	err = db.batch(ctx, func(tx *bolt.Tx) error {
		changed = false
		old, err := loadRecord(tx, id)
		if err != nil {
			return err
		}
		if old.Text == text && old.HTML == htmlText {
			return nil
		}
		rec := *old
		rec.Text, rec.HTML, rec.WordCount = text, htmlText, lede.WordCount(text)
		rec.ContentHash, rec.SimHash = hash, sim
		in := &incoming{rec: rec, canonKey: lede.URLKey(rec.URL), urlKey: lede.URLKey(rec.URL), words: words}
		if rec.CanonicalURL != "" {
			in.canonKey = lede.URLKey(rec.CanonicalURL)
		}
		if in.recJSON, err = json.Marshal(&rec); err != nil {
			return fmt.Errorf("encode article %s: %w", id, err)
		}
		if err := unindex(tx, old); err != nil {
			return err
		}
		if err := index(tx, &rec, in); err != nil {
			return err
		}
		changed = true
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return false, err
		}
		return false, fmt.Errorf("replace text of article %s: %w", id, err)
	}
	return changed, nil
}
