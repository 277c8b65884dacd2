package extract

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"lede"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// learnPage is an article page whose chrome has made-up words in unusual markup that no
// generic rule knows, inside and around the article, and whose last paragraph is the
// attribution line the site closes every article with.
func learnPage(n int) string {
	var b strings.Builder
	b.WriteString(`<html><head><title>Story ` + fmt.Sprint(n) + `</title></head><body>
<div class="qx-top"><span class="qx-t">Zorblat Fnerk Wibble</span> <span class="qx-t">Plonk Vrask</span></div>
<div class="story-wrap"><h1>Story number ` + fmt.Sprint(n) + `</h1>
<div class="story-body">
<div class="qx-strip"><i>Glorp the Snarfle</i> <i>Mimsy Borogove</i></div>`)
	for i := range 6 {
		fmt.Fprintf(&b, "<p>Paragraph %d of story %d tells the council of the town what happened on the river bank during the long night of rain and wind.</p>\n", i, n)
		if i == 2 {
			b.WriteString(`<div class="qx-mid"><span>Kwazzle the Florp</span> <span>Brillig Tove</span></div>`)
		}
	}
	b.WriteString(`<p>(Reuters)</p>
<div class="qx-end"><b>Frumious Bandersnatch Quarterly</b></div>
</div>
</div>
<div class="qx-foot">Snicker Snack Vorpal Limited</div>
</body></html>`)
	return b.String()
}

// learnedChrome is what a crawler would learn from learnPage: every block found on all its
// pages, the attribution line included (frequency alone cannot tell it apart).
func learnedChrome(t *testing.T) map[uint64]bool {
	t.Helper()
	count := map[uint64]int{}
	for n := range 5 {
		d, err := Parse([]byte(learnPage(n)), fmt.Sprintf("https://learn.example/story/%d", n))
		if err != nil {
			t.Fatal(err)
		}
		for _, fp := range d.BlockFingerprints() {
			count[fp]++
		}
	}
	set := map[uint64]bool{}
	for fp, c := range count {
		if c == 5 {
			set[fp] = true
		}
	}
	return set
}

func TestBlockFingerprints(t *testing.T) {
	d, err := Parse([]byte(learnPage(1)), "https://learn.example/story/1")
	if err != nil {
		t.Fatal(err)
	}
	fps := d.BlockFingerprints()
	for _, want := range []string{"Zorblat Fnerk Wibble Plonk Vrask", "Snicker Snack Vorpal Limited", "(Reuters)",
		"Paragraph 0 of story 1 tells the council of the town what happened on the river bank during the long night of rain and wind."} {
		if !slices.Contains(fps, lede.Fingerprint(want)) {
			t.Errorf("no fingerprint for block %q", want)
		}
	}
	if slices.Contains(fps, lede.Fingerprint("Story 1")) {
		t.Error("the <head>'s title was fingerprinted: only the body's blocks count")
	}
	seen := map[uint64]bool{}
	for _, fp := range fps {
		if seen[fp] {
			t.Fatalf("fingerprint %x listed twice", fp)
		}
		seen[fp] = true
	}
	if _, err := d.Article(); err != nil {
		t.Fatal(err)
	}
	if got := d.BlockFingerprints(); got != nil {
		t.Errorf("BlockFingerprints after Article = %d fingerprints, want nil (the tree was rewritten)", len(got))
	}
}

