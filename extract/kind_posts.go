package extract

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Post lists: a blog's or a CMS's archive, category, tag, author or home page is a run of
// sibling post containers (<article>, or the hentry / post / h-entry classes blog themes put
// on them), each with a heading that links to the post's own page and an excerpt or the whole
// post below it. Readability often drops the posts' headers (a <header class="entry-header">
// reads as page chrome), and what is left, the excerpts, reads as paragraphs of prose: the
// list is found on the raw page, before readability, and the extracted body's blocks that
// come from its posts are not counted as the page's own prose.

// postClasses are class tokens blog themes put on a post's container.
var postClasses = newTokenSet("hentry", "post", "h-entry", "type-post")

// isPostContainer reports whether element n holds a post: an <article>, or a post class.
func isPostContainer(n *html.Node) bool {
	if n.DataAtom == atom.Article {
		return true
	}
	for tok := range strings.FieldsSeq(strings.ToLower(attr(n, "class"))) {
		if postClasses.has(tok) {
			return true
		}
	}
	return false
}

// minListPosts is the least number of sibling posts, each with a headline linking to its own
// page, that make a list: a blog's home page may show two whole posts.
const minListPosts = 2

// postList is the list of posts of the raw page, when it has one.
type postList struct {
	// size is the size of the list of each post, by the post's number: every element of
	// a listed post carries its number in postAttr, which survives readability's copying
	// of the tree (stripAttrs removes it from the article's HTML).
	size []int
}

// postAttr is the attribute findPostList marks the elements of listed posts with.
const postAttr = "data-lede-post"

// findPostList groups the page's post containers (noted by scan, outside menus and chrome)
// that have a headline linking elsewhere by their parent (a wrapper holding one post only,
// as grid columns do, is climbed over) and marks the posts of every group of minListPosts or
// more. It runs before readability copies the tree.
func (d *Document) findPostList() postList {
	if len(d.postCands) < minListPosts {
		return postList{}
	}
	cand := make(map[*html.Node]bool, len(d.postCands))
	for _, n := range d.postCands {
		cand[n] = true
	}
	var order []*html.Node // groups, in page order
	groups := map[*html.Node][]*html.Node{}
	targets := map[*html.Node]map[string]bool{}
	for _, n := range d.postCands {
		nested := false
		for p := n.Parent; p != nil; p = p.Parent {
			if cand[p] {
				nested = true
				break
			}
		}
		if nested {
			continue
		}
		target := d.postHeadline(n)
		if target == "" {
			continue
		}
		g := n.Parent
		for i := 0; i < 2 && g != nil && g.Parent != nil && elementChildren(g) == 1; i++ {
			g = g.Parent
		}
		if g == nil {
			continue
		}
		if targets[g] == nil {
			targets[g] = map[string]bool{}
			order = append(order, g)
		}
		if !targets[g][target] { // a post linked twice is one post
			targets[g][target] = true
			groups[g] = append(groups[g], n)
		}
	}
	var pl postList
	for _, g := range order {
		posts := groups[g]
		if len(posts) < minListPosts {
			continue
		}
		for _, p := range posts {
			id := strconv.Itoa(len(pl.size))
			pl.size = append(pl.size, len(posts))
			markSubtree(p, 0, func(n *html.Node) {
				if n.Type == html.ElementNode {
					n.Attr = append(n.Attr, html.Attribute{Key: postAttr, Val: id})
				}
			})
		}
	}
	return pl
}

// postHeadline returns the page key of the page a post's headline links to (a heading
// with a link in it, or a link around a heading), or "" when it has none that leads
// elsewhere.
func (d *Document) postHeadline(post *html.Node) string {
	var found string
	var walk func(n *html.Node, depth int, link *html.Node) bool
	walk = func(n *html.Node, depth int, link *html.Node) bool {
		if depth > maxDepth || n.Type != html.ElementNode {
			return false
		}
		if n.DataAtom == atom.A {
			link = n
		}
		if isHeading(n) {
			a := link
			if a == nil {
				a = firstLink(n, 0)
			}
			if a != nil {
				found = d.elsewhere(attr(a, "href"))
			}
			return true // the post's first heading decides
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c, depth+1, link) {
				return true
			}
		}
		return false
	}
	walk(post, 0, nil)
	return found
}

// elementChildren counts n's child elements.
func elementChildren(n *html.Node) int {
	k := 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			k++
		}
	}
	return k
}

// markSubtree calls fn on n and every node below it.
func markSubtree(n *html.Node, depth int, fn func(*html.Node)) {
	if depth > maxDepth {
		return
	}
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		markSubtree(c, depth+1, fn)
	}
}

// of returns the number of the listed post a block of the body comes from (the first of
// its nodes, or of their ancestors below root, that carries postAttr) and the size of its
// list; -1, 0 for none.
func (pl postList) of(b *block, root *html.Node) (int, int) {
	if pl.size == nil {
		return -1, 0
	}
	for _, n := range b.nodes {
		for ; n != nil && n != root.Parent; n = n.Parent {
			if id := pl.number(n); id >= 0 {
				return id, pl.size[id]
			}
		}
	}
	return -1, 0
}

// number is the number of the listed post element n belongs to, or -1.
func (pl postList) number(n *html.Node) int {
	if n == nil || n.Type != html.ElementNode || pl.size == nil {
		return -1
	}
	for _, a := range n.Attr {
		if a.Key == postAttr {
			if id, err := strconv.Atoi(a.Val); err == nil && id < len(pl.size) {
				return id
			}
		}
	}
	return -1
}
