package extract

import (
	"strings"
	"testing"
)

// TestCueBitsMatchCue checks that cueBits finds exactly the cue sets matchCue finds, on
// tokens, joined tokens and overlong tokens.
func TestCueBitsMatchCue(t *testing.T) {
	classes := []string{"", "most-read__list", "share-bar", "relatedarticles", "post byline",
		"siteheader", "site-nav", "col-md-12 x", "related", "ad", "a-d", "comment_list",
		strings.Repeat("x", 40) + " nav", "nav " + strings.Repeat("q", 70) + "bar", "naïve-byline",
		"date_published", "tim-e", "entry-meta sidebar"}
	matched := 0
	for _, cid := range classes {
		bits := cueBits(cid)
		for _, set := range cueSets {
			got, want := bits&set.cueBit != 0, matchCue(cid, set) != ""
			if got != want {
				t.Errorf("cueBits(%q) holds set %b: %v, matchCue: %v", cid, set.cueBit, got, want)
			}
			if want {
				matched++
			}
		}
	}
	if matched < 10 {
		t.Errorf("only %d matches: the cases test little", matched)
	}
}
