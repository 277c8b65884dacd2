package lede

import "time"

// Article is one clean article: what the extractor finds in a page (URL to WordCount and
// HTML), and what the store adds when it keeps it (ID, FetchedAt, ContentHash, FirstSeen,
// Aliases). Its JSON form is the record of a corpus export; fields the extractor alone does
// not know (ID, FetchedAt, ContentHash) are left out while empty.
type Article struct {
	ID           string    `json:"id,omitempty"`            // the store's ID: a hash of the canonical URL
	URL          string    `json:"url"`                     // the address the page was fetched from
	CanonicalURL string    `json:"canonical_url,omitempty"` // rel=canonical / og:url, absolute
	Site         string    `json:"site,omitempty"`          // host name of the canonical URL (or URL), without "www."
	SiteName     string    `json:"site_name,omitempty"`     // og:site_name or JSON-LD publisher
	Title        string    `json:"title"`                   // the headline, without a " | Site" suffix
	Byline       string    `json:"byline,omitempty"`        // author(s)
	Published    time.Time `json:"published,omitzero"`      // zero when unknown
	Modified     time.Time `json:"modified,omitzero"`       // zero when unknown
	Lang         string    `json:"lang,omitempty"`          // BCP 47 tag such as "ar" or "en-GB"
	Description  string    `json:"description,omitempty"`
	Image        string    `json:"image,omitempty"`
	Text         string    `json:"text"`                   // block-aware plain text: one block per line, blank line between blocks
	WordCount    int       `json:"word_count"`             // Unicode-aware word count of Text
	FetchedAt    time.Time `json:"fetched_at,omitzero"`    // when the page was fetched
	ContentHash  string    `json:"content_hash,omitempty"` // the store's hash of the normalised text
	HTML         string    `json:"-"`                      // the cleaned article HTML
	FirstSeen    time.Time `json:"-"`                      // when the store first kept the article
	Aliases      []string  `json:"-"`                      // the store's other URLs of the same (near-)duplicate article
}
