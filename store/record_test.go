package store

import (
	"encoding/json"
	"lede"
	"reflect"
	"testing"
	"time"
)

// recordV1 is the article record as schema version 1 first declared it, field by field.
// Stores written with it must read back the same, and records written now must be the same
// bytes.
type recordV1 struct {
	ID           string    `json:"id"`
	URL          string    `json:"url"`
	CanonicalURL string    `json:"canonical_url,omitempty"`
	Site         string    `json:"site,omitempty"`
	SiteName     string    `json:"site_name,omitempty"`
	Title        string    `json:"title"`
	Byline       string    `json:"byline,omitempty"`
	Published    time.Time `json:"published,omitzero"`
	Modified     time.Time `json:"modified,omitzero"`
	Lang         string    `json:"lang,omitempty"`
	Description  string    `json:"description,omitempty"`
	Image        string    `json:"image,omitempty"`
	Text         string    `json:"text"`
	WordCount    int       `json:"word_count"`
	FetchedAt    time.Time `json:"fetched_at"`
	ContentHash  string    `json:"content_hash"`
	HTML         string    `json:"html,omitempty"`
	FirstSeen    time.Time `json:"first_seen"`
	Aliases      []string  `json:"aliases,omitempty"`
	SimHash      uint64    `json:"simhash"`
}

func TestRecordJSONMatchesSchemaV1(t *testing.T) {
	t0 := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	full := recordV1{
		ID: "id1", URL: "https://a.example/x", CanonicalURL: "https://a.example/c", Site: "a.example",
		SiteName: "A", Title: "T", Byline: "B", Published: t0, Modified: t0.Add(time.Hour),
		Lang: "ar", Description: "D", Image: "https://a.example/i.jpg", Text: "نص المقال",
		WordCount: 2, FetchedAt: t0.Add(2 * time.Hour), ContentHash: "h", HTML: "<p>نص</p>",
		FirstSeen: t0.Add(3 * time.Hour), Aliases: []string{"https://a.example/y"}, SimHash: 1<<63 + 5,
	}
	sparse := recordV1{ID: "id2", URL: "https://b.example/", Text: "t", FirstSeen: t0, FetchedAt: t0}
	for _, old := range []recordV1{full, sparse} {
		oldJSON, err := json.Marshal(old)
		if err != nil {
			t.Fatal(err)
		}
		var rec record
		if err := json.Unmarshal(oldJSON, &rec); err != nil {
			t.Fatalf("decode a v1 record: %v", err)
		}
		want := &lede.Article{
			ID: old.ID, URL: old.URL, CanonicalURL: old.CanonicalURL, Site: old.Site,
			SiteName: old.SiteName, Title: old.Title, Byline: old.Byline, Published: old.Published,
			Modified: old.Modified, Lang: old.Lang, Description: old.Description, Image: old.Image,
			Text: old.Text, WordCount: old.WordCount, FetchedAt: old.FetchedAt,
			ContentHash: old.ContentHash, HTML: old.HTML, FirstSeen: old.FirstSeen, Aliases: old.Aliases,
		}
		if got := rec.article(); !reflect.DeepEqual(got, want) || rec.SimHash != old.SimHash {
			t.Fatalf("v1 record %s decoded as\n%+v (simhash %d), want\n%+v (simhash %d)", old.ID, got, rec.SimHash, want, old.SimHash)
		}
		newJSON, err := json.Marshal(&rec)
		if err != nil {
			t.Fatal(err)
		}
		if string(newJSON) != string(oldJSON) {
			t.Fatalf("record %s encodes as\n%s\nwant the v1 bytes\n%s", old.ID, newJSON, oldJSON)
		}
	}
}
