package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestDemo runs `lede demo` in-process: it must crawl the bundled site offline, store every
// article once and print a clean first article.
func TestDemo(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"demo"}, strings.NewReader(""), &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	line, rest, _ := strings.Cut(stdout.String(), "\n")
	var sum struct {
		New    int `json:"new_articles"`
		Hubs   int `json:"hubs"`
		Errors int `json:"errors"`
	}
	if err := json.Unmarshal([]byte(line), &sum); err != nil {
		t.Fatalf("first line is not the JSON summary: %q (%v)", line, err)
	}
	if sum.New != 5 || sum.Hubs != 3 || sum.Errors != 0 {
		t.Errorf("summary %+v, want 5 new articles, 3 hubs, no errors", sum)
	}
	for _, want := range []string{"واشنطن تجدد دعوتها موسكو", "المصدر: وكالات", "Language:  ar"} {
		if !strings.Contains(rest, want) {
			t.Errorf("article output lacks %q:\n%s", want, rest)
		}
	}
	for _, chrome := range []string{"Accessibility links", "XS", "اقرأ أيضا", "Accept cookies", "فلادمير بوتين- أرشيف"} {
		if strings.Contains(rest, chrome) {
			t.Errorf("article output keeps chrome %q:\n%s", chrome, rest)
		}
	}
}

// TestDemoRefusesAnExistingFile: demo --db writes only a new store; an existing file (a
// real corpus, say) is a usage error and is left as it was.
func TestDemoRefusesAnExistingFile(t *testing.T) {
	db := seedStore(t)
	before, _ := os.ReadFile(db)
	code, _, errs := runStoreCLI(t, "demo", "--db", db)
	if code != exitUsage || !strings.Contains(errs, "demo --db "+db+": the file exists") {
		t.Errorf("demo --db EXISTING: exit %d, %q; want 2 and a message naming the file", code, errs)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Fatal("demo wrote to an existing store")
	}
}