func TestLearnedChromeKeepsArticleText(t *testing.T) {
	chrome := learnedChrome(t)
	if !chrome[lede.Fingerprint("(Reuters)")] || !chrome[lede.Fingerprint("Glorp the Snarfle Mimsy Borogove")] {
		t.Fatal("the test's learned set misses the blocks it is about")
	}
	page := []byte(learnPage(9))
	plain, err := Extract(page, "https://learn.example/story/9")
	if err != nil {
		t.Fatal(err)
	}
	var rules []string
	a, err := Extract(page, "https://learn.example/story/9",
		WithExplain(func(rule, text string) { rules = append(rules, rule+": "+text) }),
		WithDropBlock(func(norm string) bool { return chrome[lede.Fingerprint(norm)] }))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plain.Text, "Glorp") {
		t.Fatalf("the generic rules already remove the made-up chrome; the test proves nothing:\n%s", plain.Text)
	}
	for _, gone := range []string{"Glorp", "Bandersnatch", "Kwazzle"} {
		if strings.Contains(a.Text, gone) {
			t.Errorf("learned chrome %q left in the article:\n%s", gone, a.Text)
		}
	}
	// The attribution line repeats on every page but is one of the article's paragraphs.
	if !strings.Contains(a.Text, "(Reuters)") {
		t.Errorf("the attribution line was removed:\n%s", a.Text)
	}
	for i := range 6 {
		if p := fmt.Sprintf("Paragraph %d of story 9", i); !strings.Contains(a.Text, p) {
			t.Errorf("%q lost", p)
		}
	}
	if !slices.ContainsFunc(rules, func(r string) bool { return strings.HasPrefix(r, RuleLearnedChrome+": Glorp") }) {
		t.Errorf("explain did not report the learned removal: %v", rules)
	}
	if slices.ContainsFunc(rules, func(r string) bool { return strings.Contains(r, "Reuters") }) {
		t.Errorf("explain reported the attribution line as removed: %v", rules)
	}
}

func TestLearnedChromeArabicAttribution(t *testing.T) {
	page := readFixture(t, "ar-legacy")
	chrome := map[uint64]bool{lede.Fingerprint("المصدر: وكالات"): true, lede.Fingerprint("روسيا تدعو إلى محاربة الإرهاب"): true}
	a, err := Extract(page, "https://alghad.example/news/1", WithDropBlock(func(norm string) bool { return chrome[lede.Fingerprint(norm)] }))
	if err != nil {
		t.Fatal(err)
	}
	for _, keep := range []string{"المصدر: وكالات", "روسيا تدعو إلى محاربة الإرهاب"} {
		if !strings.Contains(a.Text, keep) {
			t.Errorf("%q is the article's own text and was removed", keep)
		}
	}
}

func TestNoLearnedChromeNoChange(t *testing.T) {
	page := []byte(learnPage(3))
	a, err := Extract(page, "https://learn.example/story/3")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Extract(page, "https://learn.example/story/3", WithDropBlock(func(string) bool { return false }))
	if err != nil {
		t.Fatal(err)
	}
	if a.Text != b.Text {
		t.Errorf("a predicate that drops nothing changed the text:\n%s\n---\n%s", a.Text, b.Text)
	}
}

// dropScripts removes the scripts under n.
func dropScripts(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && c.DataAtom == atom.Script {
			n.RemoveChild(c)
		} else {
			dropScripts(c)
		}
		c = next
	}
}

