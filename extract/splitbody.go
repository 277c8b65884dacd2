package extract

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Split bodies: an article whose paragraphs sit in several sibling containers (a free
// intro and a subscriber's remainder, text modules around a related-links box or an
// embedded post) of which readability kept only some. completeSplitBody finds the page's
// prose paragraphs that readability left out but that sit next to the ones it kept (their
// containers share a parent or grandparent with the kept text, and nothing on the way is
// named as chrome), and adds their containers to the article, in page order. The chrome
// stripper then cleans them like the rest.

// splitBodyReach is how many levels above the kept paragraphs' container a left-out
// paragraph's container may branch off.
const splitBodyReach = 2

// minKeptKey is the shortest key (paraKey, in bytes) of a paragraph that locates the kept
// text: shorter ones (a dateline, a caption) are too short to tell.
const minKeptKey = 48

// completeSplitBody adds to content (readability's article, whose nodes are copies) the
// containers of left-out prose paragraphs of d.root next to the kept ones.
func (d *Document) completeSplitBody(content *html.Node) {
	if len(d.paras) < 2 {
		return
	}
	inContent := map[string]*html.Node{}
	collectParas(content, 0, func(p *html.Node) {
		if k := paraKey(p); len(k) >= minKeptKey {
			inContent[k] = p
		}
	})
	if len(inContent) == 0 || len(inContent) >= len(d.paras) {
		return
	}
	kept := make([]*html.Node, len(d.paras)) // the content copy of each kept paragraph
	var chain ancestry                       // the kept paragraphs' lowest common ancestor and its ancestors
	for i, p := range d.paras {
		if c := inContent[paraKey(p)]; c != nil {
			kept[i] = c
			chain.include(p)
		}
	}
	if chain.anchor() == nil {
		return
	}
	anchor := chain.anchor()
	page := content
	if f := firstElementChild(content); f != nil && attr(f, "id") == "readability-page-1" {
		page = f
	}
	// Weighed only when needed: most of a page's <p>s are never looked at.
	weights := map[*html.Node]int{}
	isProse := func(p *html.Node) bool {
		w, ok := weights[p]
		if !ok {
			w = proseWeight(p, 0)
			weights[p] = w
		}
		return w >= 80
	}
	var regions []*html.Node
	seen := map[*html.Node]bool{}
	added := 0
	var lastInserted *html.Node
	for i, p := range d.paras {
		if kept[i] != nil {
			lastInserted = nil
			continue
		}
		region := d.splitRegion(p, &chain)
		if region == nil || seen[region] || !isProse(p) {
			continue
		}
		seen[region] = true
		if containsKept(region, d.paras, kept) || !proseRegion(region, d.paras, isProse) || teaserRegion(region) {
			continue
		}
		if precedingKept(kept, i) != nil && followingKept(kept, i) == nil && !sameShapeAsKept(region, d.paras, kept) {
			// After the article, only more of the article's own containers: comments,
			// appeals, promotions and other posts follow articles too.
			continue
		}
		clone := cloneTree(region)
		switch {
		case lastInserted != nil:
			insertAfter(lastInserted, clone)
		case precedingKept(kept, i) != nil:
			insertAfter(topUnder(precedingKept(kept, i), page), clone)
		case followingKept(kept, i) != nil:
			top := topUnder(followingKept(kept, i), page)
			top.Parent.InsertBefore(clone, top)
		default:
			continue
		}
		lastInserted = clone
		regions = append(regions, region)
		added += countParas(region, d.paras, isProse)
	}
	if added > 0 {
		// The heading right above the kept container is the section's too.
		if h := prevElement(anchor); h != nil && isHeading(h) && !hasHeadingText(page, collapsedText(h)) {
			if first := firstKept(kept); first != nil {
				top := topUnder(first, page)
				top.Parent.InsertBefore(cloneTree(h), top)
			}
		}
	}
	if added > 0 && d.cfg.explain != nil {
		d.cfg.explain("split-body", fmt.Sprintf("readability left out %d paragraphs in %d containers next to the article's: added", added, len(regions)))
	}
}

// splitRegion returns the container of left-out paragraph p that branches off at most
// splitBodyReach levels above the kept paragraphs' container, or nil when p is elsewhere,
// hidden or in chrome.
func (d *Document) splitRegion(p *html.Node, chain *ancestry) *html.Node {
	var region, join *html.Node
	for n := p; n != nil; n = n.Parent {
		if up, ok := chain.level[n]; ok {
			if up > splitBodyReach || region == nil {
				return nil
			}
			join = n
			break
		}
		region = n
	}
	if join == nil {
		return nil
	}
	for n := p; n != join; n = n.Parent {
		if n.Type == html.ElementNode && d.outOfFlow(n) {
			return nil
		}
	}
	return region
}

// outOfFlow reports whether element n is chrome or hidden, remembering the answer: the
// paragraphs of a region share their ancestors.
func (d *Document) outOfFlow(n *html.Node) bool {
	if v, ok := d.outOfFlowSeen[n]; ok {
		return v
	}
	if d.outOfFlowSeen == nil {
		d.outOfFlowSeen = map[*html.Node]bool{}
	}
	v := chromeContainer(n) || hiddenElement(n)
	d.outOfFlowSeen[n] = v
	return v
}

// ancestry is the lowest common ancestor of the nodes included so far, with its ancestors
// and their distance from it.
type ancestry struct {
	nodes []*html.Node // the anchor first, then its ancestors up to the root
	level map[*html.Node]int
}

func (a *ancestry) anchor() *html.Node {
	if len(a.nodes) == 0 {
		return nil
	}
	return a.nodes[0]
}

// include makes the anchor the lowest common ancestor of itself and p's parent.
func (a *ancestry) include(p *html.Node) {
	if a.level == nil {
		a.level = map[*html.Node]int{}
		for n := p.Parent; n != nil; n = n.Parent {
			a.level[n] = len(a.nodes)
			a.nodes = append(a.nodes, n)
		}
		return
	}
	for n := p; n != nil; n = n.Parent {
		if i, ok := a.level[n]; ok {
			if i > 0 {
				for _, gone := range a.nodes[:i] {
					delete(a.level, gone)
				}
				a.nodes = a.nodes[i:]
				for j, k := range a.nodes {
					a.level[k] = j
				}
			}
			return
		}
	}
}

// chromeContainer reports whether element n is named or tagged as page furniture.
func chromeContainer(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Aside, atom.Footer, atom.Nav, atom.Form, atom.Header, atom.Figure, atom.Table, atom.Ul, atom.Ol, atom.Dialog:
		return true
	}
	cid := classID(n)
	return cid != "" && (cueBits(cid)&(chromeCues.cueBit|commentCues.cueBit|shareCues.cueBit|outOfFlowCues.cueBit) != 0 ||
		startsWithCue(cid, outOfFlowCues))
}

