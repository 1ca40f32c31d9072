package openapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// Limits of document loading.
const (
	// DefaultRemoteTimeout bounds one remote $ref fetch (with --allow-remote-refs).
	DefaultRemoteTimeout = 10 * time.Second
	// DefaultRemoteMaxBytes bounds one remote document.
	DefaultRemoteMaxBytes = 8 << 20
	// MaxRemoteRefs is the most remote documents one load fetches.
	MaxRemoteRefs = 100
	// MaxDocumentBytes bounds the document file and each file it references.
	MaxDocumentBytes = 64 << 20
)

// refReader returns kin-openapi's ReadFromURIFunc for a document at source: files inside
// the document's folder tree (symbolic links resolved first), regular files only, at most
// MaxDocumentBytes each; http(s) only when allowed, with a timeout and a size cap. Every
// error names the $ref and never the content of what it read: a file that is not a YAML
// or JSON mapping is refused by this verdict alone, so a $ref to /etc/passwd cannot make
// its lines appear in a message.
func refReader(source string, opts LoadOptions) openapi3.ReadFromURIFunc {
	read := refFileReader(source, opts)
	return func(_ *openapi3.Loader, loc *url.URL) ([]byte, error) {
		b, _, err := read(loc)
		return b, err
	}
}

// refFileReader is refReader's reader, which also returns the YAML tree the file was
// judged a mapping by (the same tree at every read of a file: not to be modified), so
// the passes that read the file again need not parse it again.
func refFileReader(source string, opts LoadOptions) func(loc *url.URL) ([]byte, *yaml.Node, error) {
	root := documentRoot(source)
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	timeout := cmpOr(opts.RemoteTimeout, DefaultRemoteTimeout)
	maxBytes := cmpOr(opts.RemoteMaxBytes, DefaultRemoteMaxBytes)
	client := &http.Client{
		Timeout: timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to a %s URL refused", req.URL.Scheme)
			}
			if len(via) >= 5 {
				return errors.New("more than 5 redirects")
			}
			return nil
		},
	}
	type file struct {
		b    []byte
		tree *yaml.Node
	}
	var mu sync.Mutex
	cache := map[string]file{}
	fetched := 0
	return func(loc *url.URL) ([]byte, *yaml.Node, error) {
		key := loc.String()
		mu.Lock()
		defer mu.Unlock()
		if f, ok := cache[key]; ok {
			return f.b, f.tree, nil
		}
		var (
			b   []byte
			err error
		)
		switch loc.Scheme {
		case "", "file":
			b, err = readLocalRef(root, loc)
		case "http", "https":
			if !opts.AllowRemoteRefs {
				return nil, nil, fmt.Errorf("$ref %s: remote references are off (hookkit loads documents without network access; --allow-remote-refs allows http(s) $refs)", redactURL(loc))
			}
			if fetched >= MaxRemoteRefs {
				return nil, nil, fmt.Errorf("$ref %s: more than %d remote documents", redactURL(loc), MaxRemoteRefs)
			}
			fetched++
			b, err = readRemoteRef(ctx, client, loc, maxBytes, timeout)
		default:
			return nil, nil, fmt.Errorf("$ref %s: the %s scheme is not supported", redactURL(loc), loc.Scheme)
		}
		if err != nil {
			return nil, nil, err
		}
		tree, ok := mappingTree(b)
		if !ok {
			return nil, nil, fmt.Errorf("$ref %s: not a YAML or JSON document", redactURL(loc))
		}
		cache[key] = file{b, tree}
		return b, tree, nil
	}
}

// documentRoot is the folder tree a document's $refs may read (symbolic links resolved),
// "" for the embedded document or one held in memory.
func documentRoot(source string) string {
	root := ""
	if source != "" && source != DefaultSource {
		if abs, err := filepath.Abs(source); err == nil {
			root = filepath.Dir(abs)
			if r, err := filepath.EvalSymlinks(root); err == nil {
				root = r
			}
		}
	}
	return root
}

