package extract

import (
	"strings"
	"testing"
)

// titlePage is an article page with the given head and header, in a layout with a logo
// <h1> in the page header when logo is true.
func titlePage(head, header string, logo bool) []byte {
	masthead := ""
	if logo {
		masthead = `<header><h1 class="logo"><a href="/">Daily Courier</a></h1></header>`
	}
	body := strings.Repeat("<p>The council voted on Tuesday night to turn the disused rail yard into a public park, ending a decade of argument over the site and its future.</p>", 6)
	return []byte("<html><head>" + head + "</head><body>" + masthead + "<main><article>" + header + body + "</article></main></body></html>")
}

// TestTitle takes the headline a reader sees, per language and layout.
func TestTitle(t *testing.T) {
	cases := []struct {
		name, head, header string
		logo               bool
		want               string
	}{
		{"SEO <title> and og:title, the <h1> shown",
			`<title>Council approves park plan: what it means | Daily Courier</title><meta property="og:title" content="Park plan approved after decade of argument">`,
			`<h1>City council approves plan to turn old rail yard into riverside park</h1>`, true,
			"City council approves plan to turn old rail yard into riverside park"},
		{"site suffix in <title>, no other headline",
			`<title>City council approves park plan - Daily Courier</title>`, ``, false,
			"City council approves park plan"},
		{"section chain in <title>",
			`<title>Anticorrupción decidirá en Madrid si recurre la imputación » Local » Noticias » Diario</title>`, ``, false,
			"Anticorrupción decidirá en Madrid si recurre la imputación"},
		{"truncated JSON-LD headline, the full <h1> shown",
			`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Hunter diagnosed with plague after eating a rabbit making him third local to"}</script><title>Hunter diagnosed with plague after eating a rabbit making him third local to contract disease – Daily Courier</title>`,
			`<h1>Hunter diagnosed with plague after eating a rabbit making him third local to contract disease</h1>`, true,
			"Hunter diagnosed with plague after eating a rabbit making him third local to contract disease"},
		{"logo <h1>, post title in an <h3>",
			`<meta property="og:title" content="Open Verilog flow for programmable logic devices">`,
			`<h3 class="post-title">Open Verilog flow for programmable logic devices</h3>`, true,
			"Open Verilog flow for programmable logic devices"},
		{"site name hidden in the <h1>",
			`<title>Anticorrupción decidirá en Madrid si recurre la imputación de la Infanta » Ultima Hora Mallorca</title>`,
			`<h1>Anticorrupción decidirá en Madrid si recurre la imputación de la Infanta<span class="print">Ultima Hora Mallorca</span></h1>`, false,
			"Anticorrupción decidirá en Madrid si recurre la imputación de la Infanta"},
		{"byline line inside the <h1>",
			`<meta property="og:title" content="米朝首脳直通電話　習氏に挑むトランプ戦術の成否（写真＝ロイター）">`,
			`<h1><span>米朝首脳直通電話　習氏に挑むトランプ戦術の成否</span><br><span>編集委員　中沢克二</span></h1>`, false,
			"米朝首脳直通電話 習氏に挑むトランプ戦術の成否"},
		{"Chinese <title> with the site glued by a hyphen",
			`<meta property="og:site_name" content="新华网"><title>短缺药品保供稳价 全力保障临床用药需求-新华网</title>`, ``, false,
			"短缺药品保供稳价 全力保障临床用药需求"},
		{"Arabic headline with the site's name, kept right to left",
			`<meta property="og:site_name" content="شبكة الغد"><title>واشنطن تجدد دعوتها موسكو للتعاون في سورية - شبكة الغد</title>`,
			`<h1>واشنطن تجدد دعوتها موسكو للتعاون في سورية</h1>`, false,
			"واشنطن تجدد دعوتها موسكو للتعاون في سورية"},
		{"application-name holding the page title",
			`<meta name="application-name" content="US-Sport in Zeiten von Corona - Mediathek"><meta property="og:title" content="US-Sport in Zeiten von Corona">`,
			`<h1>US-Sport in Zeiten von Corona</h1>`, false,
			"US-Sport in Zeiten von Corona"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Extract(titlePage(c.head, c.header, c.logo), "https://courier.example/news/2024/03/05/park")
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != c.want {
				t.Errorf("title %q, want %q", a.Title, c.want)
			}
		})
	}
}

func TestCleanTitle(t *testing.T) {
	cases := []struct{ title, site, host, want string }{
		{"Council approves park plan | The Riverside Ledger", "The Riverside Ledger", "", "Council approves park plan"},
		{"Council approves park plan - Riverside Daily", "", "riversidedaily.example", "Council approves park plan"},
		{"Take C.A.R.E. - courier auf der Messe 2018", "", "blog.courier.example", "Take C.A.R.E. - courier auf der Messe 2018"},
		{"海外留学生看两会：出国前后关注点大不同_中国青年网", "中国青年网", "", "海外留学生看两会：出国前后关注点大不同"},
		{"A - B", "", "", "A - B"},
	}
	for _, c := range cases {
		if got := cleanTitle(c.title, c.site, c.host); got != c.want {
			t.Errorf("cleanTitle(%q) = %q, want %q", c.title, got, c.want)
		}
	}
}
