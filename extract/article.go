// Package extract turns one HTML page into a clean Article: it decodes the page's charset,
// parses it once, finds the main text with go-readability (completed with the paragraphs it
// left in sibling containers, splitbody.go; read again without consent dialogs, consent.go;
// the longest run of paragraphs when nothing is left, paragraphrun.go), strips page chrome
// (skip links, text-size selectors, share bars, repeated captions, related boxes, prompts,
// and in files of their own: paywall prompts, donation appeals, author bios, summary boxes
// of other stories, comment counters, reading times, embed consent placeholders, source link
// lists) by general structural and multilingual cues, joins drop caps to their word, renders
// block-aware text and reads the page's metadata.
// Document.Verdict decides whether the page is an article or a front (kind.go).
//
// The package is pure: no network, no store. It imports none of lede's other packages.
package extract

import (
	"errors"
	"time"
)

// Article is the clean article extracted from one page.
type Article struct {
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
	Text         string    `json:"text"`       // block-aware plain text: one block per line, blank line between blocks
	WordCount    int       `json:"word_count"` // Unicode-aware word count of Text
	HTML         string    `json:"-"`          // the cleaned article HTML
}

var (
	// ErrNotHTML is returned when the input is not an HTML document.
	ErrNotHTML = errors.New("not an HTML document")
	// ErrNoArticle is returned when the page holds no article text.
	ErrNoArticle = errors.New("no article found")
)
