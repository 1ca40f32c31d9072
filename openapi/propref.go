package openapi

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// maxPropertiesRefRounds bounds how deep properties $refs are followed: a mapping inlined
// in one round may hold properties $refs of its own, inlined in the next.
const maxPropertiesRefRounds = 8

// refInliner rewrites, before kin-openapi reads them, the constructs of real documents
// that OpenAPI does not allow but whose meaning is plain, in the document file and in
// every file its $refs load (kin-openapi reads those itself, through reader). One
// inliner serves one load: its reader applies refReader's hermetic rules, and the bytes
// it inlines count against one budget of MaxDocumentBytes for the whole load.
type refInliner struct {
	source string                                         // the document as the user named it
	root   string                                         // documentRoot(source)
	dir    string                                         // the document's folder as an absolute path, symbolic links kept
	raw    func(loc *url.URL) ([]byte, *yaml.Node, error) // refFileReader

	mu      sync.Mutex
	inlined int
	loaded  map[string][]byte     // the files kin-openapi asked for, rewritten
	trees   map[string]*yaml.Node // their YAML trees, for those the rewriting left as read
	virtual map[string][]byte     // the virtual documents of shared $refs (sharedrefs.go)
	warns   []Warning             // the warnings found in those files
}

func newRefInliner(source string, opts LoadOptions) *refInliner {
	in := &refInliner{source: source, root: documentRoot(source), raw: refFileReader(source, opts),
		loaded: map[string][]byte{}, trees: map[string]*yaml.Node{}}
	if in.root != "" {
		if abs, err := filepath.Abs(source); err == nil {
			in.dir = filepath.Dir(abs)
		}
	}
	return in
}

// reader is the ReadFromURIFunc kin-openapi loads the document's $refs with: refReader's
// file, rewritten like the document itself.
func (in *refInliner) reader(l *openapi3.Loader, loc *url.URL) ([]byte, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	key := loc.String()
	if b, ok := in.virtual[key]; ok {
		return b, nil
	}
	if b, ok := in.loaded[key]; ok {
		return b, nil
	}
	read, tree, err := in.raw(loc)
	if err != nil {
		return nil, err
	}
	self, display := in.name(loc)
	b, warns, err := in.inlinePropertiesRefs(read, self, display)
	if err != nil {
		return nil, err
	}
	in.warns = append(in.warns, warns...)
	in.loaded[key] = b
	if len(b) == len(read) && len(b) > 0 && &b[0] == &read[0] {
		in.trees[key] = tree
	}
	return b, nil
}

// tree returns the YAML tree of the file kin-openapi reads as key, when the reader kept
// it (the rewriting left the file as read); nil otherwise.
func (in *refInliner) tree(key string) *yaml.Node {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.trees[key]
}

// replaceLoaded makes the file kin-openapi asks for as key read as b (its $refs
// rewritten by shareExternalRefs, after the reader read it).
func (in *refInliner) replaceLoaded(key string, b []byte) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.loaded[key] = b
	delete(in.trees, key)
}

// setVirtual serves the virtual documents of shared $refs, by absolute slash path.
func (in *refInliner) setVirtual(docs map[string][]byte) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.virtual = map[string][]byte{}
	for p, b := range docs {
		in.virtual[(&url.URL{Path: p}).String()] = b
	}
}

// fileWarnings returns the warnings found in the files kin-openapi loaded.
func (in *refInliner) fileWarnings() []Warning {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]Warning(nil), in.warns...)
}

// document rewrites the document file itself.
func (in *refInliner) document(data []byte) ([]byte, []Warning, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.inlinePropertiesRefs(data, &url.URL{Path: path.Base(filepath.ToSlash(in.source))}, in.source)
}

// name returns the URL a file kin-openapi asks for is read by (a local file relative to
// the document's folder, so messages stay short and the hermetic rules apply as to any
// $ref) and the name its warnings and errors carry (the document's folder as the user
// wrote it, joined with that).
func (in *refInliner) name(loc *url.URL) (*url.URL, string) {
	if (loc.Scheme == "" || loc.Scheme == "file") && in.dir != "" {
		if rel, err := filepath.Rel(in.dir, filepath.FromSlash(loc.Path)); err == nil && within(in.dir, filepath.Join(in.dir, rel)) {
			return &url.URL{Path: filepath.ToSlash(rel)}, filepath.Join(filepath.Dir(in.source), rel)
		}
	}
	return loc, redactURL(loc)
}