// startsWithCue reports whether a class / id token of cid begins with a cue of set of six
// letters or more ("signaturesn", "modalwindow").
func startsWithCue(cid string, set *tokenSet) bool {
	for tok, rest := nextCueToken(cid); tok != ""; tok, rest = nextCueToken(rest) {
		for i := 6; i < len(tok); i++ {
			if set.has(tok[:i]) {
				return true
			}
		}
	}
	return false
}

// outOfFlowCues are class / id tokens of containers beside an article's text: dialogs and
// overlays, reader communities, pictures and their captions, signatures, author and
// metadata boxes.
var outOfFlowCues = newCueSet("modal", "dialog", "popup", "overlay", "lightbox", "slidein", "flyout",
	"login", "register", "registration", "community", "comunidad", "forum", "comentarios",
	"kommentare", "commentaires", "commenti", "reactions", "signature", "image", "img", "photo",
	"picture", "caption", "media", "gallery", "credit", "video", "meta", "author", "authors", "bio",
	"profile")

// teaserRegion reports whether region holds a heading that is a link (another page's
// headline) or more links than paragraphs.
func teaserRegion(region *html.Node) bool {
	links, paras, linkedHeading := 0, 0, false
	var walk func(n *html.Node, inHeading bool, depth int)
	walk = func(n *html.Node, inHeading bool, depth int) {
		if n.Type != html.ElementNode || depth > maxDepth {
			return
		}
		switch {
		case n.DataAtom == atom.A:
			links++
			linkedHeading = linkedHeading || inHeading
			return
		case n.DataAtom == atom.P:
			paras++
		case isHeading(n):
			inHeading = true
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inHeading, depth+1)
		}
	}
	walk(region, false, 0)
	return linkedHeading || links > paras
}

// sameShapeAsKept reports whether region has the tag and class of a container, beside it,
// that holds kept paragraphs: more modules of the article's text.
func sameShapeAsKept(region *html.Node, paras, kept []*html.Node) bool {
	for i, p := range paras {
		if kept[i] == nil {
			continue
		}
		for n := p; n != nil && n.Parent != nil; n = n.Parent {
			if n.Parent == region.Parent {
				if n.Data == region.Data && attr(n, "class") == attr(region, "class") {
					return true
				}
				break
			}
		}
	}
	return false
}

