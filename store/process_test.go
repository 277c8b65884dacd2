package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"lede"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests run real second processes: the test binary re-executed with LEDE_STORE_CHILD
// naming the role the child plays (see TestMain).

const childEnv = "LEDE_STORE_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "":
		os.Exit(m.Run())
	case "hold":
		os.Exit(childHold(os.Getenv("LEDE_STORE_PATH")))
	case "write":
		os.Exit(childWrite(os.Getenv("LEDE_STORE_PATH")))
	default:
		fmt.Fprintln(os.Stderr, "unknown child role")
		os.Exit(3)
	}
}

// childHold opens the store, says "ready" and holds the lock until stdin closes.
func childHold(path string) int {
	db, err := Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer db.Close()
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	return 0
}

// childWrite stores synthetic articles from 8 goroutines forever, printing the number of each
// article once PutArticle has returned (that is, once it is committed).
func childWrite(path string) int {
	db, err := Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; ; i += 8 {
				a := syntheticArticle(i)
				if _, err := db.PutArticle(context.Background(), a, []byte(a.HTML)); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				mu.Lock()
				fmt.Fprintln(out, i)
				out.Flush()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return 0
}

// syntheticArticle is article number i of a deterministic corpus of distinct articles.
func syntheticArticle(i int) *lede.Article {
	var b strings.Builder
	for p := range 4 {
		fmt.Fprintf(&b, "Paragraph %d of article %d reports that district %d voted %d to %d on measure %d.\n\n",
			p, i, i*7+p, i%97, i%89+p, i*13)
	}
	return &lede.Article{
		URL:       fmt.Sprintf("https://synthetic.example/%d/story-%d", i%50, i),
		Title:     fmt.Sprintf("Story %d", i),
		Lang:      []string{"en", "ar", "fr"}[i%3],
		Published: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour),
		Text:      b.String(),
		HTML:      "<p>" + b.String() + "</p>",
	}
}

func child(t *testing.T, role, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+role, "LEDE_STORE_PATH="+path)
	cmd.Stderr = os.Stderr
	return cmd
}

func TestSecondProcessGetsLockError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lede.db")
	cmd := child(t, "hold", path)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
		t.Fatalf("child: %q, %v", line, err)
	}

	for _, opts := range [][]Option{{WithTimeout(300 * time.Millisecond)}, {ReadOnly(), WithTimeout(300 * time.Millisecond)}} {
		db, err := Open(path, opts...)
		if err == nil {
			db.Close()
			t.Fatal("Open succeeded while another process holds the file")
		}
		if !errors.Is(err, ErrLocked) || err.Error() != path+" is locked by another lede process" {
			t.Fatalf("err = %v, want %q", err, path+" is locked by another lede process")
		}
	}

	// Once the holder exits, the file opens.
	stdin.Close()
	cmd.Wait()
	db, err := Open(path)
	if err != nil {
		t.Fatalf("Open after the holder exited: %v", err)
	}
	db.Close()
}

func TestKillNineMidBatch(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lede.db")
	cmd := child(t, "write", path)
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Read committed article numbers until a good many are in, then kill the writer while
	// its goroutines are in the middle of the next batches.
	var committed []int
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && len(committed) < 400 {
		n, err := strconv.Atoi(sc.Text())
		if err != nil {
			t.Fatalf("child said %q", sc.Text())
		}
		committed = append(committed, n)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	for sc.Scan() { // numbers printed before the kill landed are committed too
		if n, err := strconv.Atoi(sc.Text()); err == nil {
			committed = append(committed, n)
		}
	}
	cmd.Wait()
	if len(committed) < 400 {
		t.Fatalf("child committed only %d articles", len(committed))
	}

	ctx := context.Background()
	db, err := Open(path)
	if err != nil {
		t.Fatalf("reopen after kill -9: %v", err)
	}
	defer db.Close()
	if err := db.Check(ctx); err != nil {
		t.Fatalf("consistency check after kill -9: %v", err)
	}
	for _, n := range committed {
		want := syntheticArticle(n)
		got, err := db.Get(ctx, want.URL)
		if err != nil {
			t.Fatalf("committed article %d lost: %v", n, err)
		}
		raw, err := db.Raw(ctx, got.ID)
		if got.Text != want.Text || got.Title != want.Title || err != nil || string(raw) != want.HTML {
			t.Fatalf("committed article %d damaged: %+v (raw err %v)", n, got, err)
		}
	}
	// Every index agrees with the articles bucket.
	st, _ := db.Stats(ctx)
	seen := 0
	if err := db.Articles(ctx, Filter{}, func(*lede.Article) error { seen++; return nil }); err != nil {
		t.Fatal(err)
	}
	if seen != st.Articles || seen < len(committed) {
		t.Fatalf("after kill: %d articles walked, %d counted, %d committed", seen, st.Articles, len(committed))
	}
	// And the store still takes writes.
	if _, err := db.PutArticle(ctx, syntheticArticle(1_000_000), nil); err != nil {
		t.Fatal(err)
	}
}
