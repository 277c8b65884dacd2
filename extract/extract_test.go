package extract

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

var update = flag.Bool("update", false, "rewrite golden files and generated fixtures in testdata/extract")

const fixtureDir = "../testdata/extract"

// fixtures are the pages in testdata/extract, each served from a made-up address.
var fixtures = []struct {
	name string // file name without .html
	url  string
	ar   bool // the seed article (Arabic)
}{
	{"ar-article", "https://www.alghad-radio.example/a/washington-moscow-syria/281015.html", true},
	{"ar-legacy", "http://alghad-news.example/news/2015/09/15/5500.html", true},
	{"ar-legacy-1256", "http://alghad-news.example/news/2015/09/15/5500.html", true},
	{"ar-inline", "https://alghad.example/story/77123", true},
	// Chrome inside the paragraphs' container: skip links, byline and date lines, a text-size
	// list, a caption twice, an inline "read also", a share strip and a related heading.
	{"ar-flat-list", "https://shabaka.example/n/5", true},
	// The whole page in one layout table cell: dateline, text-size links and caption sit in
	// the same cell as the paragraphs.
	{"ar-table", "http://shabaka-akhbar.example/n/100", true},
	{"en-article", "https://riverside-ledger.example/news/2024/03/05/rail-yard-park?utm_source=x", false},
	{"en-legacy", "http://riverside-daily.example/story/10.html", false},
	{"en-flat-list", "https://riverside-times.example/n/1", false},
	// en-legacy with a footer of 700 <font> tags that are never closed: more open elements
	// than the HTML parser accepts.
	{"en-font-soup", "http://riverside-daily.example/story/10.html", false},
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name+".html"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// seedPath is the seed page's text, in the shared data beside the checkout.
const seedPath = "../../shared/seed/000_704214bd83c03b0c.txt"

// seedText is the article of ../shared/seed as lede must give it: the seed without its
// chrome (skip links, the caption twice, the size selector) and without the headline.
func seedText(t testing.TB) (title, text string) {
	t.Helper()
	raw, err := os.ReadFile(seedPath)
	if err != nil {
		// Keep a copy of the expectation next to the fixtures so the test runs without ../shared.
		raw, err = os.ReadFile(filepath.Join(fixtureDir, "seed-expected.txt"))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitN(string(raw), "\n\n", 2)
		return lines[0], strings.TrimSpace(lines[1])
	}
	var lines []string
	for _, l := range strings.Split(string(raw), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	// lines: "Accessibility links", headline, caption, caption, body..., "المصدر: وكالات", XS SM MD LG.
	end := len(lines) - 4
	return lines[1], strings.Join(lines[4:end], "\n\n")
}

func TestSeedExpectationFile(t *testing.T) {
	if _, err := os.Stat(seedPath); err != nil {
		t.Skipf("no seed to check the expectation file against: %v", err) // seedText would read the file itself
	}
	title, text := seedText(t)
	path := filepath.Join(fixtureDir, "seed-expected.txt")
	want := title + "\n\n" + text + "\n"
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s is out of date with the seed: run go test ./extract -update", path)
	}
	if !strings.HasSuffix(text, "المصدر: وكالات") {
		t.Fatalf("seed text should end with the source line, ends %q", text[len(text)-40:])
	}
}

// TestWindows1256Fixture keeps ar-legacy-1256.html, the legacy page encoded in windows-1256
// with the charset declared only in <meta>, in step with its UTF-8 source ar-legacy.html.
func TestWindows1256Fixture(t *testing.T) {
	src := string(readFixture(t, "ar-legacy"))
	if !strings.Contains(src, "charset=utf-8") {
		t.Fatal("ar-legacy.html should declare charset=utf-8 in its <meta>")
	}
	src = strings.Replace(src, "charset=utf-8", "charset=windows-1256", 1)
	want, err := charmap.Windows1256.NewEncoder().Bytes([]byte(src))
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	path := filepath.Join(fixtureDir, "ar-legacy-1256.html")
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date: run go test ./extract -run TestWindows1256Fixture -update", path)
	}
	if bytes.Contains(got, []byte("واشنطن")) {
		t.Fatal("fixture is still UTF-8")
	}
}

// TestGolden compares the whole extraction (metadata and exact text) with the golden JSON
// next to each fixture. Run with -update to rewrite them after a deliberate change, then
// read the diff.
func TestGolden(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			a, err := Extract(readFixture(t, f.name), f.url)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			got, err := json.MarshalIndent(a, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join(fixtureDir, f.name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("extraction differs from %s:\n got: %s\nwant: %s", path, got, want)
			}
		})
	}
}

