package openapi_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookkit/hookkit/openapi"
)

// refDoc is a one-operation document whose 200 answer is the schema at ref.
func refDoc(ref string) string {
	return `openapi: 3.0.3
info: {title: refs, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: '` + ref + `'
`
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestFileRefsStayInTheDocumentsFolder: a hostile document cannot read files outside its
// folder tree, and no error shows the content of a file that is not a document.
func TestFileRefsStayInTheDocumentsFolder(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	const secretLine = "root:x:0:0:SECRET-LINE-7731"
	outside := writeFile(t, filepath.Join(base, "outside", "passwd"), secretLine+"\n")
	writeFile(t, filepath.Join(base, "outside", "schema.yaml"), "type: object\n")
	dir := filepath.Join(base, "api")
	writeFile(t, filepath.Join(dir, "schemas", "hook.yaml"), "type: object\nproperties:\n  id: {type: string}\n")
	writeFile(t, filepath.Join(dir, "notes.txt"), secretLine+"\n")
	writeFile(t, filepath.Join(dir, "list.yaml"), "- "+secretLine+"\n")
	if err := os.Symlink(outside, filepath.Join(dir, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, ref, want string
	}{
		{"absolute path", outside, "outside the document's folder"},
		{"file URL", "file://" + outside, "outside the document's folder"},
		{"dot-dot", "../outside/schema.yaml", "outside the document's folder"},
		{"symlink out of the tree", "link.yaml", "outside the document's folder"},
		{"/etc/passwd", "/etc/passwd", "outside the document's folder"},
		{"not a document", "notes.txt", "not a YAML or JSON document"},
		{"a YAML list", "list.yaml", "not a YAML or JSON document"},
		{"device", "/dev/zero", "outside the document's folder"},
		{"other scheme", "ftp://127.0.0.1/x.yaml", "not supported"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := writeFile(t, filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".openapi.yaml"), refDoc(tc.ref))
			_, err := openapi.Load(path)
			if err == nil {
				t.Fatal("loaded")
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) || !strings.Contains(msg, path) {
				t.Errorf("error %q does not say %q and name the document", msg, tc.want)
			}
			if strings.Contains(msg, "SECRET-LINE") || strings.Contains(msg, "root:") {
				t.Errorf("error shows the file's content: %s", msg)
			}
		})
	}
	t.Run("multi-file documents keep working", func(t *testing.T) {
		t.Parallel()
		path := writeFile(t, filepath.Join(dir, "ok.openapi.yaml"), refDoc("./schemas/hook.yaml"))
		doc, err := openapi.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		op, _ := doc.Operation("GET /a")
		if s := op.Operation.Responses.Value("200").Value.Content.Get("application/json").Schema.Value; s.Properties["id"] == nil {
			t.Errorf("the referenced schema was not loaded: %+v", s)
		}
	})
}

// countingListener is a loopback HTTP server that counts the connections it accepts and
// serves body, or never answers when hang is set.
type countingListener struct {
	url   string
	conns atomic.Int64
	got   chan struct{} // receives once per request
}

func startCounting(t *testing.T, body string, hang bool) *countingListener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c := &countingListener{url: "http://" + ln.Addr().String(), got: make(chan struct{}, 16)}
	done := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.got <- struct{}{}
		if hang {
			select {
			case <-r.Context().Done():
			case <-done:
			}
			return
		}
		_, _ = w.Write([]byte(body))
	}), ConnState: func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			c.conns.Add(1)
		}
	}}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { close(done); _ = srv.Close() })
	return c
}

