package main

import (
	"os/exec"
	"syscall"
)

// dieWithParent makes the kernel kill cmd's process if benchcrawl dies first (a kill -9 or a
// closed pipe), so that no newsfarm or crawler is left running behind it.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
