package extract

import (
	"fmt"
	"strings"
)

// pageStats are the counts Kind uses, gathered by Parse's single walk.
type pageStats struct {
	articles      int // <article> elements
	h1            int
	links         int
	textChars     int // bytes of body text
	linkChars     int // bytes of body text inside links
	goodParas     int // <p>, and <li>, <dd>, <blockquote> without <p> children, with at least 80 characters outside links
	goodParaChars int // characters of those paragraphs
	// maxSiblingParas is the most such paragraphs under one parent: an article's body
	// keeps them together, a listing's teasers sit each in its own card.
	maxSiblingParas int
	// maxDirectText is the most text (bytes, outside links) directly under one element:
	// the body of a page written with <br> rather than <p>.
	maxDirectText int
}

// Kinds of page, as Document.Kind returns them.
const (
	KindArticle = "article"
	KindHub     = "hub"
)

// Kind classifies the page as "article" or "hub" (section front, tag page, listing, home),
// with a short reason such as "og:type=article" or "link density 0.82". It reads counts
// taken at Parse time, so it is cheap and valid before and after Article.
func (d *Document) Kind() (kind, reason string) {
	s := d.stats
	m := &d.meta
	ogType := strings.ToLower(m.get("og:type"))
	ldArticle := m.ld.Type != ""
	density := 0.0
	if s.textChars > 0 {
		density = float64(s.linkChars) / float64(s.textChars)
	}
	listing := ""
	for _, t := range m.ldTypes {
		switch strings.ToLower(t) {
		case "collectionpage", "itemlist", "searchresultspage", "profilepage":
			listing = t
		}
	}
	// Prose: paragraphs together under one parent, or a long run of text under one element.
	prose := (s.goodParaChars >= 600 && s.maxSiblingParas >= 3) || s.maxDirectText >= 1200
	longProse := density < 0.6 && (s.goodParaChars >= 3000 || (s.goodParaChars >= 1500 && s.maxSiblingParas >= 3) || s.maxDirectText >= 2500)
	someProse := s.goodParaChars >= 200 || s.maxSiblingParas >= 2 || s.maxDirectText >= 400
	articleType := ""
	switch {
	case ogType == "article" || strings.HasPrefix(ogType, "article"):
		articleType = "og:type=" + ogType
	case ldArticle:
		articleType = "JSON-LD @type=" + m.ld.Type
	case d.bodyCandidateStrict:
		articleType = "itemprop=articleBody"
	}
	switch {
	case listing != "" && !longProse:
		return KindHub, "JSON-LD @type=" + listing
	case articleType != "" && someProse:
		return KindArticle, articleType
	case longProse:
		return KindArticle, fmt.Sprintf("%d characters of paragraphs", max(s.goodParaChars, s.maxDirectText))
	case s.articles >= 4:
		return KindHub, fmt.Sprintf("%d <article> elements", s.articles)
	case prose && density < 0.5 && s.h1 >= 1:
		return KindArticle, fmt.Sprintf("headline and %d paragraphs", s.maxSiblingParas)
	case prose && density < 0.35:
		return KindArticle, fmt.Sprintf("%d paragraphs together, link density %.2f", s.maxSiblingParas, density)
	case density >= 0.5:
		return KindHub, fmt.Sprintf("link density %.2f", density)
	case s.goodParas < 3:
		return KindHub, fmt.Sprintf("only %d paragraphs of prose", s.goodParas)
	}
	return KindHub, fmt.Sprintf("%d characters of paragraphs, link density %.2f", s.goodParaChars, density)
}
