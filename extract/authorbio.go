package extract

import (
	"lede"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Author bio boxes: the box after (or before) the article that presents its writer, with a
// picture, the name linked to the writer's page and a sentence or two ("Jess is a former
// park ranger who…", "Anna Berger ist Redakteurin im Ressort Immobilien", "صحفية متخصصة في
// الشؤون الاقتصادية"). Two shapes are recognised: a box named for its author (class or id
// such as author, bio, autor, writer) holding a link to an author's page or a picture; and,
// among the article's last blocks, a paragraph that opens with a link to an author's page.

// authorBoxCues are class / id tokens of author boxes.
var authorBoxCues = newCueSet("author", "authors", "authorbox", "authorinfo", "aboutauthor",
	"abouttheauthor", "bio", "biography", "contributor", "contributors", "writer", "writerinfo",
	"autor", "autoren", "autorbox", "autorin", "auteur", "autore", "columnist", "yazar", "penulis")

// authorPathWords are the words of the addresses of writers' pages.
var authorPathWords = newTokenSet("author", "authors", "autor", "autoren", "autorin", "auteur",
	"auteurs", "autore", "autori", "writer", "writers", "columnist", "columnists", "journalist",
	"journalists", "journalisten", "reporter", "reporters", "staff", "people", "profile",
	"profiles", "redaktion", "redakteur", "kolumnist", "yazar", "yazarlar", "penulis", "wartawan")

// authorBoxRule names the rule that removes element n (with class / id cid) as an author
// box, or returns "".
func authorBoxRule(n *html.Node, cid string) string {
	if matchCue(cid, authorBoxCues) == "" {
		return ""
	}
	words := lede.WordCount(textOf(n))
	if words < 12 || words > 150 || longParagraphs(n, 0) > 1 {
		return ""
	}
	if !containsImg(n) && !linksToAuthor(n) {
		return ""
	}
	return "author-bio"
}

// authorParagraphRule names the rule for one of the article's last blocks that opens with a
// link to a writer's page and goes on about that writer, or returns "".
func (c *cleaner) authorParagraphRule(b *block) string {
	el := b.el()
	if el == nil || b.words < 8 || b.words > 80 || b.index < c.blockCount-3 {
		return ""
	}
	first := firstContent(el)
	for first != nil && first.Type == html.ElementNode && first.DataAtom != atom.A && first.FirstChild != nil {
		first = firstContent(first)
	}
	if first == nil || first.Type != html.ElementNode || first.DataAtom != atom.A || !linksToAuthor(first) {
		return ""
	}
	if name := lede.WordCount(textOf(first)); name == 0 || name > 5 {
		return ""
	}
	return "author-bio"
}

// firstContent returns n's first child that is an element or non-blank text.
func firstContent(n *html.Node) *html.Node {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode || (ch.Type == html.TextNode && strings.TrimSpace(ch.Data) != "") {
			return ch
		}
	}
	return nil
}

// linksToAuthor reports whether n is or holds a link to a writer's page (rel=author, or an
// address with a word such as author, autor or writers).
func linksToAuthor(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if n.DataAtom == atom.A {
		if strings.Contains(attr(n, "rel"), "author") {
			return true
		}
		u := resolve(nil, attr(n, "href"))
		return u != nil && matchCue(strings.ToLower(u.Path), authorPathWords) != ""
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if linksToAuthor(ch) {
			return true
		}
	}
	return false
}

// longParagraphs counts the paragraphs of 200 characters or more under n.
func longParagraphs(n *html.Node, depth int) int {
	if depth > maxDepth {
		return 0
	}
	if n.Type == html.ElementNode && (n.DataAtom == atom.P || n.DataAtom == atom.Li || n.DataAtom == atom.Blockquote) {
		if utf8.RuneCountInString(collapsedText(n)) >= 200 {
			return 1
		}
		return 0
	}
	count := 0
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		count += longParagraphs(ch, depth+1)
	}
	return count
}
