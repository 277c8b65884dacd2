package extract

// Text blocks: the rendered units of text the cleaner's second pass judges one by one.

import (
	"lede"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// block is one unit of rendered text: a block element without block descendants, or a run
// of inline nodes between block siblings.
type block struct {
	nodes []*html.Node
	text  string // whitespace-collapsed text
	norm  string // lede.NormalizeText(text)
	words int
	index int  // position among the article's blocks
	last  bool // one of the article's last two blocks
	// density is the share of the block's text inside links; -1 until computed.
	density float64
}

// blockDetail says how much of each block blocks computes beyond its nodes and text.
type blockDetail uint8

// blocks segments root into text blocks, in document order.
func blocks(root *html.Node, detail blockDetail) []*block {
	var out []*block
	var run []*html.Node
	flush := func() {
		if len(run) == 0 {
			return
		}
		var c collapser // collapse of the run's texts joined by spaces, without joining them first
		for _, n := range run {
			c.write(textOf(n))
			c.write(" ")
		}
		if t := c.b.String(); t != "" {
			out = append(out, newBlock(t, run, detail))
		}
		run = nil
	}
	// hasBlock[n]: n's subtree holds a block element; one post-order pass instead of a
	// search per node.
	hasBlock := map[*html.Node]bool{}
	var mark func(n *html.Node, depth int) bool
	mark = func(n *html.Node, depth int) bool {
		found := false
		if depth <= maxDepth {
			for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
				if ch.Type == html.ElementNode && (mark(ch, depth+1) || isBlock(ch)) {
					found = true
				}
			}
		}
		if found {
			hasBlock[n] = true
		}
		return found
	}
	mark(root, 0)
	hasBlockDescendant := func(n *html.Node) bool { return hasBlock[n] }
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			switch {
			case ch.Type == html.ElementNode && ch.DataAtom == atom.Br:
				// A line break ends a visual line: each line of a <br>-separated run is
				// a block of its own (legacy layouts put whole boxes in such runs).
				run = append(run, ch)
				flush()
			case isBlock(ch) || (ch.Type == html.ElementNode && hasBlockDescendant(ch)):
				flush()
				if hasBlockDescendant(ch) || hasChildBr(ch) {
					walk(ch, depth+1)
					flush()
				} else if t := collapsedText(ch); t != "" {
					out = append(out, newBlock(t, []*html.Node{ch}, detail))
				}
			case ch.Type == html.TextNode || ch.Type == html.ElementNode:
				run = append(run, ch)
			}
		}
	}
	walk(root, 0)
	flush()
	return out
}

// hasChildBr reports whether n has a <br> child: its lines are then blocks of their own.
func hasChildBr(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == atom.Br {
			return true
		}
	}
	return false
}

// longBlock is the length (in words) past which no rule needs a block's normalised text,
// unless a WithDropBlock predicate asks for it.
const longBlock = 80

func newBlock(text string, nodes []*html.Node, detail blockDetail) *block {
	b := &block{nodes: append([]*html.Node(nil), nodes...), text: text, density: -1}
	if detail == blockPlain {
		return b
	}
	b.words = lede.WordCount(text)
	if detail == blockNormAll || b.words <= longBlock {
		b.norm = lede.NormalizeText(text)
	}
	return b
}

// el returns the block's element when it is a single element, else nil.
func (b *block) el() *html.Node {
	if len(b.nodes) == 1 && b.nodes[0].Type == html.ElementNode {
		return b.nodes[0]
	}
	return nil
}

// attached reports whether the block's nodes are still in the tree under root.
func (b *block) attached(root *html.Node) bool {
	for n := b.nodes[0]; n != nil; n = n.Parent {
		if n == root {
			return true
		}
	}
	return false
}

func (b *block) linkDensity() float64 {
	if b.density < 0 {
		b.density = b.computeLinkDensity()
	}
	return b.density
}

func (b *block) computeLinkDensity() float64 {
	total, links := 0, 0
	for _, n := range b.nodes {
		t := len(collapsedText(n))
		total += t
		if n.Type == html.ElementNode {
			links += int(linkDensity(n)*float64(t) + 0.5)
		}
	}
	if total == 0 {
		return 0
	}
	return float64(links) / float64(total)
}
