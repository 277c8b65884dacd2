package extract

import (
	"lede"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// "Sources" link lists: the links to the documents an article drew on, under a "Sources",
// "Quellen", "المصادر" or "出典" label ("Sources: <a>…</a>, <a>…</a>", or the label as a
// heading over a list of links). They are links, not the article's text. A source named in
// plain words ("Source: Reuters", "المصدر: وكالات") is the article's attribution and stays.

// sourcesLabels label source lists.
var sourcesLabels = newPhraseSet(
	"sources", "source", "sources and links", "references", "quellen", "quelle", "quellenangaben",
	"weblinks", "einzelnachweise", "fuentes", "fuente", "fonti", "fonte", "fontes", "bronnen", "bron",
	"źródła", "źródło", "источники", "источник", "kaynaklar", "kaynak", "sumber", "nguồn",
	"المصادر", "مصادر", "المصدر", "المراجع", "منابع", "منبع", "מקורות", "מקור",
	"出典", "参考", "参考文献", "参照", "来源", "资料来源", "參考資料", "출처", "참고",
)

// sourcesRule names the rule that removes block b as a list of source links (or its label,
// then removing the link lists that follow), or returns "".
func (c *cleaner) sourcesRule(b *block) string {
	if b.words > 40 {
		return ""
	}
	label, rest, ok := sourcesLabels.prefix(b.norm)
	if !ok {
		return ""
	}
	if rest != "" {
		// "Sources: <a>…</a>, <a>…</a>": the label, a colon, then links.
		i := strings.IndexAny(b.text, ":：")
		if i < 0 || lede.NormalizeText(b.text[:i]) != label {
			return ""
		}
		if b.linkDensity() >= 0.6 && countLinks(b.nodes) >= 2 {
			return "sources"
		}
		return ""
	}
	next := followingElement(b, true)
	if next == nil || linkDensity(next) < 0.6 || lede.WordCount(textOf(next)) == 0 {
		return ""
	}
	c.dropFollowingSources(next)
	return "sources"
}

// countLinks counts the links under nodes.
func countLinks(nodes []*html.Node) int {
	n := 0
	for _, nd := range nodes {
		walkLinks(nd, 0, func(*html.Node) { n++ })
	}
	return n
}

func walkLinks(n *html.Node, depth int, fn func(*html.Node)) {
	if depth > maxDepth {
		return
	}
	if n.Type == html.ElementNode && n.DataAtom == atom.A {
		fn(n)
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walkLinks(c, depth+1, fn)
	}
}

// dropFollowingSources removes the link lists from s on.
func (c *cleaner) dropFollowingSources(s *html.Node) {
	for s != nil {
		next := nextElement(s)
		t := collapsedText(s)
		if t == "" || linkDensity(s) < 0.6 {
			break
		}
		c.drop("sources", t, s)
		s = next
	}
}