// readDocument reads a document file: a regular file of at most MaxDocumentBytes.
func readDocument(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxDocumentBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxDocumentBytes {
		return nil, fmt.Errorf("larger than the limit of %d bytes for a document", MaxDocumentBytes)
	}
	return b, nil
}

func cmpOr[T int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// readLocalRef reads a file a $ref names, only inside root (the document's folder tree).
func readLocalRef(root string, loc *url.URL) ([]byte, error) {
	name := filepath.FromSlash(loc.Path)
	if root == "" {
		return nil, fmt.Errorf("$ref %s: this document cannot reference files", loc.Path)
	}
	outside := fmt.Errorf("$ref %s: outside the document's folder %s (a document may reference files in its own folder tree only)", loc.Path, root)
	if !filepath.IsAbs(name) {
		name = filepath.Join(root, name)
	}
	real, err := filepath.EvalSymlinks(filepath.Clean(name))
	if err != nil {
		if within(root, filepath.Clean(name)) {
			return nil, fmt.Errorf("$ref %s: no such file", loc.Path)
		}
		return nil, outside
	}
	if !within(root, real) {
		return nil, outside
	}
	f, err := os.Open(real)
	if err != nil {
		return nil, fmt.Errorf("$ref %s: cannot open the file", loc.Path)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("$ref %s: not a regular file", loc.Path)
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxDocumentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("$ref %s: cannot read the file", loc.Path)
	}
	if len(b) > MaxDocumentBytes {
		return nil, fmt.Errorf("$ref %s: larger than %d bytes", loc.Path, MaxDocumentBytes)
	}
	return b, nil
}

func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func readRemoteRef(ctx context.Context, client *http.Client, loc *url.URL, maxBytes int64, timeout time.Duration) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, loc.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("$ref %s: %v", redactURL(loc), err)
	}
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("$ref %s: loading interrupted", redactURL(loc))
		}
		var ue *url.Error
		if errors.As(err, &ue) && ue.Timeout() {
			return nil, fmt.Errorf("$ref %s: no answer within %s", redactURL(loc), timeout)
		}
		return nil, fmt.Errorf("$ref %s: cannot fetch it", redactURL(loc))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("$ref %s: answered %d", redactURL(loc), resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("$ref %s: cannot read the answer", redactURL(loc))
	}
	if int64(len(b)) > maxBytes {
		return nil, fmt.Errorf("$ref %s: larger than %d bytes", redactURL(loc), maxBytes)
	}
	return b, nil
}

// redactURL names a URL without its credentials or query (which may carry a token).
func redactURL(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery = ""
	return c.String()
}

// mappingTree parses b and reports whether it is a YAML (or JSON) document whose top
// level is a mapping, returning that mapping.
func mappingTree(b []byte) (*yaml.Node, bool) {
	var n yaml.Node
	if err := yaml.Unmarshal(b, &n); err != nil {
		return nil, false
	}
	if len(n.Content) != 1 || n.Content[0].Kind != yaml.MappingNode {
		return nil, false
	}
	return n.Content[0], true
}

// refChainThreshold is the number of $refs below which a document is handed to
// kin-openapi as it is: kin-openapi resolves each component $ref by walking the rest of
// its chain, which is quadratic in the length of a chain of aliases, and only documents
// with many $refs can hold a chain long enough to matter.
const refChainThreshold = 256

