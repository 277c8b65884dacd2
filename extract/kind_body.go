package extract

import (
	"cmp"
	"strings"
	"unicode"
	"unicode/utf8"

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
	// captionChars are the weighted characters of blocks in captions (figcaption,
	// itemprop=caption, a caption class): a gallery's text, not prose.
	captionChars int
	// repeats is how many other elements of the page have the tag and class of the body's
	// container and hold prose of their own: the body is one post of a list of posts.
	repeats   int
	container string // that tag and class, for the reason
	// postChars are the weighted characters of blocks from the posts of a list of posts
	// (kind_posts.go), posts how many posts they come from and postList the largest list's
	// size: a listing's excerpts or whole posts, not the page's own prose.
	postChars, posts, postList int
}

// Thresholds of the body measure (weighted characters).
const (
	proseBlockMin = 40 // shorter blocks (datelines, credits, subheads) are not prose
	proseParaMin  = 80 // a paragraph
	cardMaxBlocks = 4  // a card holds a headline and at most three more blocks
	cardLabelMax  = 20 // a shorter block before a card's headline is a label (a section's name, a time)
	minHeadlines  = 3  // fewer headlines are an article's "read also" links, not a list
	// minHeadingWeight is the least weight of a heading linking elsewhere to count as a
	// headline: a column's title can be two words.
	minHeadingWeight = 8
	minTruncated     = 2 // likewise for paragraphs cut short
)

