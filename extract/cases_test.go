package extract

import (
	"bytes"
	"lede"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The pages in testdata/extract/cases are written after real layouts, one class of hard case
// each (named by the file's prefix: paywall-ja, split-body-de...), in several languages. Each
// <name>.html has <name>.txt beside it, the article's exact text. Every element of the page
// marked data-expect-rule="RULE" is furniture that must go, and --explain (WithExplain) must
// name RULE for it; the attribute is the test's, the extractor never reads it. Elements marked
// data-expect-keep hold article text that must stay (a fact box, a table, a quotation).
//
//	go test ./extract -run TestCases -update   # rewrite the .txt files, then read the diff

const casesDir = fixtureDir + "/cases"

// caseURL is a written page's address: its rel=canonical.
func caseURL(t *testing.T, page []byte) string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	u := ""
	walkElements(doc, func(n *html.Node) {
		if n.Data == "link" && attr(n, "rel") == "canonical" && u == "" {
			u = attr(n, "href")
		}
	})
	if u == "" {
		t.Fatal("the page has no rel=canonical")
	}
	return u
}

func walkElements(n *html.Node, fn func(*html.Node)) {
	if n.Type == html.ElementNode {
		fn(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walkElements(c, fn)
	}
}

// expectations returns the page's marked elements: furniture (rule → texts) and kept texts.
func expectations(t *testing.T, page []byte) (furniture [][2]string, kept []string) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	walkElements(doc, func(n *html.Node) {
		if r := attr(n, "data-expect-rule"); r != "" {
			furniture = append(furniture, [2]string{r, lede.NormalizeText(renderText(n))})
		}
		if hasAttr(n, "data-expect-keep") {
			kept = append(kept, lede.NormalizeText(renderText(n)))
		}
	})
	return furniture, kept
}

type removal struct{ rule, norm string }

// explained reports whether a removal by rule covers the furniture text want: the removed
// text and the furniture overlap (one holds the other, or the start of it, since --explain
// shortens long texts).
func explained(removals []removal, rule, want string) bool {
	for _, r := range removals {
		if r.rule != rule || r.norm == "" {
			continue
		}
		head := want
		if len(head) > 40 {
			head = head[:strings.LastIndexByte(head[:40], ' ')+1]
		}
		if strings.Contains(want, r.norm) || strings.Contains(r.norm, strings.TrimSpace(head)) {
			return true
		}
	}
	return false
}

func TestCases(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join(casesDir, "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) == 0 {
		t.Fatal("no pages in " + casesDir)
	}
	for _, path := range pages {
		name := strings.TrimSuffix(filepath.Base(path), ".html")
		t.Run(name, func(t *testing.T) {
			page, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var removals []removal
			var log strings.Builder
			a, err := Extract(page, caseURL(t, page), WithExplain(func(rule, text string) {
				removals = append(removals, removal{rule, lede.NormalizeText(strings.TrimSuffix(text, "…"))})
				log.WriteString(rule + ": " + text + "\n")
			}))
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			txt := strings.TrimSuffix(path, ".html") + ".txt"
			if *update {
				if err := os.WriteFile(txt, []byte(a.Text+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(txt)
			if err != nil {
				t.Fatal(err)
			}
			if a.Text != strings.TrimSuffix(string(want), "\n") {
				t.Errorf("text differs from %s:\n%s\nremoved:\n%s", txt, firstDiff(a.Text, strings.TrimSuffix(string(want), "\n")), log.String())
			}
			furniture, kept := expectations(t, page)
			norm := lede.NormalizeText(a.Text)
			for _, f := range furniture {
				if !explained(removals, f[0], f[1]) {
					t.Errorf("no %q removal explained for %q\nremoved:\n%s", f[0], shorten(f[1], 80), log.String())
				}
				if f[1] != "" && strings.Contains(norm, f[1]) {
					t.Errorf("furniture %q is still in the text", shorten(f[1], 80))
				}
			}
			for _, k := range kept {
				if !strings.Contains(norm, k) {
					t.Errorf("article text %q is missing", shorten(k, 80))
				}
			}
		})
	}
}

// TestCasesCoverEveryClass keeps the written pages honest: each class has pages in at least
// two languages.
func TestCasesCoverEveryClass(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join(casesDir, "*.html"))
	langs := map[string][]string{}
	for _, p := range pages {
		name := strings.TrimSuffix(filepath.Base(p), ".html")
		i := strings.LastIndexByte(name, '-')
		class, lang := name[:i], name[i+1:]
		if !slices.Contains(langs[class], lang) {
			langs[class] = append(langs[class], lang)
		}
	}
	for class, ls := range langs {
		if len(ls) < 2 {
			t.Errorf("class %s has pages in %v only", class, ls)
		}
	}
}