// collapseRefChains rewrites the $refs inside components that name an alias component (a
// component that is only a $ref to another component) to name the end of the alias chain
// instead. kin-openapi then resolves every alias in one step, and any other $ref to an
// alias in two: linear in the number of refs. Only the ref strings change, in place, so
// every line number stays where it was. Documents with few $refs, no chains, or anything
// unexpected are returned unchanged. In a YAML document only its components section is
// parsed for this; a JSON one is parsed whole.
func collapseRefChains(data []byte) []byte {
	if bytes.Count(data, []byte("$ref")) < refChainThreshold {
		return data
	}
	section, lineOffset := componentsSection(data)
	if bytes.Count(section, []byte("$ref")) < refChainThreshold {
		return data // too few refs among the components to form a long chain
	}
	var doc yaml.Node
	if yaml.Unmarshal(section, &doc) != nil || len(doc.Content) != 1 {
		return data
	}
	components := mappingValue(doc.Content[0], "components")
	if components == nil {
		return data
	}
	// alias: "#/components/schemas/A" -> the ref A holds, when A is only a $ref.
	alias := map[string]string{}
	for i := 0; i+1 < len(components.Content); i += 2 {
		section, entries := components.Content[i].Value, components.Content[i+1]
		if entries.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(entries.Content); j += 2 {
			e := entries.Content[j+1]
			if e.Kind == yaml.MappingNode && len(e.Content) == 2 && e.Content[0].Value == "$ref" && strings.HasPrefix(e.Content[1].Value, "#/components/") {
				alias["#/components/"+section+"/"+escapeRefToken(entries.Content[j].Value)] = e.Content[1].Value
			}
		}
	}
	if len(alias) == 0 {
		return data
	}
	final := map[string]string{}
	var end func(ref string, depth int) string
	end = func(ref string, depth int) string {
		if f, ok := final[ref]; ok {
			return f
		}
		next, isAlias := alias[ref]
		if !isAlias || depth > len(alias) {
			return ref // not an alias, or a cycle: kin-openapi reports those
		}
		f := end(next, depth+1)
		final[ref] = f
		return f
	}
	type edit struct {
		line, col int
		old, new  string
	}
	var edits []edit
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "$ref" && v.Kind == yaml.ScalarNode {
					if _, ok := alias[v.Value]; ok {
						if f := end(v.Value, 0); f != v.Value {
							edits = append(edits, edit{v.Line + lineOffset, v.Column, v.Value, f})
						}
					}
					continue
				}
				walk(v)
			}
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(components)
	if len(edits) == 0 {
		return data
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	// Edit each line from its last column back, so earlier columns stay valid.
	byLine := map[int][]edit{}
	for _, e := range edits {
		byLine[e.line] = append(byLine[e.line], e)
	}
	for ln, es := range byLine {
		if ln < 1 || ln > len(lines) {
			return data
		}
		line := string(lines[ln-1])
		for i := len(es) - 1; i >= 0; i-- {
			e := es[i]
			at := runeOffset(line, e.col-1)
			if at < 0 {
				return data
			}
			rest := line[at:]
			var old, repl string
			switch {
			case strings.HasPrefix(rest, `"`+e.old+`"`):
				old, repl = `"`+e.old+`"`, `"`+e.new+`"`
			case strings.HasPrefix(rest, `'`+e.old+`'`):
				old, repl = `'`+e.old+`'`, `'`+e.new+`'`
			case strings.HasPrefix(rest, e.old):
				old, repl = e.old, e.new
			default:
				return data // not where the parser said: leave the document alone
			}
			line = line[:at] + repl + rest[len(old):]
		}
		lines[ln-1] = []byte(line)
	}
	return bytes.Join(lines, nil)
}

// componentsSection returns the part of a YAML document from its top-level
// "components:" key to the next top-level key, and the number of lines before it; the
// whole document and 0 when there is no such block (JSON, flow style).
func componentsSection(data []byte) ([]byte, int) {
	start := -1
	if bytes.HasPrefix(data, []byte("components:")) {
		start = 0
	} else if i := bytes.Index(data, []byte("\ncomponents:")); i >= 0 {
		start = i + 1
	}
	if start < 0 {
		return data, 0
	}
	end := len(data)
	for i := start; i < len(data); {
		nl := bytes.IndexByte(data[i:], '\n')
		if nl < 0 {
			break
		}
		i += nl + 1
		if i < len(data) {
			if c := data[i]; c != ' ' && c != '\t' && c != '#' && c != '\n' && c != '\r' {
				end = i
				break
			}
		}
	}
	return data[start:end], bytes.Count(data[:start], []byte("\n"))
}

func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func escapeRefToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// runeOffset returns the byte offset of the n-th rune of s (0-based), or -1.
func runeOffset(s string, n int) int {
	i := 0
	for off := range s {
		if i == n {
			return off
		}
		i++
	}
	if i == n {
		return len(s)
	}
	return -1
}
