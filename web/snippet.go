package web

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"
)

// snippetPart is a piece of a search result's snippet; Hit marks a query word.
type snippetPart struct {
	Text string
	Hit  bool
}

// snippetWords is about how many words a snippet shows.
const snippetWords = 36

// snippet returns the paragraph of text where the query's terms first show, cut to about
// snippetWords words around the first of them, its words that are query terms marked.
func snippet(text string, query map[string]bool) []snippetPart {
	paras := strings.Split(text, "\n\n")
	best := ""
	for _, p := range paras {
		found := false
		terms(p, func(t string) { found = found || query[t] })
		if found {
			best = p
			break
		}
	}
	if best == "" && len(paras) > 0 {
		best = paras[0]
	}
	words := strings.Fields(best)
	hit := make([]bool, len(words))
	first := -1
	for i, w := range words {
		terms(w, func(t string) {
			if query[t] && !hasUnspaced(t) {
				hit[i] = true
			}
		})
		if hit[i] && first < 0 {
			first = i
		}
	}
	start := max(first-snippetWords/3, 0)
	end := min(start+snippetWords, len(words))
	var parts []snippetPart
	if start > 0 {
		parts = append(parts, snippetPart{Text: "… "})
	}
	var plain []string
	flush := func() {
		if len(plain) > 0 {
			parts = append(parts, snippetPart{Text: strings.Join(plain, " ") + " "})
			plain = nil
		}
	}
	for i := start; i < end; i++ {
		if hit[i] {
			flush()
			parts = append(parts, snippetPart{Text: words[i], Hit: true}, snippetPart{Text: " "})
			continue
		}
		plain = append(plain, words[i])
	}
	flush()
	if end < len(words) {
		parts = append(parts, snippetPart{Text: "…"})
	}
	return parts
}

// utf8Source returns a stored page as UTF-8 text for viewing its source: decoded from the
// charset its BOM or <meta> declares (windows-1252 when it declares none), as a browser
// would before any guessing.
func utf8Source(page []byte) []byte {
	if utf8.Valid(page) {
		return page
	}
	enc, _, _ := charset.DetermineEncoding(page, "text/html")
	out, _, err := transform.Bytes(enc.NewDecoder(), page)
	if err != nil {
		return page
	}
	return out
}