// inlinePropertiesRefs replaces each schema's properties given as a mapping holding only
// a $ref (DigitalOcean's `properties: {$ref: 'attributes.yml#/load_balancer_droplet_ids'}`,
// which kin-openapi reads as a property named "$ref" and refuses) by the mapping of
// properties the $ref names, in the file self (relative to the document's folder, or a
// remote URL) named display in messages. The target is read with refReader's hermetic
// rules; every $ref inside it is rebased to name the same thing from self (as
// inlineOperationRefs does). The mapping is written as one line of JSON in place of the
// $ref, so every line of the file stays where it was; each replacement is a
// properties-ref warning at the key's line. A $ref that cannot be inlined is a load error
// naming the file and line.
func (in *refInliner) inlinePropertiesRefs(data []byte, self *url.URL, display string) ([]byte, []Warning, error) {
	var warns []Warning
	for round := 0; round < maxPropertiesRefRounds && refUnderKey(data, "properties"); round++ {
		var doc yaml.Node
		if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) != 1 {
			break // kin-openapi reports the syntax error
		}
		targets := keywordRefs(doc.Content[0], map[string]bool{"properties": true})
		lines := bytes.SplitAfter(data, []byte("\n"))
		byLine := map[int][]span{}
		for _, f := range targets {
			if f.m.Line != f.ref.Line || f.m.Line < 1 || f.m.Line > len(lines) {
				continue // spread over several lines: left alone
			}
			with, err := in.propertiesOf(f.ref.Value, self, doc.Content[0])
			if err != nil {
				return nil, nil, &LoadError{File: display, Line: f.key.Line, Column: f.key.Column, Code: CodeInvalid,
					Err: fmt.Errorf("properties is a $ref that cannot be inlined: %w", err)}
			}
			byLine[f.m.Line] = append(byLine[f.m.Line], span{col: f.m.Column - 1, end: refEnd(f.m, f.ref), with: with})
			warns = append(warns, Warning{Kind: PropertiesRef, File: display, Line: f.key.Line, Message: fmt.Sprintf(
				"properties is a $ref (%s), which OpenAPI does not allow (properties is a mapping of schemas); the properties it names are inlined (problems inside them are reported at this line)",
				refForMessage(f.ref.Value))})
		}
		if len(byLine) == 0 {
			break
		}
		for ln, es := range byLine {
			line, ok := replaceSpans(string(lines[ln-1]), es)
			if !ok {
				return nil, nil, &LoadError{File: display, Line: ln, Code: CodeInvalid,
					Err: fmt.Errorf("a properties $ref on this line is written in a way hookkit cannot inline")}
			}
			lines[ln-1] = []byte(line)
		}
		data = bytes.Join(lines, nil)
	}
	sort.SliceStable(warns, func(i, j int) bool { return warns[i].Line < warns[j].Line })
	return data, warns, nil
}

// refForMessage names a $ref without the credentials or query a URL may carry.
func refForMessage(ref string) string {
	file, frag, _ := strings.Cut(ref, "#")
	u, err := url.Parse(file)
	if err != nil {
		return "an unreadable URL"
	}
	return redactURL(u) + hashIf(frag)
}

// propertiesOf returns, as one line of JSON, the mapping of properties ref names from the
// file self, its $refs rebased to self: a fragment of self itself (here is its parsed
// tree), or of a file read with the hermetic rules.
func (in *refInliner) propertiesOf(ref string, self *url.URL, here *yaml.Node) (string, error) {
	file, frag, _ := strings.Cut(ref, "#")
	loc := &url.URL{}
	root := here
	if file != "" {
		var err error
		if loc, err = url.Parse(file); err != nil {
			return "", fmt.Errorf("$ref %q does not name a file", refForMessage(ref))
		}
		if _, root, err = in.raw(resolveFrom(self, loc)); err != nil {
			return "", err
		}
	}
	m, err := pointerNode(root, frag)
	if err != nil || m.Kind != yaml.MappingNode {
		return "", fmt.Errorf("$ref %s: #%s does not name a mapping of properties", redactURL(loc), frag)
	}
	var out bytes.Buffer
	if err := writeRebasedJSON(&out, m, loc, file, MaxDocumentBytes-in.inlined, false, true); err != nil {
		return "", fmt.Errorf("$ref %s: %w", redactURL(loc), err)
	}
	in.inlined += out.Len()
	return out.String(), nil
}

// resolveFrom returns the URL a $ref's file part names from the file self: a local path
// joined with self's folder (still relative to the document's folder, so refReader's
// rules apply), a URL resolved against a remote self, an absolute one as it is.
func resolveFrom(self, loc *url.URL) *url.URL {
	if loc.Scheme != "" || loc.Host != "" {
		return loc
	}
	if self.Scheme != "" && self.Scheme != "file" {
		return self.ResolveReference(loc)
	}
	if path.IsAbs(loc.Path) {
		return loc
	}
	return &url.URL{Path: path.Join(path.Dir(self.Path), loc.Path)}
}