// TestSeedLayouts asserts, independently of the golden files, that every layout of the seed
// article gives exactly the seed's article: no chrome, the headline as title, lang ar.
func TestSeedLayouts(t *testing.T) {
	title, text := seedText(t)
	for _, f := range fixtures {
		if !f.ar {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			a, err := Extract(readFixture(t, f.name), f.url)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if a.Title != title {
				t.Errorf("title %q, want %q", a.Title, title)
			}
			if a.Lang != "ar" {
				t.Errorf("lang %q, want ar", a.Lang)
			}
			for _, chrome := range []string{"Accessibility links", "XS", "LG", "Skip to", "مواضيع ذات صلة", "اقرأ أيضا", "فيسبوك", "طباعة", "النشرة البريدية", "الكلمات المفتاحية"} {
				if strings.Contains(a.Text, chrome) {
					t.Errorf("text keeps chrome %q", chrome)
				}
			}
			if n := strings.Count(a.Text, "فلادمير بوتين- أرشيف"); n > 1 {
				t.Errorf("caption kept %d times", n)
			}
			if a.Text != text {
				t.Errorf("text differs from the seed article:\n%s", firstDiff(a.Text, text))
			}
		})
	}
}

func TestEnglishLayouts(t *testing.T) {
	want := strings.Join([]string{
		"The city council voted 9 to 2 on Tuesday night to turn the disused rail yard on the east bank of the river into a public park, ending a decade of argument over the site.",
		"The plan sets aside 14 hectares for lawns, wetlands and a cycle path, and keeps two of the yard's brick engine sheds as a market hall and a community workshop.",
		"Mayor Ana Ruiz said the vote was \"the biggest gift this council can give to people who will live here long after us\". Work is due to start next spring.",
		"Paying for the park",
		"The first phase will cost about 48 million dollars, most of it from a regional green-space fund. The council will borrow the rest over twenty years.",
		"Two councillors voted against, saying the money would be better spent on housing. \"A park is welcome, but families need homes first,\" said councillor Tom Becker.",
		"Cleaning up the soil",
		"Engineers found diesel and heavy metals in parts of the yard. The contaminated soil will be removed or capped before any planting begins, a process expected to take eighteen months.",
		"Residents will be asked to comment on the detailed design at three public meetings in the autumn.",
	}, "\n\n")
	for _, f := range fixtures {
		if f.ar {
			continue
		}
		t.Run(f.name, func(t *testing.T) {
			a, err := Extract(readFixture(t, f.name), f.url)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if a.Title != "City council approves plan to turn old rail yard into riverside park" {
				t.Errorf("title %q", a.Title)
			}
			if a.Text != want {
				t.Errorf("text differs:\n%s", firstDiff(a.Text, want))
			}
			if a.Published.IsZero() {
				t.Error("published date not found")
			}
		})
	}
}

// firstDiff shows where two texts part.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return "(equal)"
}

func TestMetadata(t *testing.T) {
	a, err := Extract(readFixture(t, "ar-article"), fixtures[0].url)
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string][2]string{
		"published":                {a.Published.Format("2006-01-02T15:04:05Z07:00"), "2015-09-15T18:30:00+03:00"},
		"modified":                 {a.Modified.Format("2006-01-02T15:04:05Z07:00"), "2015-09-16T08:05:00+03:00"},
		"site_name":                {a.SiteName, "إذاعة الغد"},
		"site":                     {a.Site, "alghad-radio.example"},
		"byline":                   {a.Byline, "غرفة الأخبار"},
		"canonical":                {a.CanonicalURL, "https://www.alghad-radio.example/a/washington-moscow-syria/281015.html"},
		"image":                    {a.Image, "https://www.alghad-radio.example/media/2015/09/obama-putin.jpg"},
		"title (no | Site suffix)": {a.Title, "واشنطن تجدد دعوتها موسكو للتعاون 'البناء' في سورية"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if a.WordCount < 350 || a.WordCount > 420 {
		t.Errorf("word_count %d, want about 390", a.WordCount)
	}
	if !strings.Contains(a.HTML, "<h2>") || strings.Contains(a.HTML, "class=") {
		t.Errorf("cleaned HTML should keep headings and drop classes: %.200s", a.HTML)
	}
}
