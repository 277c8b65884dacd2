package extract

import (
	nurl "net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// URL shape: what the form of a URL says about the page behind it, before any learning. News
// sites give their articles addresses with a date, a long slug (the headline's words) or a
// numeric ID, and their fronts short addresses of plain words (/world/, /sport) or addresses
// that name the listing (/tag/…, /topics/…, /category/…, /page/2). The patterns are general:
// no site is named. URLTemplate reduces an address to the template the crawler learns per host
// (crawler/pagekind.go): the article URLs of a site share templates its fronts do not.

// URLShape is the verdict of a URL's form: Score > 0 leans article, < 0 leans front, 0 says
// nothing; Why names the pattern ("date and slug", "tag path").
type URLShape struct {
	Score float64
	Why   string
}

// Weights of the URL patterns (the scale of Verdict's scores: see kind.go).
const (
	shapeDatedSlug   = 2.0  // a date followed by a slug or an ID: /2024/03/05/some-story
	shapeLongSlug    = 1.5  // a slug of five words or more
	shapeSlug        = 0.75 // a slug of three or four words
	shapeNumericID   = 1.5  // a number of five digits or more, or a letters-and-digits ID
	shapeRoot        = -5.0 // the site's root, or a language edition's: /, /en/, /es-mx/
	shapeListingPath = -2.0 // /tag/x, /topics/x, /category/x, /author/x, /search
	shapePagination  = -2.0 // /page/2, ?page=2, /category/x/page/3/
	shapeDateArchive = -2.0 // /2024/03/ with nothing after
	shapeSectionPath = -1.0 // one or two plain words: /world/, /business/markets
)

// listingWords name a listing in a URL path segment: tag, topic, category, author and archive
// pages in the languages whose sites commonly use them.
var listingWords = newTokenSet(
	"tag", "tags", "tagged", "topic", "topics", "category", "categories", "cat", "section",
	"sections", "author", "authors", "autor", "autores", "auteur", "auteurs", "archive",
	"archives", "archiv", "search", "label", "labels", "keyword", "keywords", "series",
	"collection", "collections", "subject", "subjects", "people", "person", "profile",
	"profiles", "thema", "themen", "tema", "temas", "temi", "theme", "themes",
	"rubrik", "rubriken", "rubrique", "rubriques", "rubrica", "categoria", "categorias",
	"categorie", "kategorie", "kategori", "etiqueta", "etiquetas", "schlagwort", "stichwort",
	"sujet", "sujets", "mot-cle", "mots-cles", "etichetta", "argomento", "onderwerp",
	"trefwoord", "hashtag", "hub", "hubs", "index", "latest", "list",
	"etiket", "etiketler", "yazar", "yazarlar", "konu", "konular", "kategoriler", "penulis",
	"topik", "rubrica", "rubriek", "sezione", "autore", "autori", "auteur", "temat", "kategoria",
	"tegi", "teg", "avtor", "avtory", "rubriki", "ressort", "dossiers",
	"وسم", "وسوم", "تصنيف", "قسم", "كتاب", "الكتاب", "كاتب",
)

// weakListingWords are listingWords that name other things too (a "latest" or "list" folder
// of stories, a series' or a profile's own page): followed by a story's slug (four words or
// more), they are not a listing.
var weakListingWords = newTokenSet("latest", "list", "index", "hub", "hubs", "section", "sections",
	"profile", "profiles", "people", "person", "series", "collection", "collections", "label",
	"labels", "subject", "subjects", "theme", "themes", "dossiers", "archive", "archives", "archiv")

// pageWords introduce a page number: /page/2, /seite/3.
var pageWords = newTokenSet("page", "pages", "p", "pagina", "seite", "strona", "sayfa", "pg")

// indexFiles are the names a server gives a folder's own page.
var indexFiles = newTokenSet("index", "default", "home", "main", "start")

// pageExts are extensions of dynamic or static HTML pages, dropped before a segment is read.
var pageExts = []string{".html", ".htm", ".shtml", ".php", ".php3", ".asp", ".aspx", ".jsp", ".cms", ".cfm", ".xhtml", ".ece", ".story"}

// segment is one path segment, classified.
type segment struct {
	text  string   // decoded, lower-cased, without a page extension
	ext   string   // the extension dropped, if any
	class segClass // what it looks like
	words int      // words of a slug
}

// segClass is what a path segment looks like.
type segClass uint8

const (
	segWord  segClass = iota // letters, one or two words: "world", "middle-east"
	segSlug                  // three words or more: "harbour-bridge-approved"
	segYear                  // 1990..2039
	segSmall                 // one or two digits: a month, a day, a page number
	segDate                  // 20240305, 202403, 2024-03-05
	segNum                   // three digits or more
	segID                    // letters and at least four digits: c_1129981476, AEN20190820
	segOther                 // anything else (punctuation, a single letter)
)

// splitPath classifies the segments of a URL path (empty segments dropped).
func splitPath(p string) []segment {
	var out []segment
	for raw := range strings.SplitSeq(p, "/") {
		if raw == "" {
			continue
		}
		s, err := nurl.PathUnescape(raw)
		if err != nil {
			s = raw
		}
		s = strings.ToLower(s)
		seg := segment{}
		for _, e := range pageExts {
			if strings.HasSuffix(s, e) && len(s) > len(e) {
				s, seg.ext = s[:len(s)-len(e)], e
				break
			}
		}
		seg.text = s
		seg.class, seg.words = classifySegment(s)
		out = append(out, seg)
	}
	return out
}

// classifySegment tells what one decoded, lower-cased path segment looks like; for a slug it
// also returns its number of words.
func classifySegment(s string) (segClass, int) {
	digits, letters := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case unicode.IsLetter(r):
			letters++
		}
	}
	n := utf8.RuneCountInString(s)
	switch {
	case digits == n && n == 4 && (strings.HasPrefix(s, "19") || strings.HasPrefix(s, "20")) && s[:3] >= "199" && s[:3] <= "203":
		return segYear, 0
	case digits == n && n <= 2:
		return segSmall, 0
	case digits == n && (n == 8 || n == 6) && (strings.HasPrefix(s, "19") || strings.HasPrefix(s, "20")):
		return segDate, 0
	case digits == n:
		return segNum, 0
	case isDashedDate(s):
		return segDate, 0
	}
	words := slugWords(s)
	switch {
	case words >= 3:
		return segSlug, words
	case digits >= 4 && letters > 0 && n >= 6:
		return segID, 0
	case letters > 0:
		return segWord, 0
	}
	return segOther, 0
}

