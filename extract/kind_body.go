package extract

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The extracted body: an article has prose of its own, paragraphs with few links in them; a
// front's text, when readability takes its teaser list for the body, is headlines linking
// elsewhere, each with a sentence or two in a card of its own. The cards are found on
// readability's choice before chrome stripping (which removes the link-dense headlines and
// would leave the teasers looking like paragraphs), and the body is measured after it.

// bodyStats describe the extracted body.
type bodyStats struct {
	measured   bool
	blocks     int // text blocks
	proseChars int // weighted characters (textWeight) of own prose: blocks that are not teasers, with few links
	proseParas int // own prose blocks of 80 weighted characters or more
	headlines  int // headlines linking to another page (before cleaning)
	teasers    int // blocks in a headline's card, right after a headline, or cut short with an ellipsis
	truncated  int // prose blocks cut short with an ellipsis, as teasers are (before cleaning)
	teaserText int // weighted characters of the headlines and teasers (before cleaning)
	totalChars int // weighted characters of all blocks
	linkChars  int // of which inside links
}

// Thresholds of the body measure (weighted characters).
const (
	proseBlockMin = 40 // shorter blocks (datelines, credits, subheads) are not prose
	proseParaMin  = 80 // a paragraph
	cardMaxBlocks = 4  // a card holds a headline and at most three more blocks
	minHeadlines  = 3  // fewer headlines are an article's "read also" links, not a list
	minTruncated  = 2  // likewise for paragraphs cut short
)

// textWeight is the length of s in characters, each Han, Kana, Hangul or Thai character
// counting three (those scripts say in one character what others say in about three).
func textWeight(s string) int {
	n, space := 0, false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = n > 0
			continue
		case isCJK(r):
			n += 3
		default:
			n++
		}
		if space {
			n++
			space = false
		}
	}
	return n
}

// teaserMarks are the teaser cards of a body, found before cleaning.
type teaserMarks struct {
	headlines, truncated int
	text                 int                 // weighted characters of headlines and teasers
	nodes                map[*html.Node]bool // card elements and teaser blocks
}

// findTeasers finds the teaser cards below root: blocks that are a headline linking to
// another page (three or more of them), the smallest element around each that holds at most
// cardMaxBlocks blocks (its card), the block right after each headline, and paragraphs cut
// short with an ellipsis (two or more).
func (d *Document) findTeasers(root *html.Node) teaserMarks {
	m := teaserMarks{nodes: map[*html.Node]bool{}}
	bs := blocks(root, false)
	weights := make([]int, len(bs))
	headline := make([]bool, len(bs))
	truncated := make([]bool, len(bs))
	inBlocks := map[*html.Node]int{} // blocks below each element
	for i, b := range bs {
		weights[i] = textWeight(b.text)
		if b.linkDensity() >= 0.6 && weights[i] >= headlineWeight && d.linksElsewhere(b, root) {
			headline[i] = true
			m.headlines++
		} else if weights[i] >= proseParaMin && endsTruncated(b.text) {
			truncated[i] = true
			m.truncated++
		}
		for n := b.nodes[0].Parent; n != nil && n != root.Parent; n = n.Parent {
			inBlocks[n]++
		}
	}
	if m.headlines < minHeadlines && m.truncated < minTruncated {
		return teaserMarks{}
	}
	for i, b := range bs {
		switch {
		case headline[i] && m.headlines >= minHeadlines:
			m.text += weights[i]
			var card *html.Node
			for n := b.nodes[0].Parent; n != nil && n != root && inBlocks[n] <= cardMaxBlocks; n = n.Parent {
				card = n
			}
			if card != nil {
				m.nodes[card] = true
			}
			if i+1 < len(bs) && !headline[i+1] {
				for _, n := range bs[i+1].nodes {
					m.nodes[n] = true
				}
			}
		case truncated[i] && m.truncated >= minTruncated:
			for _, n := range b.nodes {
				m.nodes[n] = true
			}
		}
	}
	for i, b := range bs {
		if !headline[i] && marked(b.nodes[0], root, m.nodes) {
			m.text += weights[i]
		}
	}
	return m
}

// measureBody measures the body Article returns: its content node (cleaned), or, when the
// body came from JSON-LD (content is nil), its text. marks are the body's teaser cards.
func (d *Document) measureBody(content *html.Node, text string, marks teaserMarks) bodyStats {
	st := bodyStats{measured: true, headlines: marks.headlines, truncated: marks.truncated, teaserText: marks.text}
	if content == nil {
		for p := range strings.SplitSeq(text, "\n\n") {
			w := textWeight(p)
			if w == 0 {
				continue
			}
			st.blocks++
			st.totalChars += w
			if w >= proseBlockMin {
				st.proseChars += w
			}
			if w >= proseParaMin {
				st.proseParas++
			}
		}
		return st
	}
	for _, b := range blocks(content, false) {
		w := textWeight(b.text)
		density := b.linkDensity()
		st.blocks++
		st.totalChars += w
		st.linkChars += int(density * float64(w))
		switch {
		case marked(b.nodes[0], content, marks.nodes):
			st.teasers++
		case density < 0.3 && w >= proseBlockMin:
			st.proseChars += int(float64(w) * (1 - density))
			if w >= proseParaMin {
				st.proseParas++
			}
		}
	}
	return st
}

// endsTruncated reports whether a block ends with an ellipsis, as a teaser cut short does.
func endsTruncated(text string) bool {
	t := strings.TrimRight(text, " \u00a0\"'”’»)]")
	return strings.HasSuffix(t, "…") || strings.HasSuffix(t, "...")
}

// marked reports whether n, or an element around it below root, is in the set.
func marked(n, root *html.Node, set map[*html.Node]bool) bool {
	if len(set) == 0 {
		return false
	}
	for ; n != nil && n != root; n = n.Parent {
		if set[n] {
			return true
		}
	}
	return false
}

// linksElsewhere reports whether block b's link (inside it, or around it below root) leads
// to another page than this one.
func (d *Document) linksElsewhere(b *block, root *html.Node) bool {
	var a *html.Node
	for n := b.nodes[0]; n != nil && n != root && a == nil; n = n.Parent {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			a = n
		}
	}
	for _, n := range b.nodes {
		if a != nil {
			break
		}
		a = firstLink(n, 0)
	}
	if a == nil {
		return false
	}
	href := strings.TrimSpace(attr(a, "href"))
	if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(strings.ToLower(href), "javascript:") {
		return false
	}
	u := resolve(d.base, href)
	if u == nil || d.url == nil {
		return u != nil
	}
	k := pageKey(u)
	if k == pageKey(d.url) {
		return false
	}
	if c := resolve(nil, d.canonical); c != nil && d.canonical != "" && k == pageKey(c) {
		return false
	}
	return true
}

// firstLink returns the first <a> at or below n.
func firstLink(n *html.Node, depth int) *html.Node {
	if depth > maxDepth {
		return nil
	}
	if n.Type == html.ElementNode && n.DataAtom == atom.A {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if a := firstLink(c, depth+1); a != nil {
			return a
		}
	}
	return nil
}
