package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// openPTY opens a pseudo-terminal and returns its controlling side and its terminal side.
func openPTY(t *testing.T) (ptm, pts *os.File) {
	t.Helper()
	ptm, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	var unlock int32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, ptm.Fd(), syscall.TIOCSPTLCK, uintptr(unsafe.Pointer(&unlock))); e != 0 {
		ptm.Close()
		t.Skipf("unlock pseudo-terminal: %v", e)
	}
	var n uint32
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, ptm.Fd(), syscall.TIOCGPTN, uintptr(unsafe.Pointer(&n))); e != 0 {
		ptm.Close()
		t.Skipf("pseudo-terminal number: %v", e)
	}
	pts, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		ptm.Close()
		t.Skipf("open pseudo-terminal: %v", err)
	}
	return ptm, pts
}

// TestCrawlLogsOnATerminalKeepOffTheProgressBar runs lede crawl with stderr on a
// pseudo-terminal, so that it draws its progress bar, while it logs a line for each page
// not found: on the terminal's screen, every log line has a line of its own.
func TestCrawlLogsOnATerminalKeepOffTheProgressBar(t *testing.T) {
	s := newNewsSite(t, 30)
	s.mu.Lock()
	s.delay = 40 * time.Millisecond // slow enough for the bar to be drawn between log lines
	s.fail = func(path string, hit int) (int, string) {
		var i int
		if _, err := fmt.Sscanf(path, "/news/%d.html", &i); err == nil && i%3 == 0 {
			time.Sleep(40 * time.Millisecond)
			return http.StatusNotFound, ""
		}
		return 0, ""
	}
	s.mu.Unlock()
	ptm, pts := openPTY(t)
	defer ptm.Close()
	cmd := exec.Command(ledeBin, "crawl", "--db", filepath.Join(t.TempDir(), "lede.db"), "--delay", "0",
		"--log-level", "debug", s.URL+"/")
	var stdout bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, pts
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pts.Close() // the child holds the terminal now: reading ends when it exits
	var term bytes.Buffer
	read := make(chan struct{})
	go func() {
		io.Copy(&term, ptm) // ends with EIO once the child is gone
		close(read)
	}()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("lede crawl: %v", err)
	}
	select {
	case <-read:
	case <-untilDeadline(t).Done():
		t.Fatal("the terminal never closed")
	}
	if !strings.Contains(term.String(), "crawling (") {
		t.Fatalf("no progress bar on the terminal:\n%q", term.String())
	}
	logs := 0
	for _, l := range screen(term.Bytes()) {
		if strings.Contains(l, "msg=") {
			logs++
			if !strings.HasPrefix(l, "time=") {
				t.Errorf("a log line shares its line with the progress bar: %q", l)
			}
		}
	}
	if logs < 10 {
		t.Errorf("only %d log lines on the terminal:\n%s", logs, term.String())
	}
}