// TestBlockFingerprintsMatchBlocks checks the streaming BlockFingerprints against the
// chrome stripper's own segmentation (blocks) of the same body, on the fixtures and, when
// present, the zyte-dev benchmark pages: a learned fingerprint must be the one the cleaner
// computes for the same block.
func TestBlockFingerprintsMatchBlocks(t *testing.T) {
	pages := map[string][]byte{"learn": []byte(learnPage(1))}
	for _, pattern := range []string{fixtureDir + "/*.html", "../../shared/bench/zyte-dev/html/*.html.gz"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(f, ".gz") {
				zr, err := gzip.NewReader(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				if b, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			pages[filepath.Base(f)] = b
		}
	}
	for name, page := range pages {
		d, err := Parse(page, "https://site.example/a")
		if err != nil {
			continue
		}
		got := d.BlockFingerprints()
		// blocks() reads a <script> in a run of inline nodes (readability's output has
		// none); BlockFingerprints leaves scripts out, as it should on a raw page.
		dropScripts(d.root)
		var want []uint64
		seen := map[uint64]bool{}
		if body := findBody(d.root); body != nil {
			for _, b := range blocks(body, blockNormAll) {
				if fp := lede.NormalizedFingerprint(b.norm); hasLetter(b.norm) && !seen[fp] && len(want) < maxPageFingerprints {
					seen[fp] = true
					want = append(want, fp)
				}
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: BlockFingerprints gives %d fingerprints, blocks %d", name, len(got), len(want))
		}
	}
	if len(pages) < 2 {
		t.Fatal("no fixtures found")
	}
}

// TestLearnedChromeKeepsData checks the guards beside the paragraph run: numbers, table
// cells and a paragraph of prose with a styling class of its own are kept even when learned;
// a short line with a class of its own in the text's place is chrome.
func TestLearnedChromeKeepsData(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<html><body><div class="post"><h1>Standings after the race</h1><div class="entry">`)
	for i := range 5 {
		fmt.Fprintf(&b, `<p class="mt30">Paragraph %d about the race in the rain, the tyres, the pit stops and the final laps that decided it.</p>`, i)
	}
	b.WriteString(`<p class="mt60">The stewards will meet again on Monday to review the incident at the first corner of the track.</p>`)
	b.WriteString(`<p class="zq-plug">Blorp Weekly Snarfle</p>`)
	b.WriteString(`<table><tr><th>Pos.</th><th>Driver</th></tr><tr><td>1</td><td>Kyle Busch</td></tr><tr><td>2</td><td>Martin Truex</td></tr></table>`)
	b.WriteString(`<p class="mt30">One more paragraph of the race report, long enough to be the article's own prose here.</p></div></div></body></html>`)
	learned := map[uint64]bool{}
	for _, s := range []string{"1", "2", "Pos.", "Kyle Busch", "Blorp Weekly Snarfle",
		"The stewards will meet again on Monday to review the incident at the first corner of the track."} {
		learned[lede.Fingerprint(s)] = true
	}
	a, err := Extract([]byte(b.String()), "https://race.example/a", WithDropBlock(func(n string) bool { return learned[lede.NormalizedFingerprint(n)] }))
	if err != nil {
		t.Fatal(err)
	}
	for _, keep := range []string{"Kyle Busch", "Pos.", "The stewards will meet again"} {
		if !strings.Contains(a.Text, keep) {
			t.Errorf("%q removed:\n%s", keep, a.Text)
		}
	}
	if strings.Contains(a.Text, "Blorp") {
		t.Errorf("the learned plug line was kept:\n%s", a.Text)
	}
	d, err := Parse([]byte(b.String()), "https://race.example/a")
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(d.BlockFingerprints(), lede.Fingerprint("1")) {
		t.Error("a digit-only block was fingerprinted")
	}
}

// TestTextBlocksAreTheFingerprintedBlocks checks that TextBlocks gives the blocks
// BlockFingerprints counts (same cut, scripts left out) with their text, in document order.
func TestTextBlocksAreTheFingerprintedBlocks(t *testing.T) {
	pages := map[string][]byte{"learn": []byte(learnPage(1)),
		"script in a run": []byte(`<html><body><div>Lead line <script>var x = "hidden code";</script> goes on</div><p>Second block.</p></body></html>`)}
	files, _ := filepath.Glob(fixtureDir + "/*.html")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages[filepath.Base(f)] = b
	}
	for name, page := range pages {
		d, err := Parse(page, "https://site.example/a")
		if err != nil {
			t.Fatal(err)
		}
		texts := d.TextBlocks()
		var got []uint64
		seen := map[uint64]bool{}
		for _, text := range texts {
			if strings.Contains(text, "hidden code") {
				t.Errorf("%s: script text in a block: %q", name, text)
			}
			if fp := lede.Fingerprint(text); hasLetter(lede.NormalizeText(text)) && !seen[fp] && len(got) < maxPageFingerprints {
				seen[fp] = true
				got = append(got, fp)
			}
		}
		if want := d.BlockFingerprints(); !slices.Equal(got, want) {
			t.Errorf("%s: TextBlocks fingerprint to %d blocks, BlockFingerprints gives %d", name, len(got), len(want))
		}
		if _, err := d.Article(); err == nil && d.TextBlocks() != nil {
			t.Errorf("%s: TextBlocks after Article", name)
		}
	}
	d, _ := Parse(pages["script in a run"], "https://site.example/a")
	if got := d.TextBlocks(); !slices.Equal(got, []string{"Lead line goes on", "Second block."}) {
		t.Errorf("blocks %q", got)
	}
}