// textWeight is the length of s in characters, each Han, Kana, Hangul or Thai character
// counting three (those scripts say in one character what others say in about three).
func textWeight(s string) int {
	n, space := 0, false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && r != ' ' && (r < '\t' || r > '\r'): // ASCII fast path
			n++
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
	if f := scanBody(root); !f.links && !f.ellipsis {
		return teaserMarks{} // most articles: no link long enough to be a headline, nothing cut short
	}
	m := teaserMarks{nodes: map[*html.Node]bool{}}
	bs := blocks(root, blockPlain)
	weights := make([]int, len(bs))
	headline := make([]bool, len(bs))
	truncated := make([]bool, len(bs))
	// Per element: blocks below it, paragraphs below it, and the first block of some length.
	inBlocks, inParas, first := map[*html.Node]int{}, map[*html.Node]int{}, map[*html.Node]int{}
	for i, b := range bs {
		weights[i] = textWeight(b.text)
		if (weights[i] >= headlineWeight || weights[i] >= minHeadingWeight && isHeadingBlock(b)) &&
			blockLinkDensity(b, root) >= 0.6 && d.linksElsewhere(b, root) {
			headline[i] = true
			m.headlines++
		} else if weights[i] >= proseParaMin && endsTruncated(b.text) {
			truncated[i] = true
			m.truncated++
		}
		for n := b.nodes[0].Parent; n != nil && n != root.Parent; n = n.Parent {
			inBlocks[n]++
			if weights[i] >= proseParaMin && !headline[i] {
				inParas[n]++
			}
			if _, ok := first[n]; !ok && (weights[i] >= cardLabelMax || headline[i]) {
				first[n] = i
			}
		}
	}
	if m.headlines == 0 && m.truncated < minTruncated {
		return teaserMarks{}
	}
	for i, b := range bs {
		switch {
		case headline[i]:
			// A headline's card is a teaser whatever their number; the block after a
			// headline outside a card only in a list of them.
			m.text += weights[i]
			// The card: the largest element around the headline that holds at most
			// cardMaxBlocks blocks, one paragraph, and begins with the headline (short
			// labels aside). A "read also" link amid a brief's paragraphs has none.
			var card *html.Node
			for n := b.nodes[0].Parent; n != nil && n != root && inBlocks[n] <= cardMaxBlocks && inParas[n] <= 1 && first[n] == i; n = n.Parent {
				card = n
			}
			if card != nil {
				m.nodes[card] = true
			}
			if m.headlines >= minHeadlines && i+1 < len(bs) && !headline[i+1] {
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
	if content == nil || len(marks.nodes) == 0 && d.posts.size == nil && !scanBody(content).linksOrCaptions() {
		// No links, captions or teasers: the rendered text has the same blocks, one per line,
		// and is cheaper to measure.
		for p := range strings.SplitSeq(text, "\n") {
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
	touched := map[int]bool{}
	for _, b := range blocks(content, blockPlain) {
		w := textWeight(b.text)
		density := blockLinkDensity(b, content)
		st.blocks++
		st.totalChars += w
		st.linkChars += int(density * float64(w))
		post, size := d.posts.of(b, content)
		switch {
		case post >= 0:
			st.postChars += w
			touched[post] = true
			st.postList = max(st.postList, size)
		case marked(b.nodes[0], content, marks.nodes):
			st.teasers++
		case inCaption(b.nodes[0], content):
			st.captionChars += w
		case density < 0.3 && w >= proseBlockMin:
			st.proseChars += int(float64(w) * (1 - density))
			if w >= proseParaMin {
				st.proseParas++
			}
		}
	}
	st.posts = len(touched)
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

// blockLinkDensity is the share of block b's text inside links: all of it when a link wraps
// the block (a card whose every line is one link), else the links inside it (counted on the
// raw text, cheaper than block.linkDensity).
func blockLinkDensity(b *block, root *html.Node) float64 {
	if enclosingLink(b.nodes[0], root) != nil {
		return 1
	}
	total, links := 0, 0
	for _, n := range b.nodes {
		t, l := linkChars(n)
		total += t
		links += l
	}
	if total == 0 {
		return 0
	}
	return float64(links) / float64(total)
}

// enclosingLink returns the <a> around n (n itself included) below root, or nil.
func enclosingLink(n, root *html.Node) *html.Node {
	for ; n != nil && n != root; n = n.Parent {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			return n
		}
	}
	return nil
}

// linksElsewhere reports whether block b's link (inside it, or around it below root) leads
// to another page than this one.
func (d *Document) linksElsewhere(b *block, root *html.Node) bool {
	a := enclosingLink(b.nodes[0], root)
	for _, n := range b.nodes {
		if a != nil {
			break
		}
		a = firstLink(n, 0)
	}
	return a != nil && d.elsewhere(attr(a, "href")) != ""
}

// elsewhere returns the page key (see pageKey) of the page href leads to when that is
// another page than this one, else "": a fragment, a script, this page or its canonical.
func (d *Document) elsewhere(href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(strings.ToLower(href), "javascript:") {
		return ""
	}
	u := resolve(d.base, href)
	if u == nil {
		return ""
	}
	k := pageKey(u)
	if d.url == nil {
		return cmp.Or(k, href)
	}
	if k == pageKey(d.url) {
		return ""
	}
	if c := resolve(nil, d.canonical); c != nil && d.canonical != "" && k == pageKey(c) {
		return ""
	}
	return k
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

// inCaption reports whether n sits in a caption below root: <figcaption>, itemprop=caption,
// or a class or id with "caption".
func inCaption(n, root *html.Node) bool {
	for ; n != nil && n != root; n = n.Parent {
		if isCaption(n) {
			return true
		}
	}
	return false
}

// isCaption reports whether element n is a caption: <figcaption>, itemprop=caption, or a
// class or id with "caption".
func isCaption(n *html.Node) bool {
	return n.Type == html.ElementNode && (n.DataAtom == atom.Figcaption ||
		strings.EqualFold(strings.TrimSpace(attr(n, "itemprop")), "caption") || strings.Contains(classID(n), "caption"))
}

// repeatedBodyMin is the least prose (weighted characters) of an element repeating the
// body's container for it to count as another post.
const repeatedBodyMin = 200

// countRepeats counts the elements left in the page (readability moved the body out of it)
// with the tag and class of the body's container, each holding prose of its own: on a blog's
// home page, the other posts. It returns the count and the container's "tag.class".
func (d *Document) countRepeats(content *html.Node) (int, string) {
	var top *html.Node
	for c := content.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			if top != nil {
				return 0, "" // readability gathered several elements: no single container
			}
			top = c
		}
	}
	if top == nil {
		return 0, ""
	}
	class := strings.TrimSpace(attr(top, "class"))
	if class == "" {
		return 0, ""
	}
	n := 0
	var walk func(*html.Node, int)
	walk = func(e *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		for c := e.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == top.DataAtom && strings.TrimSpace(attr(c, "class")) == class {
				if proseWeight(c, 0) >= repeatedBodyMin {
					n++
				}
				continue
			}
			walk(c, depth+1)
		}
	}
	walk(d.root, 0)
	return n, top.Data + "." + strings.Join(strings.Fields(class), ".")
}

// isHeadingBlock reports whether block b is a heading element, or sits in one.
func isHeadingBlock(b *block) bool {
	for n := b.nodes[0]; n != nil; n = n.Parent {
		if isHeading(n) {
			return true
		}
		if n.Type == html.ElementNode && isBlock(n) && n != b.nodes[0] {
			return false
		}
	}
	return false
}

// bodyFlags say what a body holds, from one cheap walk.
type bodyFlags struct {
	links    bool // an <a> whose text could make a headline
	anyLink  bool // an <a> with text
	captions bool // a caption (see inCaption)
	ellipsis bool // text with "…" or "..."
}

// linksOrCaptions reports whether blocks are needed to measure the body.
func (f bodyFlags) linksOrCaptions() bool { return f.anyLink || f.captions }

// scanBody walks a body once for bodyFlags.
func scanBody(root *html.Node) bodyFlags {
	var f bodyFlags
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		switch n.Type {
		case html.TextNode:
			if !f.ellipsis && (strings.Contains(n.Data, "…") || strings.Contains(n.Data, "...")) {
				f.ellipsis = true
			}
			return
		case html.ElementNode:
			if n.DataAtom == atom.A {
				if w := textWeight(textOf(n)); w > 0 {
					f.anyLink = true
					f.links = f.links || w >= minHeadingWeight
				}
			}
			f.captions = f.captions || isCaption(n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(root, 0)
	return f
}