// isDashedDate reports whether s is a date written 2024-03-05 or 2024-03.
func isDashedDate(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) < 2 || len(parts) > 3 || len(parts[0]) != 4 {
		return false
	}
	for i, p := range parts {
		if p == "" || (i > 0 && len(p) > 2) {
			return false
		}
		for _, r := range p {
			if r < '0' || r > '9' {
				return false
			}
		}
	}
	return true
}

// slugWords counts the words of a slug: runs of letters (or digits mixed with letters)
// separated by - _ + . ~ or spaces. A word of Han, Kana or Hangul script counts each
// two characters as a word, as those scripts write no spaces.
func slugWords(s string) int {
	n := 0
	for w := range strings.FieldsFuncSeq(s, func(r rune) bool {
		return r == '-' || r == '_' || r == '+' || r == '.' || r == '~' || r == ' ' || r == ','
	}) {
		letters, cjk := 0, 0
		for _, r := range w {
			if unicode.IsLetter(r) {
				letters++
				if isCJK(r) {
					cjk++
				}
			}
		}
		switch {
		case cjk > 0:
			n += (cjk + 1) / 2
		case letters > 0:
			n++
		}
	}
	return n
}

// isCJK reports whether r is of a script written without spaces between words (Han, Kana,
// Hangul, Thai). It is called for every character of a page's text: every script below Thai
// (Latin, Greek, Cyrillic, Arabic, Hebrew, Indic) is answered by the first comparison.
func isCJK(r rune) bool {
	switch {
	case r < 0x0E00:
		return false
	case r < 0x1100:
		return r <= 0x0E7F // Thai
	case r <= 0x11FF: // Hangul Jamo
		return true
	case r < 0x2E80:
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		unicode.Is(unicode.Hangul, r)
}

// ShapeOf reads the form of a page's URL (see URLShape). A URL that does not parse says
// nothing.
func ShapeOf(rawURL string) URLShape {
	u, err := nurl.Parse(rawURL)
	if err != nil || u.Host == "" {
		return URLShape{}
	}
	return shapeOf(u)
}

func shapeOf(u *nurl.URL) URLShape {
	segs := splitPath(u.EscapedPath())
	// A trailing index file names its folder's page: /world/index.html is /world/.
	if k := len(segs); k > 0 && indexFiles.has(segs[k-1].text) {
		segs = segs[:k-1]
	}
	q := u.Query()
	// A query naming one item (?p=959, index.php?id=42, a CMS's view=article&id=…) is an
	// article's address, unless the script it goes to names a listing (category.php?id=4).
	if queryNamesItem(q) && !(len(segs) > 0 && listingWords.has(segs[len(segs)-1].text)) {
		return URLShape{shapeNumericID, "item ID in the query"}
	}
	if len(segs) == 1 && segs[0].ext == "" && u.RawQuery == "" && isLangCode(segs[0].text) {
		segs = nil // a language edition's home: /en/, /pt-br/
	}
	if len(segs) == 0 {
		if pageNumber(q) {
			return URLShape{shapePagination, "page number of the front"}
		}
		return URLShape{shapeRoot, "site root"}
	}
	// Article markers, strongest first: a date followed by a slug or ID, a numeric ID, a slug.
	dated, dateEnd := -1, -1
	for i, s := range segs {
		switch s.class {
		case segDate:
			dated, dateEnd = i, i
		case segYear:
			if i+1 < len(segs) && segs[i+1].class == segSmall {
				dated, dateEnd = i, i+1
				if i+2 < len(segs) && segs[i+2].class == segSmall {
					dateEnd = i + 2
				}
			}
		}
		if dated >= 0 {
			break
		}
	}
	last := segs[len(segs)-1]
	bestSlug, ids := 0, 0
	for i, s := range segs {
		switch s.class {
		case segSlug:
			bestSlug = max(bestSlug, s.words)
		case segID:
			ids++
		case segNum:
			if len(s.text) >= 5 || (i == len(segs)-1 && len(s.text) >= 3 && !pageWords.has(prevText(segs, i))) {
				ids++
			}
		}
	}
	if dated >= 0 {
		after := false
		for _, s := range segs[dateEnd+1:] {
			if s.class == segSlug || s.class == segID || s.class == segNum || (s.class == segWord && s.ext != "") {
				after = true
			}
		}
		if after {
			return URLShape{shapeDatedSlug, "date and slug in the path"}
		}
	}
	if i := slices.IndexFunc(segs, func(s segment) bool { return pageWords.has(s.text) }); i >= 0 && i+1 < len(segs) && (segs[i+1].class == segSmall || segs[i+1].class == segNum && len(segs[i+1].text) <= 3) {
		return URLShape{shapePagination, "page number in the path"}
	}
	if listingPath(segs) {
		return URLShape{shapeListingPath, "listing path (" + listingSegment(segs) + ")"}
	}
	switch {
	case bestSlug >= 5:
		return URLShape{shapeLongSlug, "long slug in the path"}
	case ids > 0:
		return URLShape{shapeNumericID, "numeric ID in the path"}
	case pageNumber(q):
		return URLShape{shapePagination, "page number in the query"}
	}
	if dated >= 0 && dateEnd == len(segs)-1 {
		return URLShape{shapeDateArchive, "date archive"}
	}
	if bestSlug >= 3 {
		return URLShape{shapeSlug, "slug in the path"}
	}
	plain := true
	for _, s := range segs {
		if s.class != segWord {
			plain = false
		}
	}
	if plain && len(segs) <= 2 && last.ext == "" {
		return URLShape{shapeSectionPath, "section path"}
	}
	return URLShape{}
}

// prevText is the text of the segment before segs[i], or "".
func prevText(segs []segment, i int) string {
	if i == 0 {
		return ""
	}
	return segs[i-1].text
}

// listingPath reports whether a segment names a listing (tag, topic, category, author …)
// that ends the path, or is followed by the listing's name (/tag/<name>, where a name may be
// long, unless it is an item's ID), or by a name and a sub-listing's plain word
// (/category/politics/local). An item below a listing (/topics/climate/<a story's slug>,
// /columnists/<name>/<slug>-<id>, /latest/<a story's slug>) is not one.
func listingPath(segs []segment) bool { return listingSegment(segs) != "" }

func listingSegment(segs []segment) string {
	for i, s := range segs {
		if !listingWords.has(s.text) {
			continue
		}
		switch after := segs[i+1:]; len(after) {
		case 0:
			return s.text
		case 1:
			c := after[0].class
			if c == segID || c == segNum && len(after[0].text) >= 5 || weakListingWords.has(s.text) && c == segSlug && after[0].words >= 4 {
				continue // an item: /series/<id>, /latest/<a story's slug>
			}
			return s.text
		case 2:
			if after[1].class == segWord || after[1].class == segSmall {
				return s.text
			}
		}
	}
	return ""
}

// queryNamesItem reports whether a query string names one item: ?p=12345, ?id=4567,
// ?a=20170309-35097838: a parameter (not a listing's or a search's) whose value is a number
// of four digits or more (more than any page number), an ID or a slug; an item key (id,
// articleid, news_id …) with a number of any length (?id=42, a CMS's id=42:some-slug), or
// p with one of three digits or more (WordPress's ?p=959). A CMS's view=category (or
// another listing's view) names a listing whatever its id.
func queryNamesItem(q nurl.Values) bool {
	for k, vs := range q {
		if k = strings.ToLower(k); (k == "view" || k == "layout" || k == "task") && len(vs) > 0 && listingView(vs[0]) {
			return false
		}
	}
	for k, vs := range q {
		k = strings.ToLower(k)
		if len(vs) == 0 || listingWords.has(k) || searchKeys.has(k) {
			continue
		}
		v := strings.Trim(strings.ToLower(vs[0]), "/ ")
		digits := len(v) - len(strings.TrimLeft(v, "0123456789"))
		switch {
		case itemKeys.has(strings.NewReplacer("_", "", "-", "").Replace(k)) && digits > 0:
			return true
		case k == "p" && digits >= 3 && digits == len(v):
			return true
		}
		switch c, _ := classifySegment(v); c {
		case segID, segSlug, segDate:
			return true
		case segNum:
			if len(v) >= 4 {
				return true
			}
		}
	}
	return false
}

// itemKeys are query parameters (lower case, without _ and -) that name one item by number.
var itemKeys = newTokenSet("id", "aid", "nid", "newsid", "storyid", "articleid", "artid", "postid", "contentid",
	"entryid", "docid", "no", "idx", "newsno", "articleno")

// listingView reports whether a CMS's view parameter names a listing: view=category,
// view=section, view=archive, view=featured, view=tag, view=search, view=list, view=blog.
func listingView(v string) bool {
	v = strings.ToLower(v)
	return listingWords.has(v) || v == "featured" || v == "frontpage" || v == "blog"
}

// searchKeys are query parameters of searches and listings, whose values never name an item.
var searchKeys = newTokenSet("q", "s", "query", "search", "keyword", "k", "term", "cat", "sort", "order",
	"orderby", "filter", "from", "to", "date", "lang", "hl", "utm", "ref", "limit", "offset", "start")

// pageNumber reports whether the query asks for a page of a listing: ?page=2, ?pg=3.
func pageNumber(q nurl.Values) bool {
	for k, vs := range q {
		k = strings.ToLower(k)
		if len(vs) == 0 || !(pageWords.has(k) || strings.HasPrefix(k, "page") || k == "paged" || k == "start" || k == "offset") {
			continue
		}
		if c, _ := classifySegment(vs[0]); c == segSmall || c == segNum && len(vs[0]) <= 3 {
			return true
		}
	}
	return false
}

// URLTemplate reduces a URL to the templates the crawler learns per host: specific keeps the
// path's plain words ("/{yyyy}/{n}/{n}/politics/{slug}.html"), general replaces them too
// ("/{yyyy}/{n}/{n}/{w}/{slug}.html"). Query parameters are kept by name ("?id={num}").
// Both are "" for a URL that does not parse.
func URLTemplate(rawURL string) (specific, general string) {
	u, err := nurl.Parse(rawURL)
	if err != nil || u.Host == "" {
		return "", ""
	}
	var sb, gb strings.Builder
	segs := splitPath(u.EscapedPath())
	for _, s := range segs {
		sb.WriteByte('/')
		gb.WriteByte('/')
		tok := ""
		switch s.class {
		case segYear:
			tok = "{yyyy}"
		case segSmall:
			tok = "{n}"
		case segDate:
			tok = "{date}"
		case segNum:
			tok = "{num}"
		case segID:
			tok = "{id}"
		case segSlug:
			tok = "{slug}"
		}
		if tok != "" {
			sb.WriteString(tok)
			gb.WriteString(tok)
		} else {
			w := s.text
			if utf8.RuneCountInString(w) > 32 {
				w = string([]rune(w)[:32])
			}
			sb.WriteString(w)
			if indexFiles.has(s.text) {
				gb.WriteString(w)
			} else {
				gb.WriteString("{w}")
			}
		}
		sb.WriteString(s.ext)
		gb.WriteString(s.ext)
	}
	if strings.HasSuffix(u.Path, "/") || len(segs) == 0 {
		sb.WriteByte('/')
		gb.WriteByte('/')
	}
	if u.RawQuery != "" {
		q := u.Query()
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, strings.ToLower(k))
		}
		slices.Sort(keys)
		for i, k := range keys {
			sep := "&"
			if i == 0 {
				sep = "?"
			}
			c, _ := classifySegment(strings.ToLower(q.Get(k)))
			v := map[segClass]string{segNum: "{num}", segSmall: "{n}", segID: "{id}", segSlug: "{slug}", segDate: "{date}", segYear: "{yyyy}"}[c]
			if v == "" {
				v = "{w}"
			}
			sb.WriteString(sep + k + "=" + v)
			gb.WriteString(sep + k + "=" + v)
		}
	}
	return sb.String(), gb.String()
}

// isLangCode reports whether s looks like a language tag in a path: two letters, or two
// letters, a dash or underscore and two to four letters or digits (en, pt-br, zh_hans).
func isLangCode(s string) bool {
	lang, region, dash := strings.Cut(strings.ReplaceAll(s, "_", "-"), "-")
	letters := func(x string, lo, hi int, digits bool) bool {
		if len(x) < lo || len(x) > hi {
			return false
		}
		for _, r := range x {
			if !(r >= 'a' && r <= 'z' || digits && r >= '0' && r <= '9') {
				return false
			}
		}
		return true
	}
	return letters(lang, 2, 2, false) && (!dash || letters(region, 2, 4, true))
}
