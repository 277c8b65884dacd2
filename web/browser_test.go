package web

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The pages in a real browser: Debian's chromium, headless, driven by chromedp. The test
// skips only when no chromium binary is installed (.ci/run installs it). Screenshots of
// every page, on a desktop and a phone-sized viewport, go to the test's temporary
// directory, or to $LEDE_SCREENSHOTS when set (to look at them).

// newBrowser starts a headless chromium with a fresh profile and returns its context.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			exe = p
			break
		}
	}
	if exe == "" {
		t.Skip("no chromium binary on PATH: the browser tests need it (apt-get install chromium; .ci/run installs it)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	return ctx
}

// screenshotDir is where the test writes its screenshots.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("LEDE_SCREENSHOTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// rtlCheck measures a block of right-to-left text: its direction and where its first
// character sits (at the right edge of the block when the text runs right to left).
type rtlCheck struct {
	Dir         string  `json:"dir"`
	FirstRight  float64 `json:"firstRight"`
	BlockRight  float64 `json:"blockRight"`
	BlockLeft   float64 `json:"blockLeft"`
	TextPresent bool    `json:"text"`
}

const rtlJS = `(sel => {
	const el = document.querySelector(sel);
	if (!el) return null;
	const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, n => n.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP);
	const node = walker.nextNode();
	if (!node) return {dir: getComputedStyle(el).direction, text: false};
	const i = node.textContent.search(/\S/);
	const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
	const box = node.parentElement.getBoundingClientRect(), cs = getComputedStyle(node.parentElement);
	const px = v => parseFloat(v) || 0;
	return {dir: cs.direction, firstRight: r.getBoundingClientRect().right,
		blockRight: box.right - px(cs.paddingRight) - px(cs.borderRightWidth),
		blockLeft: box.left + px(cs.paddingLeft) + px(cs.borderLeftWidth), text: true};
})`

func TestBrowserPages(t *testing.T) {
	ctx := newBrowser(t)
	c := newTestCorpus(t)
	ts := httptest.NewServer(fixedServer(t, c, WithTitle("lede demo")).Handler())
	defer ts.Close()
	dir := screenshotDir(t)

	// No stored script may ever run: any dialog fails the test (and is dismissed).
	var mu sync.Mutex
	var dialogs []string
	go func() {
		for ev, err := range chromedp.Events(ctx, page.JavascriptDialogOpening) {
			if err != nil {
				return
			}
			mu.Lock()
			dialogs = append(dialogs, ev.Message)
			mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()

	pages := []struct {
		name, path string
		check      func(t *testing.T, vp string)
	}{
		{"overview", "/", func(t *testing.T, vp string) {
			sites := eval[[]string](t, ctx, `[...document.querySelectorAll('table.counts a[href^="/site/"]')].map(a => a.textContent)`)
			if !contains(sites, "127.0.0.1") || !contains(sites, "evil.example") {
				t.Errorf("%s: overview lists sites %q, want the demo crawl's 127.0.0.1 and evil.example", vp, sites)
			}
			if n := eval[int](t, ctx, `document.querySelectorAll('.chart svg rect').length`); n == 0 {
				t.Errorf("%s: no bars in the chart", vp)
			}
		}},
		{"site", "/site/127.0.0.1", func(t *testing.T, vp string) {
			if n := eval[int](t, ctx, `document.querySelectorAll('ol.articles li').length`); n != 5 {
				t.Errorf("%s: site lists %d articles, want 5", vp, n)
			}
		}},
		{"article-ar", "/a/" + c.arabic, func(t *testing.T, vp string) {
			checkRTL(t, ctx, vp, "article.text p")
		}},
		{"explain-ar", "/a/" + c.arabic + "/explain", func(t *testing.T, vp string) {
			type removed struct {
				Rule, Deco, Dir string
				Visible         bool
			}
			got := eval[*removed](t, ctx, `(() => {
				const li = [...document.querySelectorAll('li.removed')].find(l => l.querySelector('del').textContent.trim() === 'XS SM MD LG');
				if (!li) return null;
				const del = li.querySelector('del');
				return {rule: li.querySelector('.rule').textContent, deco: getComputedStyle(del).textDecorationLine,
					dir: getComputedStyle(li.closest('ol')).direction, visible: del.getBoundingClientRect().width > 0};
			})()`)
			switch {
			case got == nil:
				t.Errorf("%s: explain view does not show XS SM MD LG removed", vp)
			case got.Rule == "" || !strings.Contains(got.Deco, "line-through") || !got.Visible:
				t.Errorf("%s: XS SM MD LG shown with rule %q, decoration %q, visible %v; want struck out with its rule", vp, got.Rule, got.Deco, got.Visible)
			}
			checkRTL(t, ctx, vp, "ol.blocks li.kept")
		}},
		{"search", "/search?q=" + url.QueryEscape("اللاجئين"), func(t *testing.T, vp string) {
			if n := eval[int](t, ctx, `document.querySelectorAll('ol.results li').length`); n == 0 {
				t.Errorf("%s: no search result", vp)
			}
		}},
		{"script-as-text", "/a/" + c.xss, func(t *testing.T, vp string) {
			h1 := eval[string](t, ctx, `document.querySelector('h1').textContent`)
			text := eval[string](t, ctx, `document.querySelector('article.text').textContent`)
			if !strings.Contains(h1, xssScript) || !strings.Contains(text, xssScript) || !strings.Contains(text, `<img src=x onerror="alert(2)">`) {
				t.Errorf("%s: the stored markup is not shown as text: title %q, text %q", vp, h1, text)
			}
			if n := eval[int](t, ctx, `document.scripts.length + document.querySelectorAll('article img').length`); n != 0 {
				t.Errorf("%s: %d script or img elements made from stored text", vp, n)
			}
		}},
		{"not-found", "/a/0123456789abcdef", func(t *testing.T, vp string) {
			if title := eval[string](t, ctx, `document.title`); !strings.HasPrefix(title, "Not found") {
				t.Errorf("%s: 404 page titled %q", vp, title)
			}
		}},
	}
	viewports := []struct {
		name          string
		width, height int64
		opts          []chromedp.EmulateViewportOption
	}{
		{"desktop", 1280, 900, nil},
		{"phone", 390, 844, []chromedp.EmulateViewportOption{chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait}},
	}
	for _, vp := range viewports {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.width, vp.height, vp.opts...)); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			run(t, ctx, chromedp.Navigate(ts.URL+p.path))
			p.check(t, vp.name)
			// Readable on a phone: the page itself never scrolls sideways (wide tables
			// scroll in their own box).
			if over := eval[float64](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 1 {
				t.Errorf("%s %s: the page is %.0f px wider than the viewport", vp.name, p.name, over)
			}
			// The whole page, and what the first screen shows at its real size.
			for suffix, shot := range map[string]chromedp.Action[[]byte]{"": chromedp.FullScreenshot(100), "-screen": chromedp.CaptureScreenshot()} {
				png, err := chromedp.Run(ctx, shot)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, p.name+"-"+vp.name+suffix+".png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	// The README's picture of the explain view (docs/explain.png is a copy of it).
	run(t, ctx, chromedp.EmulateViewport(900, 620))
	run(t, ctx, chromedp.Navigate(ts.URL+"/a/"+c.arabic+"/explain"))
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "explain-readme.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	time.Sleep(100 * time.Millisecond) // let a late dialog event arrive
	mu.Lock()
	defer mu.Unlock()
	if len(dialogs) > 0 {
		t.Errorf("a stored script ran: dialogs %q", dialogs)
	}
}

// checkRTL checks that the first block matching sel runs right to left: its direction is
// rtl and its first character sits at its right edge.
func checkRTL(t *testing.T, ctx context.Context, vp, sel string) {
	t.Helper()
	got := eval[*rtlCheck](t, ctx, rtlJS+"("+jsString(sel)+")")
	switch {
	case got == nil || !got.TextPresent:
		t.Errorf("%s: no text in %s", vp, sel)
	case got.Dir != "rtl":
		t.Errorf("%s: %s has direction %q, want rtl", vp, sel, got.Dir)
	case got.BlockRight-got.FirstRight > 2 || got.FirstRight-got.BlockLeft < (got.BlockRight-got.BlockLeft)/2:
		t.Errorf("%s: the first character of %s ends at x=%.0f in a block from %.0f to %.0f: not laid out right to left",
			vp, sel, got.FirstRight, got.BlockLeft, got.BlockRight)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func run(t *testing.T, ctx context.Context, a chromedp.Action[chromedp.Void]) {
	t.Helper()
	if _, err := chromedp.Run(ctx, a); err != nil {
		t.Fatal(err)
	}
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.TrimSpace(v) == s {
			return true
		}
	}
	return false
}