// TestRemoteRefsNeedPermission: by default a document cannot make hookkit reach the
// network (a metadata endpoint, an internal service); with permission it fetches within
// a timeout, and a cancelled context ends the load at once.
func TestRemoteRefsNeedPermission(t *testing.T) {
	t.Parallel()
	remote := startCounting(t, "type: object\nproperties:\n  id: {type: string}\n", false)
	path := writeFile(t, filepath.Join(t.TempDir(), "api.yaml"), refDoc(remote.url+"/schema.yaml"))

	_, err := openapi.Load(path)
	if err == nil || !strings.Contains(err.Error(), "remote references are off") || !strings.Contains(err.Error(), "--allow-remote-refs") {
		t.Fatalf("hermetic load: %v", err)
	}
	if n := remote.conns.Load(); n != 0 {
		t.Fatalf("the listener got %d connections from a hermetic load", n)
	}

	if _, err := openapi.LoadWith(path, openapi.LoadOptions{AllowRemoteRefs: true}); err != nil {
		t.Fatalf("allowed remote load: %v", err)
	}
	if n := remote.conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}

	t.Run("timeout", func(t *testing.T) {
		t.Parallel()
		hang := startCounting(t, "", true)
		path := writeFile(t, filepath.Join(t.TempDir(), "api.yaml"), refDoc(hang.url+"/schema.yaml"))
		_, err := openapi.LoadWith(path, openapi.LoadOptions{AllowRemoteRefs: true, RemoteTimeout: 50 * time.Millisecond})
		if err == nil || !strings.Contains(err.Error(), "no answer within 50ms") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("interrupted", func(t *testing.T) {
		t.Parallel()
		hang := startCounting(t, "", true)
		path := writeFile(t, filepath.Join(t.TempDir(), "api.yaml"), refDoc(hang.url+"/schema.yaml"))
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-hang.got; cancel() }() // interrupt once the fetch hangs
		_, err := openapi.LoadWith(path, openapi.LoadOptions{Context: ctx, AllowRemoteRefs: true, RemoteTimeout: time.Hour})
		if err == nil || !strings.Contains(err.Error(), "loading interrupted") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("size cap", func(t *testing.T) {
		t.Parallel()
		big := startCounting(t, "type: object\ndescription: "+strings.Repeat("x", 4096)+"\n", false)
		path := writeFile(t, filepath.Join(t.TempDir(), "api.yaml"), refDoc(big.url+"/schema.yaml"))
		_, err := openapi.LoadWith(path, openapi.LoadOptions{AllowRemoteRefs: true, RemoteMaxBytes: 1024})
		if err == nil || !strings.Contains(err.Error(), "larger than 1024 bytes") {
			t.Fatalf("got %v", err)
		}
	})
}

// TestLoadOptionsTogether: one LoadOptions carries what loading may reach and how strictly
// it judges. A document whose schema is a remote $ref and whose example breaks that schema
// loads with a warning when remote refs are allowed, is refused at the example's line when
// Strict is added, and stays hermetic under Strict alone.
func TestLoadOptionsTogether(t *testing.T) {
	t.Parallel()
	remote := startCounting(t, "type: object\nproperties:\n  id: {type: string}\n", false)
	path := writeFile(t, filepath.Join(t.TempDir(), "api.yaml"), refDoc(remote.url+"/schema.yaml")+"              example: {id: 5}\n")

	d, err := openapi.LoadWith(path, openapi.LoadOptions{AllowRemoteRefs: true})
	if err != nil {
		t.Fatalf("lenient remote load: %v", err)
	}
	var invalid []openapi.Warning
	for _, w := range d.Warnings {
		if w.Kind == openapi.InvalidExample {
			invalid = append(invalid, w)
		}
	}
	if len(invalid) != 1 || invalid[0].Line != 13 {
		t.Fatalf("warnings %v, want one invalid-example at line 13", d.Warnings)
	}
	_, err = openapi.LoadWith(path, openapi.LoadOptions{AllowRemoteRefs: true, Strict: true})
	if err == nil || !strings.Contains(err.Error(), "api.yaml:13:") || !strings.Contains(err.Error(), "(invalid-example)") {
		t.Fatalf("strict remote load: %v, want the example refused at its line", err)
	}
	fetched := remote.conns.Load()
	_, err = openapi.ParseWith([]byte(refDoc(remote.url+"/schema.yaml")), path, openapi.LoadOptions{Strict: true})
	if err == nil || !strings.Contains(err.Error(), "remote references are off") || remote.conns.Load() != fetched {
		t.Fatalf("strict hermetic load: %v (%d new connections)", err, remote.conns.Load()-fetched)
	}
}

// refChain is a document whose answer schema is the head of a chain of n aliases.
func refChain(n int) string {
	var b strings.Builder
	b.WriteString(refDoc("#/components/schemas/S0"))
	b.WriteString("components:\n  schemas:\n")
	for i := 0; i < n-1; i++ {
		fmt.Fprintf(&b, "    S%d: {$ref: '#/components/schemas/S%d'}\n", i, i+1)
	}
	fmt.Fprintf(&b, "    S%d: {type: string, minLength: 3}\n", n-1)
	return b.String()
}

// TestRefChainLoads: a chain of 4,000 $refs (10 s and more with kin-openapi alone) loads,
// with every alias resolved to the end of the chain; bench/ measures that the time grows
// linearly (BenchmarkLoadRefChain).
func TestRefChainLoads(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Parse([]byte(refChain(4000)), "chain.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"S0", "S1234", "S3998"} {
		s := doc.T.Components.Schemas[name]
		if s.Value == nil || s.Value.MinLength != 3 {
			t.Errorf("%s not resolved to the end of the chain: %+v", name, s.Value)
		}
	}
	// The same chain as JSON, on one line.
	var b strings.Builder
	b.WriteString(`{"openapi":"3.0.3","info":{"title":"j","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/S0"}}}}}}}},"components":{"schemas":{`)
	for i := 0; i < 3999; i++ {
		fmt.Fprintf(&b, `"S%d":{"$ref":"#/components/schemas/S%d"},`, i, i+1)
	}
	b.WriteString(`"S3999":{"type":"string","minLength":3}}}}`)
	doc, err = openapi.Parse([]byte(b.String()), "chain.json")
	if err != nil {
		t.Fatal(err)
	}
	if s := doc.T.Components.Schemas["S0"]; s.Value == nil || s.Value.MinLength != 3 {
		t.Errorf("JSON chain not resolved: %+v", s.Value)
	}
}
