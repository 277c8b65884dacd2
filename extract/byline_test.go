package extract

import (
	"strings"
	"testing"
)

// TestSplitByline cuts bylines as news pages print them, in several languages, into the
// people they credit.
func TestSplitByline(t *testing.T) {
	site := outlet{names: []string{"Daily Courier"}, host: "www.courier.example"}
	cases := []struct{ in, want string }{
		// Conjunctions, per language.
		{"By Jane Doe and John Roe", "Jane Doe, John Roe"},
		{"Von Hans Müller und Petra Schmidt", "Hans Müller, Petra Schmidt"},
		{"Por Juan Pérez y María López", "Juan Pérez, María López"},
		{"Par Jean Dupont et Marie Martin", "Jean Dupont, Marie Martin"},
		{"بقلم محمد علي وأحمد حسن", "محمد علي, أحمد حسن"},
		{"كتب وليد جنبلاط", "وليد جنبلاط"}, // a name that begins with و is not split
		{"Dana A. Ford, James S.A. Corey, Chien-Ming Wang, and Tom Watkins, CNN", "Dana A. Ford, James S.A. Corey, Chien-Ming Wang, Tom Watkins"},
		{"By Dan Goodin", "Dan Goodin"}, // "dan" is Indonesian "and", not when it is a name
		// Roles, credentials, places, outlets, handles, dates.
		{"TOM KRISHER, AP Auto Writer", "TOM KRISHER"},
		{"Jane Doe, Staff Writer", "Jane Doe"},
		{"Senior Reporter Jane Doe", "Jane Doe"},
		{"أحمد حسن - مراسل الجزيرة", "أحمد حسن"},
		{"Rachael Link, MS, RD on November 14, 2019", "Rachael Link"},
		{"Jane Doe in Berlin", "Jane Doe"},
		{"Amitai Winehouse For Mailonline", "Amitai Winehouse"},
		{"Jill Disis, CNN Business", "Jill Disis"},
		{"Troy L. Smith, Cleveland.com", "Troy L. Smith"},
		{"Finian Cunningham. Sputnik International", "Finian Cunningham"},
		{"Bryan DeArdo @BryanDeArdo Nov 18, 2019 at 9:24 pm ET • 2 min read", "Bryan DeArdo"},
		{"Michael Russell Follow @tdmrussell", "Michael Russell"},
		{"Jane Doe Daily Courier", "Jane Doe"}, // the outlet glued after the name
		{"Daniel Kahn Gillmor, Senior Staff Technologist, ACLU Speech, Privacy, and Technology Project", "Daniel Kahn Gillmor"},
		{"Richard (R.J.) Eskow", "Richard (R.J.) Eskow"},
		// Credits that are not authorship.
		{"By Jane Doe | Photos: John Roe", "Jane Doe"},
		{"责任编辑：肖春芳", ""},
		{"By admin", ""},
		// CJK reporters.
		{"記者林宸誼／台北報導", "林宸誼"},
	}
	for _, c := range cases {
		got := byline([][][]authorName{{splitByline(c.in, site, true)}}, nil)
		if got != c.want {
			t.Errorf("byline(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestBylineOrganisations keeps an organisation only when no person is named.
func TestBylineOrganisations(t *testing.T) {
	site := outlet{names: []string{"Daily Courier"}, host: "courier.example"}
	for in, want := range map[string]string{
		"The Associated Press":              "The Associated Press",
		"Staff Reports":                     "Staff Reports",
		"By Jane Doe, The Associated Press": "Jane Doe",
		"Reuters":                           "Reuters",
		"مراسل الشبكة":                      "مراسل الشبكة", // a role and an outlet: the credit as printed
	} {
		names := splitByline(in, site, true)
		if got := byline([][][]authorName{{names}}, [][]authorName{names}); got != want {
			t.Errorf("byline(%q) = %q, want %q", in, got, want)
		}
	}
}

// bylinePage is an article page whose head and header are given; the body is long enough
// to be an article.
func bylinePage(head, header string) []byte {
	body := strings.Repeat("<p>The council voted on Tuesday night to turn the disused rail yard into a public park, ending a decade of argument over the site and its future.</p>", 6)
	return []byte("<html><head>" + head + "</head><body><nav><a href=/>Home</a></nav><article>" + header + body +
		"</article><aside class=related><h3>More stories</h3><ul><li><a href=/x>Other story</a> <span class=byline>By Someone Else</span> <time datetime=2011-01-01>1 Jan 2011</time></li></ul></aside></body></html>")
}

// TestBylineSources checks the byline of whole pages: every author of JSON-LD arrays and of
// several rel=author links, the person named while the metadata credits the site, and
// teasers' bylines left out.
func TestBylineSources(t *testing.T) {
	cases := []struct{ name, head, header, want string }{
		{"JSON-LD author array",
			`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Park plan approved","author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Person","name":"John Roe"},{"@type":"Person","name":"Ana Ruiz"}]}</script>`,
			`<h1>Park plan approved</h1>`, "Jane Doe, John Roe, Ana Ruiz"},
		{"several rel=author links",
			`<title>Park plan approved</title>`,
			`<h1>Park plan approved</h1><p class=byline>By <a rel=author href=/a/jd>Jane Doe</a>, <a rel=author href=/a/jr>John Roe</a> and <a rel=author href=/a/ar>Ana Ruiz</a></p>`,
			"Jane Doe, John Roe, Ana Ruiz"},
		{"site as author while a person is named",
			`<meta property="og:site_name" content="Daily Courier"><script type="application/ld+json">{"@type":"NewsArticle","headline":"Park plan approved","author":{"@type":"Organization","name":"Daily Courier"}}</script>`,
			`<h1>Park plan approved</h1><div class=meta>By Jane Doe, Staff Writer</div>`, "Jane Doe"},
		{"organisation only",
			`<title>Park plan approved</title>`,
			`<h1>Park plan approved</h1><div>By The Associated Press</div>`, "The Associated Press"},
		{"meta author not shown on the page",
			`<meta name="author" content="cms-user-17"><title>Park plan approved</title>`,
			`<h1>Park plan approved</h1>`, ""},
		{"German byline element",
			`<title>Parkplan beschlossen</title>`,
			`<h1>Parkplan beschlossen</h1><span class="autor">Von Hans Müller und Petra Schmidt</span>`, "Hans Müller, Petra Schmidt"},
		{"Arabic byline line",
			`<title>إقرار خطة الحديقة</title>`,
			`<h1>إقرار خطة الحديقة</h1><p>بقلم محمد علي وأحمد حسن</p>`, "محمد علي, أحمد حسن"},
		{"Korean reporter line",
			`<title>공원 계획 승인</title>`,
			`<h1>공원 계획 승인</h1><p>이용민 기자 | 2020-03-04 16:52:59</p>`, "이용민"},
		{"Chinese reporter credited in brackets after a photo caption",
			`<title>公園計畫通過</title>`,
			`<h1>公園計畫通過</h1><p>市議會昨晚表決通過將舊鐵道調車場改建為公園的計畫，結束十年爭議。（資料照）</p><p>〔記者王大明／台中報導〕市議會昨晚表決通過將舊鐵道調車場改建為公園的計畫，結束了長達十年的爭議，市長表示將盡快動工。</p>`,
			"王大明"},
		{"JSON-LD with a comment after a value",
			"<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Park plan approved\",\n\"width\": \"1000\", // default width\n\"author\":{\"@type\":\"Person\",\"name\":\"Jane Doe\"}}</script>",
			`<h1>Park plan approved</h1>`, "Jane Doe"},
		{"JSON-LD names a CMS account the page does not show",
			`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Park plan approved","author":{"@type":"Person","name":"webeditor2"}}</script>`,
			`<h1>Park plan approved</h1>`, ""},
		{"a desk credited with the outlet's name after it",
			`<title>Park plan approved</title>`,
			`<h1>Park plan approved</h1><p>By Metro Desk The Evening Star on May 3, 2024</p>`, "Metro Desk"},
		{"Chinese source line naming an outlet and, after a space, the site",
			`<title>公园计划获批</title>`,
			`<h1>公园计划获批</h1><p>发布时间：2024-05-03 08:42 来源： 城市晚报 每日信使网</p>`, "城市晚报"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Extract(bylinePage(c.head, c.header), "https://courier.example/news/park")
			if err != nil {
				t.Fatal(err)
			}
			if a.Byline != c.want {
				t.Errorf("byline %q, want %q", a.Byline, c.want)
			}
		})
	}
}