// hiddenElement reports whether n is hidden from readers.
func hiddenElement(n *html.Node) bool {
	if hasAttr(n, "hidden") || attr(n, "aria-hidden") == "true" {
		return true
	}
	style := strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", "")
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
}

// proseRegion reports whether most of region's text is in prose paragraphs (isProse) and
// little of it in links.
func proseRegion(region *html.Node, paras []*html.Node, isProse func(*html.Node) bool) bool {
	total := len(strings.Join(strings.Fields(textOf(region)), " "))
	prose := 0
	for _, p := range paras {
		if isAncestor(region, p) && isProse(p) {
			prose += len(strings.Join(strings.Fields(textOf(p)), " "))
		}
	}
	return total > 0 && prose*10 >= total*6 && linkDensity(region) < 0.25
}

func containsKept(region *html.Node, paras, kept []*html.Node) bool {
	for i, p := range paras {
		if kept[i] != nil && isAncestor(region, p) {
			return true
		}
	}
	return false
}

func countParas(region *html.Node, paras []*html.Node, isProse func(*html.Node) bool) int {
	n := 0
	for _, p := range paras {
		if isAncestor(region, p) && isProse(p) {
			n++
		}
	}
	return n
}

func firstKept(kept []*html.Node) *html.Node {
	for _, k := range kept {
		if k != nil {
			return k
		}
	}
	return nil
}

// prevElement returns the element before n among its siblings, or nil.
func prevElement(n *html.Node) *html.Node {
	for s := n.PrevSibling; s != nil; s = s.PrevSibling {
		if s.Type == html.ElementNode {
			return s
		}
	}
	return nil
}

// hasHeadingText reports whether a heading under n reads text.
func hasHeadingText(n *html.Node, text string) bool {
	found := false
	walkElementsUntil(n, 0, func(e *html.Node) bool {
		if isHeading(e) && collapsedText(e) == text {
			found = true
		}
		return found
	})
	return found
}

// walkElementsUntil calls fn on the elements under n in page order until it returns true.
func walkElementsUntil(n *html.Node, depth int, fn func(*html.Node) bool) bool {
	if depth > maxDepth {
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && (fn(c) || walkElementsUntil(c, depth+1, fn)) {
			return true
		}
	}
	return false
}

func precedingKept(kept []*html.Node, i int) *html.Node {
	for j := i - 1; j >= 0; j-- {
		if kept[j] != nil {
			return kept[j]
		}
	}
	return nil
}

func followingKept(kept []*html.Node, i int) *html.Node {
	for j := i + 1; j < len(kept); j++ {
		if kept[j] != nil {
			return kept[j]
		}
	}
	return nil
}

// topUnder returns n's ancestor (or n) whose parent is page.
func topUnder(n, page *html.Node) *html.Node {
	for n.Parent != nil && n.Parent != page {
		n = n.Parent
	}
	return n
}

func insertAfter(ref, n *html.Node) {
	ref.Parent.InsertBefore(n, ref.NextSibling)
}

// paraKey identifies a paragraph across the page and readability's copy of it: the first
// 64 bytes of its text, whitespace collapsed (read no further than that).
func paraKey(p *html.Node) string {
	var b strings.Builder
	b.Grow(64 + utf8.UTFMax)
	space := false
	var walk func(n *html.Node, depth int) bool
	walk = func(n *html.Node, depth int) bool {
		if depth > maxDepth {
			return true
		}
		switch n.Type {
		case html.TextNode:
			for _, r := range n.Data {
				if r == ' ' || r >= '\t' && r <= '\r' || r >= utf8.RuneSelf && unicode.IsSpace(r) {
					space = b.Len() > 0
					continue
				}
				if space {
					b.WriteByte(' ')
					space = false
				}
				b.WriteRune(r)
				if b.Len() >= 64 {
					return true
				}
			}
			return false
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template:
				return false
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c, depth+1) {
				return true
			}
		}
		return false
	}
	walk(p, 0)
	return b.String()
}

// collectParas calls fn for every <p> under n.
func collectParas(n *html.Node, depth int, fn func(*html.Node)) {
	if depth > maxDepth {
		return
	}
	if n.Type == html.ElementNode && n.DataAtom == atom.P {
		fn(n)
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		collectParas(c, depth+1, fn)
	}
}

func isAncestor(a, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}

func firstElementChild(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return c
		}
	}
	return nil
}

// cloneTree returns a deep copy of n, detached.
func cloneTree(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace}
	c.Attr = append([]html.Attribute(nil), n.Attr...)
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.AppendChild(cloneTree(ch))
	}
	return c
}
