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
// The package is pure: no network, no store. Of lede's packages it imports only the domain
// package lede (Article, Kind).
package extract

import (
	"errors"
)

var (
	// ErrNotHTML is returned when the input is not an HTML document.
	ErrNotHTML = errors.New("not an HTML document")
	// ErrTooLarge is returned for a page larger than MaxPageBytes.
	ErrTooLarge = errors.New("page too large")
	// ErrNoArticle is returned when the page holds no article text.
	ErrNoArticle = errors.New("no article found")
)
