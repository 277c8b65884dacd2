package extract

import (
	"fmt"
	"lede"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Empty results: when readability, lede's fallbacks and the chrome stripper leave nothing
// (readability chose a header whose headline then went, or a huge page's <article> held the
// headline only), the page's longest run of paragraphs is the article: the element whose
// <p> children hold the most prose. That beats "no article" on a page that has one.

// fillEmpty returns, when text holds no word, the cleaned text of the page's paragraph run
// (content becomes nil: the text has no tree of its own); else text and content unchanged.
func (d *Document) fillEmpty(c *cleaner, text string, content *html.Node) (string, *html.Node) {
	if d.textWords(text) > 0 {
		return text, content
	}
	root, err := parseHTML(d.page, d.cfg.contentType)
	if err != nil {
		return text, content
	}
	run := paragraphRun(root)
	if run == nil {
		return text, content
	}
	quiet := *c
	quiet.cfg = &config{dropBlock: d.cfg.dropBlock}
	alt := (&quiet).cleanText(run)
	if lede.WordCount(alt) == 0 {
		return text, content
	}
	if d.cfg.explain != nil {
		d.cfg.explain("paragraph-run", fmt.Sprintf("nothing was left: using the page's longest run of paragraphs (%d words)", lede.WordCount(alt)))
	}
	return alt, nil
}

// paragraphRun returns the element under root whose <p> children hold the most prose
// (text outside links), outside dialogs, consent banners and chrome containers, or nil
// when no element has a run of paragraphs: three of them, or two of 40 characters each,
// with 60 characters in all.
func paragraphRun(root *html.Node) *html.Node {
	type run struct{ prose, paras, long int }
	runs := map[*html.Node]*run{}
	var best *html.Node
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type != html.ElementNode {
				continue
			}
			switch {
			case ch.DataAtom == atom.P:
				l := proseWeight(ch, 0)
				if l == 0 {
					continue
				}
				r := runs[n]
				if r == nil {
					r = &run{}
					runs[n] = r
				}
				r.prose += l
				r.paras++
				if l >= 40 {
					r.long++
				}
				if r.prose >= 60 && (r.paras >= 3 || r.long >= 2) && (best == nil || r.prose > runs[best].prose) {
					best = n
				}
			case ch.DataAtom == atom.Script || ch.DataAtom == atom.Style || hiddenElement(ch) ||
				consentContainer(ch) || chromeContainer(ch):
			default:
				walk(ch, depth+1)
			}
		}
	}
	walk(root, 0)
	return best
}
