package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"lede"
	"testing"
	"time"
)

// TestArticlesSeenAfterResumes walks the first-seen index in pieces, resuming from the
// cursor of the last article read each time (as lede serve's index does between store
// opens), and checks every article comes once, in first-seen order, new ones last.
func TestArticlesSeenAfterResumes(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	const n = 2*pageSize + 9
	seen := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		a := syntheticArticle(i)
		// Published order is the reverse of first-seen order, and three articles share each
		// first-seen second: the cursor must tell them apart by ID.
		a.Published = seen.Add(time.Duration(n-i) * time.Hour)
		a.FirstSeen = seen.Add(time.Duration(i/3) * time.Second)
		if _, err := db.PutArticle(ctx, a, nil); err != nil {
			t.Fatal(err)
		}
	}
	errPause := errors.New("pause")
	var got []string
	var cur SeenCursor
	for pieces := 0; ; pieces++ {
		if pieces > n {
			t.Fatal("the walk does not advance")
		}
		read := 0
		err := db.ArticlesSeenAfter(ctx, cur, func(a *lede.Article) error {
			got = append(got, a.Title)
			cur = CursorOf(a)
			if read++; read == 10 {
				return errPause
			}
			return nil
		})
		if err == nil {
			break
		}
		if !errors.Is(err, errPause) {
			t.Fatal(err)
		}
	}
	if len(got) != n {
		t.Fatalf("read %d articles, want %d", len(got), n)
	}
	seenTitles := map[string]bool{}
	for i, title := range got {
		if seenTitles[title] {
			t.Fatalf("%s read twice", title)
		}
		seenTitles[title] = true
		// Within one second the order is by ID; across seconds it is first-seen order.
		if i >= 3 {
			var prev, this int
			fmt.Sscanf(got[i-3], "Story %d", &prev)
			fmt.Sscanf(title, "Story %d", &this)
			if this/3 <= prev/3 {
				t.Fatalf("article %d is %s, not after %s's second", i, title, got[i-3])
			}
		}
	}

	// An article stored later is read from the last cursor, alone.
	late := syntheticArticle(n)
	late.FirstSeen = seen.Add(time.Hour)
	if _, err := db.PutArticle(ctx, late, nil); err != nil {
		t.Fatal(err)
	}
	var more []string
	if err := db.ArticlesSeenAfter(ctx, cur, func(a *lede.Article) error { more = append(more, a.Title); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(more) != 1 || more[0] != late.Title {
		t.Fatalf("after the cursor: %q, want only %q", more, late.Title)
	}
}

func TestRunsKeepsTheLatest(t *testing.T) {
	ctx := context.Background()
	db, _ := openTemp(t)
	if runs, err := db.Runs(ctx, 5); err != nil || len(runs) != 0 {
		t.Fatalf("fresh store: %v, %v", runs, err)
	}
	start := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	for i := range maxRuns + 5 {
		sum := fmt.Sprintf(`{"fetched":%d}`, i)
		// Two runs in the same second stay apart.
		if err := db.PutRun(ctx, start.Add(time.Duration(i/2)*time.Second), []byte(sum)); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := db.Runs(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 3 {
		t.Fatalf("got %d runs, want 3", len(runs))
	}
	for j, r := range runs {
		var s struct{ Fetched int }
		if err := json.Unmarshal(r.Summary, &s); err != nil {
			t.Fatal(err)
		}
		i := maxRuns + 4 - j
		if s.Fetched != i || !r.Started.Equal(start.Add(time.Duration(i/2)*time.Second)) {
			t.Errorf("run %d: fetched %d started %v, want %d at %v", j, s.Fetched, r.Started, i, start.Add(time.Duration(i/2)*time.Second))
		}
	}
	all, err := db.Runs(ctx, 10*maxRuns)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != maxRuns {
		t.Errorf("kept %d runs, want the last %d", len(all), maxRuns)
	}
	if err := db.PutRun(ctx, start, []byte("not json")); err == nil {
		t.Error("a summary that is not JSON was recorded")
	}
}
