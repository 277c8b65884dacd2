package store

import (
	"context"
	"errors"
	"fmt"
	"lede"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// arabicText is an article body written for these tests after the seed page's style.
const arabicText = `جددت الولايات المتحدة دعوتها لروسيا إلى التعاون من أجل محاربة تنظيم الدولة الإسلامية في سورية، بدلا من تعزيز وجودها العسكري هناك، في حين أكدت موسكو مواصلة دعمها العسكري لدمشق "في مواجهة الإرهاب".

ومع تصاعد القلق الأميركي من التواجد العسكري الروسي في سورية، دعا المتحدث باسم البيت الأبيض روسيا إلى "المزيد من التواصل البنّاء" مع التحالف بدلا من مدّ دمشق بالسلاح.

روسيا تدعو إلى محاربة الإرهاب

وأعلنت وزارة الخارجية الأميركية أن الوزير أجرى اتصالا هاتفيا بنظيره الروسي، وهو الثاني خلال أسبوع، وبحث معه الوضع في سورية وأوكرانيا.

المصدر: وكالات`

func arabicArticle(url string) *lede.Article {
	return &lede.Article{
		URL: url, CanonicalURL: url, SiteName: "قناة المثال",
		Title:     "واشنطن تجدد دعوتها موسكو للتعاون 'البناء' في سورية",
		Byline:    "مراسل المثال",
		Published: time.Date(2015, 9, 16, 10, 30, 0, 0, time.UTC),
		Lang:      "ar", Text: arabicText, HTML: "<p>" + arabicText + "</p>",
	}
}

func TestArabicRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, path := openTemp(t)
	a := arabicArticle("https://news.example/ar/2015/09/16/washington")
	raw := []byte(`<html dir="rtl"><meta charset="windows-1256"><p>` + "\xc7\xe1\xd1\xc6\xed\xd3" + `</p></html>`)
	res, err := db.PutArticle(ctx, a, raw)
	if err != nil || res != Inserted {
		t.Fatalf("PutArticle = %v, %v", res, err)
	}
	if a.ID == "" || a.ContentHash == "" || a.FirstSeen.IsZero() || a.Site != "news.example" || a.WordCount < 50 {
		t.Fatalf("PutArticle did not fill ID/hash/first-seen/site/words: %+v", a)
	}
	db.Close()

	db, err = Open(path, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, key := range []string{a.ID, a.URL, "HTTPS://NEWS.EXAMPLE/ar/2015/09/16/washington#comments"} {
		got, err := db.Get(ctx, key)
		if err != nil {
			t.Fatalf("Get(%s): %v", key, err)
		}
		if got.Text != arabicText || got.Title != a.Title || got.SiteName != a.SiteName || got.Byline != a.Byline ||
			!got.Published.Equal(a.Published) || got.Lang != "ar" || got.HTML != a.HTML || got.ID != a.ID {
			t.Fatalf("Get(%s) = %+v, not the stored article", key, got)
		}
	}
	gotRaw, err := db.Raw(ctx, a.ID)
	if err != nil || string(gotRaw) != string(raw) {
		t.Fatalf("Raw = %q, %v; want the original bytes", gotRaw, err)
	}
	if _, err := db.Get(ctx, "https://news.example/other"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(unknown) err = %v, want ErrNotFound", err)
	}
}

// variant rewrites the Arabic text the way another layout or charset would show it: other
// whitespace and line breaks, hamza and taa marbuta spelled differently, tatweel, diacritics.
func variant(s string) string {
	r := strings.NewReplacer(
		"\n\n", "\n", "، ", " ، ", "أ", "ا", "إ", "ا", "ة", "ه", "ى", "ي", "الروسي", "الـروسـي", "دعوتها", "دَعْوَتَها",
	)
	return "  " + r.Replace(s) + "\n"
}

func TestSameArticleStoredOnce(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	first := arabicArticle("https://news.example/a/1")
	if res, err := db.PutArticle(ctx, first, nil); err != nil || res != Inserted {
		t.Fatalf("first = %v, %v", res, err)
	}

	// Same page fetched again: nothing new.
	again := arabicArticle("https://news.example/a/1?utm_source=feed")
	if res, err := db.PutArticle(ctx, again, nil); err != nil || res != Duplicate || again.ID != first.ID {
		t.Fatalf("re-fetch = %v, %v (id %s vs %s); want Duplicate of the same ID", res, err, again.ID, first.ID)
	}

	// Another layout / charset of the same text under another URL: same normalised words.
	layout := arabicArticle("https://news.example/print/1")
	layout.Text = variant(arabicText)
	if res, err := db.PutArticle(ctx, layout, nil); err != nil || res != Duplicate || layout.ID != first.ID {
		t.Fatalf("other layout = %v, %v; want Duplicate of %s", res, err, first.ID)
	}

	// The mobile site adds a line and drops a word: a near-duplicate.
	mobile := arabicArticle("https://m.news.example/a/1")
	mobile.Text = "اقرأ أيضا\n\n" + strings.Replace(variant(arabicText), "وأوكرانيا", "", 1)
	res, err := db.PutArticle(ctx, mobile, nil)
	if err != nil || res != NearDuplicate || mobile.ID != first.ID {
		t.Fatalf("mobile = %v, %v; want NearDuplicate of %s (simhash distance %d)", res, err, first.ID,
			hamming(SimHash(arabicText), SimHash(mobile.Text)))
	}

	// The mobile copy is fetched again, a little different once more: the stored article
	// (from its own URL) is not replaced by an alias's variant.
	mobile2 := arabicArticle("https://m.news.example/a/1")
	mobile2.Text = "اقرأ أيضا\n\n" + variant(arabicText) + "\nشارك"
	if res, err := db.PutArticle(ctx, mobile2, nil); err != nil || res != NearDuplicate || mobile2.ID != first.ID {
		t.Fatalf("mobile again = %v, %v; want NearDuplicate of %s", res, err, first.ID)
	}

	got, err := db.Get(ctx, "https://m.news.example/a/1")
	if err != nil || got.ID != first.ID {
		t.Fatalf("Get(alias) = %v, %v", got, err)
	}
	if got.Text != arabicText {
		t.Fatalf("stored text replaced by a copy's: %q", got.Text[:60])
	}
	wantAliases := []string{"https://news.example/print/1", "https://m.news.example/a/1"}
	if strings.Join(got.Aliases, " ") != strings.Join(wantAliases, " ") {
		t.Fatalf("aliases = %q, want %q", got.Aliases, wantAliases)
	}
	for _, u := range append(wantAliases, first.URL) {
		if ok, _ := db.HasArticle(ctx, u); !ok {
			t.Errorf("HasArticle(%s) = false", u)
		}
	}
	n := 0
	db.Articles(ctx, Filter{}, func(*lede.Article) error { n++; return nil })
	if n != 1 {
		t.Fatalf("Articles yielded %d, want the article once", n)
	}

	// A different article is not a near-duplicate of it.
	other := &lede.Article{URL: "https://news.example/a/2", Lang: "ar",
		Text: "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة يضم مئتي سرير وقسما للطوارئ ومختبرات حديثة، ويخدم سكان الأحياء الشرقية الذين طالبوا به منذ سنوات."}
	if res, err := db.PutArticle(ctx, other, nil); err != nil || res != Inserted {
		t.Fatalf("different article = %v, %v; want Inserted", res, err)
	}
}

func TestUpdatedArticle(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	a := &lede.Article{URL: "https://b.example/story", Title: "v1", Lang: "en", Text: "The council met on Monday."}
	if _, err := db.PutArticle(ctx, a, []byte("<p>v1</p>")); err != nil {
		t.Fatal(err)
	}
	b := &lede.Article{URL: "https://b.example/story", Title: "v2", Lang: "en-GB", Text: "The council met on Monday and voted to close the bridge."}
	res, err := db.PutArticle(ctx, b, []byte("<p>v2</p>"))
	if err != nil || res != Updated || b.ID != a.ID || !b.FirstSeen.Equal(a.FirstSeen) {
		t.Fatalf("update = %v, %v; want Updated keeping ID and first-seen", res, err)
	}
	got, _ := db.Get(ctx, a.ID)
	raw, _ := db.Raw(ctx, a.ID)
	if got.Title != "v2" || string(raw) != "<p>v2</p>" {
		t.Fatalf("after update: title %q raw %q", got.Title, raw)
	}
	st, _ := db.Stats(ctx)
	if st.RawPages != 1 {
		t.Fatalf("RawPages = %d after replacing the raw page, want 1", st.RawPages)
	}
	if st.Articles != 1 || st.ByLang["en-gb"] != 1 || st.ByLang["en"] != 0 || st.BySite["b.example"] != 1 {
		t.Fatalf("stats after update = %+v", st)
	}
	// The old text's hash no longer points at the article: storing it elsewhere is new.
	c := &lede.Article{URL: "https://b.example/other", Text: "The council met on Monday."}
	if res, _ := db.PutArticle(ctx, c, nil); res != Inserted {
		t.Fatalf("old text under a new URL = %v, want Inserted", res)
	}
}

func TestPutArticleRejectsEmpty(t *testing.T) {
	db, _ := openTemp(t)
	if _, err := db.PutArticle(context.Background(), &lede.Article{URL: "https://x.example/"}, nil); err == nil || !strings.Contains(err.Error(), "https://x.example/") {
		t.Fatalf("empty text: err = %v, want an error naming the URL", err)
	}
}

// presentationForms spells some Arabic letters with the contextual presentation forms
// (U+FExx) that legacy pages and PDF-to-HTML converters produce instead of the base letters.
func presentationForms(s string) string {
	return strings.NewReplacer("ب", "\uFE91", "ت", "\uFE97", "ل", "\uFEDF", "م", "\uFEE3").Replace(s)
}

func TestSameArticleTwoCharsets(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	utf8Page := arabicArticle("https://news.example/utf8/1")
	if res, err := db.PutArticle(ctx, utf8Page, nil); err != nil || res != Inserted {
		t.Fatalf("UTF-8 copy = %v, %v", res, err)
	}

	// The windows-1256 edition of the site: the bytes differ, the decoded text does not.
	legacy, err := charmap.Windows1256.NewEncoder().String(arabicText)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := charmap.Windows1256.NewDecoder().String(legacy)
	if err != nil {
		t.Fatal(err)
	}
	cp1256 := arabicArticle("https://news.example/cp1256/1")
	cp1256.Text = decoded
	if res, err := db.PutArticle(ctx, cp1256, []byte(legacy)); err != nil || res != Duplicate || cp1256.ID != utf8Page.ID {
		t.Fatalf("windows-1256 copy = %v, %v; want Duplicate of %s", res, err, utf8Page.ID)
	}

	// A copy whose letters are presentation forms and whose spaces are no-break spaces.
	forms := arabicArticle("https://mirror.example/1")
	forms.Text = strings.ReplaceAll(presentationForms(arabicText), " ", "\u00a0")
	if forms.Text == arabicText {
		t.Fatal("test text has no letters to rewrite")
	}
	if res, err := db.PutArticle(ctx, forms, nil); err != nil || res != Duplicate || forms.ID != utf8Page.ID {
		t.Fatalf("presentation-forms copy = %v, %v; want Duplicate of %s", res, err, utf8Page.ID)
	}
	st, _ := db.Stats(ctx)
	if st.Articles != 1 {
		t.Fatalf("%d articles stored, want 1", st.Articles)
	}
}

func TestConcurrentPutsStoreEachArticleOnce(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	const articles, writers = 40, 12
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range articles {
				a := syntheticArticle(i)
				if w%2 == 1 { // half the writers reach it under another URL
					a.URL = strings.Replace(a.URL, "https://", "https://m.", 1)
				}
				if _, err := db.PutArticle(ctx, a, nil); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	st, _ := db.Stats(ctx)
	if st.Articles != articles {
		t.Fatalf("%d articles stored, want %d", st.Articles, articles)
	}
	if err := db.Check(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := db.Get(ctx, strings.Replace(syntheticArticle(3).URL, "https://", "https://m.", 1))
	if err != nil || a.Title != "Story 3" {
		t.Fatalf("Get(alias) = %v, %v", a, err)
	}
}

// TestSiteArticles reads one site's count as Stats gives it, and zero for a site the store
// has no article of.
func TestSiteArticles(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	for i, u := range []string{"https://www.one.example/a", "https://one.example/b", "https://two.example/c"} {
		a := &lede.Article{URL: u, Title: "t", Lang: "en", Text: fmt.Sprintf("Story %d: the council met on Monday.", i)}
		if _, err := db.PutArticle(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
	}
	st, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, site := range []string{"one.example", "two.example", "three.example"} {
		n, err := db.SiteArticles(ctx, site)
		if err != nil || n != st.BySite[site] {
			t.Errorf("SiteArticles(%s) = %d, %v; Stats says %d", site, n, err, st.BySite[site])
		}
	}
	if n, _ := db.SiteArticles(ctx, "one.example"); n != 2 {
		t.Errorf("SiteArticles(one.example) = %d, want 2", n)
	}
}
