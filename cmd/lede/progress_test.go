package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"lede/crawler"
)

// screen replays what a terminal shows for out: \r goes back to the line's start, \n to a
// new line, other characters overwrite the line from the cursor, escape sequences are
// ignored. It returns the lines, trailing spaces trimmed.
func screen(out []byte) []string {
	lines := [][]rune{nil}
	col := 0
	for len(out) > 0 {
		r, n := utf8.DecodeRune(out)
		out = out[n:]
		switch {
		case r == '\r':
			col = 0
		case r == '\n':
			lines = append(lines, nil)
			col = 0
		case r == 0x1b: // CSI: ESC [ parameters final-byte
			if len(out) > 0 && out[0] == '[' {
				i := 1
				for i < len(out) && (out[i] < 0x40 || out[i] > 0x7e) {
					i++
				}
				out = out[min(i+1, len(out)):]
			}
		default:
			cur := &lines[len(lines)-1]
			for len(*cur) <= col {
				*cur = append(*cur, ' ')
			}
			(*cur)[col] = r
			col++
		}
	}
	out2 := make([]string, len(lines))
	for i, l := range lines {
		out2[i] = strings.TrimRight(string(l), " ")
	}
	return out2
}

// TestLogLinesNeverLandOnTheProgressBar: on a terminal, a log line written while the crawl's
// progress bar shows starts a line of its own, and the bar comes back below it.
func TestLogLinesNeverLandOnTheProgressBar(t *testing.T) {
	var term bytes.Buffer
	pw := &progressWriter{out: &term}
	log, err := newLogger(pw, "text", "info", false)
	if err != nil {
		t.Fatal(err)
	}
	pw.start()
	for i := range 3 {
		pw.event(crawler.Event{Fetched: i + 1, Pending: 5})
		log.Warn("fetch failed", "url", "http://example.com/news/"+string(rune('a'+i))+".html")
		time.Sleep(110 * time.Millisecond) // past the bar's throttle: the next event draws it
	}
	pw.event(crawler.Event{Fetched: 4, Pending: 1})
	pw.finish()
	lines := screen(term.Bytes())
	logs := 0
	for _, l := range lines {
		if strings.Contains(l, "msg=") {
			logs++
			if !strings.HasPrefix(l, "time=") || strings.Contains(l, "crawling") {
				t.Errorf("a log line shares its line with the progress bar: %q", l)
			}
		}
	}
	if logs != 3 {
		t.Errorf("%d log lines on the screen, want 3:\n%s", logs, strings.Join(lines, "\n"))
	}
	if !strings.Contains(term.String(), "crawling (") {
		t.Errorf("the progress bar was never drawn: %q", term.String())
	}
}
