package crawler

import (
	"strconv"
	"testing"
)

// TestSeenSetBounded checks that the seen set answers like a set and never holds more than
// maxSeen URLs, however many it is given.
func TestSeenSetBounded(t *testing.T) {
	s := newSeenSet()
	if !s.add("https://a.example/1") || s.add("https://a.example/1") {
		t.Fatal("a URL must be new once, then seen")
	}
	for i := range 3 * maxSeen {
		s.add("https://a.example/p/" + strconv.Itoa(i))
		if len(s.set) > maxSeen {
			t.Fatalf("after %d URLs the set holds %d, more than %d", i+2, len(s.set), maxSeen)
		}
	}
	u := "https://a.example/p/" + strconv.Itoa(3*maxSeen-1)
	if s.add(u) {
		t.Errorf("%s was just added but reads as new", u)
	}
}
