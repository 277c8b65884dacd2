package chrome

import (
	"context"
	"path/filepath"
	"testing"

	"lede/store"
)

func TestOnlyRemoved(t *testing.T) {
	for _, c := range []struct {
		old, text string
		want      bool
	}{
		{"Chrome line\n\nThe story goes on.\n\n(Reuters)", "The story goes on.\n\n(Reuters)", true},
		{"The story goes on.", "The story goes on.", true},
		{"The story goes on.", "The story went on.", false},
		{"The story goes on.", "", false},
		{"The story goes on.", "on. The story goes", false},
	} {
		if got := onlyRemoved(c.old, c.text); got != c.want {
			t.Errorf("onlyRemoved(%q, %q) = %v, want %v", c.old, c.text, got, c.want)
		}
	}
}

func TestLoadKeeping(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(t.TempDir(), "lede.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.AddBlockCounts(ctx, "site.example", 100, map[uint64]int{1: 55, 2: 65, 3: 45}); err != nil {
		t.Fatal(err)
	}
	strict, err := Load(ctx, db, "https://www.site.example/a")
	if err != nil || len(strict) != 1 || !strict[2] {
		t.Errorf("Load = %v, %v; want {2}", strict, err)
	}
	// A block learned at the start of the run stays while on half the pages.
	kept, err := LoadKeeping(ctx, db, "site.example", Set{1: true, 3: true})
	if err != nil || len(kept) != 2 || !kept[1] || !kept[2] {
		t.Errorf("LoadKeeping = %v, %v; want {1, 2}", kept, err)
	}
}

// The store implements the interfaces.
var (
	_ Store        = (*store.DB)(nil)
	_ RecleanStore = (*store.DB)(nil)
)
