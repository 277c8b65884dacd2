package extract_test

// FuzzExtract feeds the extractor arbitrary bytes and page URLs, as a crawler meets them:
//
//	go test -run '^$' -fuzz FuzzExtract -fuzztime 60s -fuzzminimizetime 5s ./extract
//
// Without -fuzz, `go test` runs the seeds below (lede's fixtures and small hostile pages) as
// ordinary tests. The extractor's own caps (input size, element count) keep each input's time
// bounded; the fuzz engine reports an input that hangs. Seeds stay small (a few KB): the
// engine minimizes every new interesting input, for up to -fuzzminimizetime (60s by default),
// and large seeds make that dominate the run.

import (
	"bytes"
	"lede"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"lede/extract"
)

// hostileSeeds are small pages that have broken parsers and extractors before: empty and
// truncated markup, invalid bytes, odd charsets, deep nesting, scripts and JSON-LD gone wrong.
func hostileSeeds() []string {
	return []string{
		"",
		"<",
		"<html>",
		"<!DOCTYPE html><html><head></head><body></body></html>",
		"\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00", // UTF-16LE byte-order mark
		"\xef\xbb\xbf<html><body><p>BOM then text</p></body></html>",
		"<html><body><p>invalid \xc3\x28 utf-8 \xa0\xa1 and NUL \x00 bytes</p></body></html>",
		`<html><head><meta charset="windows-1256"></head><body><article><p>` +
			"\xc7\xe1\xcd\xdf\xe6\xe3\xc9 \xc7\xe1\xe3\xc8\xcf\xc6\xed\xc9" + // Arabic in windows-1256
			"</p></article></body></html>",
		`<meta http-equiv="Content-Type" content="text/html; charset=x-no-such-charset"><p>text</p>`,
		`<meta charset="utf-16"><p>declared utf-16 but is not</p>`,
		strings.Repeat("<div>", 600) + "deep" + strings.Repeat("</div>", 600),
		strings.Repeat("<p>", 600) + "unclosed",
		strings.Repeat("<table><tr><td>", 200) + "cells",
		"<html><body><article>" + strings.Repeat("<p>Paragraph of words that repeat. </p>", 100) + "</article></body></html>",
		`<html><body><script>document.write("<p>not text")`,
		`<html><head><script type="application/ld+json">{"@type":"NewsArticle","articleBody":</script></head><body></body></html>`,
		`<html><head><script type="application/ld+json">[{"@graph":[{"@type":["NewsArticle"],"articleBody":42,"headline":{"x":1}}]}]</script></head><body><p>short</p></body></html>`,
		`<html><head><base href="javascript:alert(1)"><link rel="canonical" href="::bad"><link rel="alternate" type="application/rss+xml" href="%zz"></head>` +
			`<body><a href="http://[::1">bad</a><a href="mailto:x@y">m</a><a href="/ok#frag">ok</a><a href="/ok">again</a></body></html>`,
		`<html dir="rtl" lang="ar"><body><div class="skip"><h2>Accessibility links</h2><a href="#c">Skip to content</a></div>` +
			`<main id="c"><article><h1>عنوان</h1><figure><img src="a.jpg"><figcaption>صورة</figcaption></figure>` +
			`<p>الفقرة الأولى من المقال.</p><p>صورة</p><div class="font-size">XS SM MD LG</div></article></main></body></html>`,
		`<svg><foreignObject><math><mi><p>mixed namespaces</p></mi></math></foreignObject></svg>`,
		`<template><article><p>inside a template</p></article></template><noscript><p>noscript</p></noscript>`,
		`<frameset><frame src="a.html"></frameset>`,
		`<p title="` + strings.Repeat("&amp;", 1000) + `">entities</p>`,
		"<?xml version=\"1.0\"?><rss><channel><item><title>a feed, not a page</title></item></channel></rss>",
		"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
		"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
	}
}

func FuzzExtract(f *testing.F) {
	for _, p := range fixturePages(f) {
		f.Add(p.html, p.url)
	}
	for _, s := range hostileSeeds() {
		f.Add([]byte(s), "https://news.example/2026/05/article.html")
	}
	f.Add([]byte("<p>text</p>"), "")
	f.Add([]byte("<p>text</p>"), "not a url")
	f.Add([]byte("<p>text</p>"), "http://[::1]:namedport/")

	f.Fuzz(func(t *testing.T, page []byte, pageURL string) {
		input := bytes.Clone(page)

		d, err := extract.Parse(page, pageURL)
		if err != nil {
			if d != nil {
				t.Errorf("Parse returned a document and an error: %v", err)
			}
			return
		}
		links := d.Links()
		checkURLs(t, "Links", links, true)
		seen := make(map[string]bool, len(links))
		for _, l := range links {
			if seen[l] {
				t.Errorf("Links: %q twice", l)
			}
			seen[l] = true
		}
		checkURLs(t, "Feeds", d.Feeds(), false)
		if c := d.Canonical(); c != "" {
			checkURLs(t, "Canonical", []string{c}, false)
		}
		switch kind, why := d.Kind(); kind {
		case lede.KindArticle, lede.KindHub, lede.KindMedia, lede.KindNotFound:
			if why == "" {
				t.Errorf("Kind() = %q with no reason", kind)
			}
		default:
			t.Errorf("Kind() = %q, want article, hub, media or not-found", kind)
		}
		a, err := d.Article()
		if !bytes.Equal(page, input) {
			t.Error("the extractor modified its input bytes")
		}
		if err != nil {
			if a != nil {
				t.Errorf("Article returned an article and an error: %v", err)
			}
			return
		}
		if a == nil {
			t.Fatal("Article returned neither an article nor an error")
		}
		for name, s := range map[string]string{"Text": a.Text, "Title": a.Title, "Byline": a.Byline, "HTML": a.HTML} {
			if !utf8.ValidString(s) {
				t.Errorf("%s is not valid UTF-8: %q", name, s)
			}
		}
		if strings.TrimSpace(a.Text) == "" {
			t.Error("Article returned empty text without ErrNoArticle")
		}
		if a.WordCount <= 0 {
			t.Errorf("WordCount = %d for text %q", a.WordCount, a.Text)
		}
	})
}

// checkURLs asserts the Document contract: absolute URLs; with httpOnly, http(s) URLs
// without a fragment, as Links promises.
func checkURLs(t *testing.T, what string, urls []string, httpOnly bool) {
	t.Helper()
	for _, s := range urls {
		u, err := url.Parse(s)
		if err != nil {
			t.Errorf("%s: %q does not parse: %v", what, s, err)
			continue
		}
		if !u.IsAbs() || u.Host == "" {
			t.Errorf("%s: %q is not an absolute URL", what, s)
		}
		if httpOnly && (u.Scheme != "http" && u.Scheme != "https" || u.Fragment != "") {
			t.Errorf("%s: %q is not an http(s) URL without fragment", what, s)
		}
	}
}
