package openapi

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// Sharing external $refs.
//
// kin-openapi decodes the file a whole-file $ref names (`$ref: models/droplet.yml`) again
// at every $ref, and a fragment of a plain YAML file (`headers.yml#/ratelimit-limit`)
// through a JSON round trip at every $ref; only $refs to components ("#/components/...")
// share one decoded value. A document split over files the way DigitalOcean's is (6,765
// whole-file $refs over 2,775 files, 2,750 fragment $refs over 535 fragments) spends most
// of its load decoding the same files again.
//
// So before kin-openapi reads anything, hookkit turns every external $ref it can classify
// into a $ref to a component of a virtual document, one per kind of object (schemas,
// responses, parameters, headers, request bodies, examples), which the loader's reader
// serves from memory (nothing is written to disk):
//
//	# /abs/folder/.hookkit-shared-schemas.yaml (virtual, in the document's folder)
//	components:
//	  schemas:
//	    g000001: {$ref: "resources/droplets/models/droplet.yml"} # a target; dependencies first
//	    u000001: {$ref: "#/components/schemas/g000001"}          # a use, to restore its text
//
// and `$ref: models/droplet.yml` in resources/droplets/x.yml becomes
// `$ref: "/abs/folder/.hookkit-shared-schemas.yaml#/components/schemas/u000001"`.
// kin-openapi resolves a virtual document's components, in order, the first time a $ref
// leads to it, so each target is decoded once and every use shares its value, which keeps
// the origin (file and line) of the file it was read from. After loading, each use's $ref
// text is put back as it was written (sharing.restore), so messages, discriminators and
// everything else that reads $ref strings see the document as written.
//
// Only $ref strings change, in place, so every line of every file stays where it was.
// What is not sure to be read the same way is left as written: a $ref with sibling keys,
// a remote or absolute one, one into the document itself, a target that cannot be read
// or does not exist (kin-openapi then reports it as before), a target on a cycle of
// targets (see markCycles), a scalar whose text is not where the parser said. A document
// that fails to load this way is loaded again as written, so sharing never changes
// whether a document loads or what its error says.

// sharedKinds are the component sections whose $refs are shared, in the order their
// objects can refer to each other (a response to headers and schemas, never back).
var sharedKinds = []string{"examples", "schemas", "headers", "parameters", "requestBodies", "responses"}

// sharePrefix starts the name of every virtual document. The name goes on with a random
// tag drawn for each load (sharing.tag), so that no document can name a virtual document:
// kin-openapi unescapes a $ref's path before the reader sees it, so a file could
// otherwise write `%2Ehookkit-shared-schemas.yaml`, which no check of the text finds,
// and be served a shared value where it names a file that does not exist.
const sharePrefix = ".hookkit-shared-"

// sharingOn turns the sharing off, for the tests that compare a document loaded both ways.
var sharingOn = true

// shareTarget is one object an external $ref names: a kind and a file#fragment.
type shareTarget struct {
	kind, file, frag string // frag with its '#', "" for a whole file
	ref              string // the $ref naming it from the document's folder
	node             *yaml.Node
	in               *shareFile
	deps             []*shareTarget // the targets its content names, in the order found
	dep              map[*shareTarget]bool
	cyclic           bool // its content leads back to it: not shared (see markCycles)
	index            int  // position in dependency order, 1-based; 0 while unplaced
	uses             []string
}

// shareFile is one file the walk read: its parsed tree and the $ref scalars to rewrite.
type shareFile struct {
	abs   string // absolute slash path
	data  []byte
	root  *yaml.Node
	edits map[*yaml.Node]*shareEdit
	// aliased is set when the file has a YAML alias: its $refs are left as written, as
	// the alias may repeat a rewritten $ref where the walk does not go (an extension, an
	// encoding's headers), and nothing would restore its text there.
	aliased bool
}

// hasAlias reports whether the tree under n holds an alias.
func hasAlias(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	if n.Kind == yaml.AliasNode {
		return true
	}
	return slices.ContainsFunc(n.Content, hasAlias)
}

type shareEdit struct {
	kind   string
	target *shareTarget
	bad    bool // reached as two kinds: left alone
}

// shared reports whether the $ref is rewritten: not for a cyclic target.
func (e *shareEdit) shared() bool { return !e.bad && !e.target.cyclic }

// markCycles marks the targets that lie on a cycle of targets naming each other
// (Tarjan's strongly connected components). Their $refs are left as written:
// kin-openapi detects a cycle at the $ref it meets again and fills that $ref in once
// the value is complete, but through a shared component it would meet the cycle at the
// component's copy, fill in the copy, and leave the $ref without a value.
func (sh *sharing) markCycles() {
	index := map[*shareTarget]int{}
	low := map[*shareTarget]int{}
	onStack := map[*shareTarget]bool{}
	var stack []*shareTarget
	next := 0
	var connect func(t *shareTarget)
	connect = func(t *shareTarget) {
		next++
		index[t], low[t] = next, next
		stack = append(stack, t)
		onStack[t] = true
		for _, d := range t.deps {
			if index[d] == 0 {
				connect(d)
				low[t] = min(low[t], low[d])
			} else if onStack[d] {
				low[t] = min(low[t], index[d])
			}
		}
		if low[t] != index[t] {
			return
		}
		var scc []*shareTarget
		for {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[top] = false
			scc = append(scc, top)
			if top == t {
				break
			}
		}
		if len(scc) > 1 || t.dep[t] {
			for _, c := range scc {
				c.cyclic = true
			}
		}
	}
	for _, t := range sh.order {
		if index[t] == 0 {
			connect(t)
		}
	}
}

// sharing is one load's plan.
type sharing struct {
	in      *refInliner
	rootAbs string
	dir     string         // the document's folder, absolute slash path
	version string         // the document's openapi field, which kin-openapi reads 3.1 rules from
	uses    map[string]int // use components written, per kind
	files   map[string]*shareFile
	targets map[[3]string]*shareTarget
	order   []*shareTarget // creation order
	walked  map[walkKey]bool
	steps   int
	off     bool   // found a reason to load the document as it is
	tag     string // this load's part of the virtual documents' names
	// written maps a use's component ("schemas/u000001") to the $ref text it replaced.
	written map[string]string
	virtual map[string][]byte // virtual documents by absolute slash path
}

// walkKey is one walk of an object: each is walked once per shared target whose content
// it is part of, so every target's dependencies are known (cycles need them all).
type walkKey struct {
	n     *yaml.Node
	kind  string
	owner *shareTarget
}

// maxShareSteps bounds the objects the walk visits, $ref objects included (an object is
// visited once for each shared target it belongs to), and so the memory of its
// bookkeeping and the depth of its recursion; a document that needs more is loaded as it
// is. DigitalOcean's needs 15,235. A variable for the test that runs out of it.
var maxShareSteps = 250_000

// shareExternalRefs plans the sharing for the document data read from source, rewrites
// data and (through in) the files its $refs name, and returns the rewritten data and the
// plan (nil when the document is loaded as it is).
func shareExternalRefs(data []byte, source string, in *refInliner) ([]byte, *sharing) {
	if !sharingOn || in.root == "" || in.dir == "" || !hasExternalRef(data) || bytes.Contains(data, []byte(sharePrefix)) {
		return data, nil
	}
	abs, err := filepath.Abs(source)
	if err != nil {
		return data, nil
	}
	sh := &sharing{in: in, rootAbs: filepath.ToSlash(abs), dir: filepath.ToSlash(filepath.Dir(abs)),
		files: map[string]*shareFile{}, targets: map[[3]string]*shareTarget{}, walked: map[walkKey]bool{},
		written: map[string]string{}, virtual: map[string][]byte{}, uses: map[string]int{}, tag: rand.Text()}
	for _, kind := range sharedKinds {
		if _, err := os.Lstat(filepath.FromSlash(sh.virtualPath(kind))); err == nil {
			return data, nil // a real file holds the name: leave the document alone
		}
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return data, nil
	}
	top := doc.Content[0]
	if v := mappingValue(top, "openapi"); v != nil && v.Kind == yaml.ScalarNode {
		sh.version = v.Value
	}
	rootFile := &shareFile{abs: sh.rootAbs, data: data, root: top, edits: map[*yaml.Node]*shareEdit{}, aliased: hasAlias(top)}
	sh.files[sh.rootAbs] = rootFile
	sh.document(rootFile, top)
	if sh.steps > maxShareSteps {
		return data, nil
	}
	sh.markCycles()
	uses := 0
	for _, f := range sh.files {
		if f == nil {
			continue
		}
		for _, e := range f.edits {
			if e.shared() {
				uses++
			}
		}
	}
	if uses == 0 || sh.off {
		return data, nil
	}
	sh.place()
	for _, abs := range slices.Sorted(maps.Keys(sh.files)) {
		f := sh.files[abs]
		if f == nil {
			continue
		}
		out, ok := sh.rewrite(f)
		if !ok {
			continue
		}
		if f == rootFile {
			data = out
		} else {
			in.replaceLoaded((&url.URL{Path: f.abs}).String(), out)
		}
	}
	sh.writeVirtual()
	in.setVirtual(sh.virtual)
	return data, sh
}

func (sh *sharing) virtualPath(kind string) string {
	return path.Join(sh.dir, sharePrefix+sh.tag+"-"+kind+".yaml")
}

// document walks the top level of the entry document.
func (sh *sharing) document(f *shareFile, top *yaml.Node) {
	for _, section := range []string{"paths", "webhooks"} {
		if items := mappingValue(top, section); items != nil && items.Kind == yaml.MappingNode {
			for i := 1; i < len(items.Content); i += 2 {
				if section == "paths" && strings.HasPrefix(items.Content[i-1].Value, "x-") {
					continue // an extension of the paths, kept as written by kin-openapi
				}
				sh.pathItem(f, items.Content[i], nil)
			}
		}
	}
	components := mappingValue(top, "components")
	if components == nil || components.Kind != yaml.MappingNode {
		return
	}
	for _, kind := range append(slices.Clone(sharedKinds), "callbacks") {
		if entries := mappingValue(components, kind); entries != nil && entries.Kind == yaml.MappingNode {
			for i := 1; i < len(entries.Content); i += 2 {
				sh.object(f, entries.Content[i], kind, nil)
			}
		}
	}
}

// object walks n, an object of the given kind (a components section's name) or a $ref
// to one, in file f; owner is the shared target whose content this is (nil at the top).
func (sh *sharing) object(f *shareFile, n *yaml.Node, kind string, owner *shareTarget) {
	n = unalias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	// Every mapping, a $ref one too, is walked once per kind and owner: $refs that are
	// not shared (with siblings, into the document, to a path item) are followed
	// through, and a cycle of them would otherwise recurse until the stack overflows.
	key := walkKey{n, kind, owner}
	if sh.walked[key] {
		return // walked already for this owner (from another $ref, or an alias)
	}
	sh.walked[key] = true
	if sh.steps++; sh.steps > maxShareSteps {
		return // shareExternalRefs gives up on this document
	}
	if ref := mappingValue(n, "$ref"); ref != nil {
		sh.ref(f, n, ref, kind, owner)
		return
	}
	switch kind {
	case "schemas":
		sh.schema(f, n, owner)
	case "parameters", "headers":
		sh.content(f, n, owner)
		sh.object(f, mappingValue(n, "schema"), "schemas", owner)
		sh.each(f, mappingValue(n, "examples"), "examples", owner)
	case "requestBodies":
		sh.content(f, n, owner)
	case "responses":
		sh.each(f, mappingValue(n, "headers"), "headers", owner)
		sh.content(f, n, owner)
	case "callbacks":
		if m := unalias(n); m != nil && m.Kind == yaml.MappingNode {
			for i := 1; i < len(m.Content); i += 2 {
				if !strings.HasPrefix(m.Content[i-1].Value, "x-") {
					sh.pathItem(f, m.Content[i], owner)
				}
			}
		}
	case "pathItems":
		sh.pathItemBody(f, n, owner)
	}
}

func (sh *sharing) pathItem(f *shareFile, n *yaml.Node, owner *shareTarget) {
	sh.object(f, n, "pathItems", owner)
}

func (sh *sharing) pathItemBody(f *shareFile, n *yaml.Node, owner *shareTarget) {
	sh.list(f, mappingValue(n, "parameters"), "parameters", owner)
	for i := 1; i < len(n.Content); i += 2 {
		if operationMethods[n.Content[i-1].Value] {
			if op := unalias(n.Content[i]); op != nil && op.Kind == yaml.MappingNode {
				sh.list(f, mappingValue(op, "parameters"), "parameters", owner)
				sh.object(f, mappingValue(op, "requestBody"), "requestBodies", owner)
				if rs := unalias(mappingValue(op, "responses")); rs != nil && rs.Kind == yaml.MappingNode {
					for j := 1; j < len(rs.Content); j += 2 {
						if !strings.HasPrefix(rs.Content[j-1].Value, "x-") {
							sh.object(f, rs.Content[j], "responses", owner)
						}
					}
				}
				sh.each(f, mappingValue(op, "callbacks"), "callbacks", owner)
			}
		}
	}
}

func (sh *sharing) mediaType(f *shareFile, n *yaml.Node, owner *shareTarget) {
	n = unalias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	sh.object(f, mappingValue(n, "schema"), "schemas", owner)
	sh.object(f, mappingValue(n, "itemSchema"), "schemas", owner)
	sh.each(f, mappingValue(n, "examples"), "examples", owner)
}

// schemaOne and schemaMaps are the keywords whose value is a schema, or a mapping of
// schemas, that kin-openapi resolves.
var (
	schemaOne   = []string{"items", "additionalProperties", "not", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "if", "then", "else", "contentSchema"}
	schemaLists = []string{"allOf", "anyOf", "oneOf", "prefixItems"}
	schemaMaps  = []string{"properties", "patternProperties", "dependentSchemas", "$defs"}
)

func (sh *sharing) schema(f *shareFile, n *yaml.Node, owner *shareTarget) {
	// kin-openapi resolves a discriminator's mapping values that are $refs as schemas;
	// they are plain strings, never rewritten, but what they name is walked.
	if m := unalias(mappingValue(unalias(mappingValue(n, "discriminator")), "mapping")); m != nil && m.Kind == yaml.MappingNode {
		for i := 1; i < len(m.Content); i += 2 {
			if v := m.Content[i]; v.Kind == yaml.ScalarNode && strings.Contains(v.Value, "/") {
				sh.ref(f, nil, v, "schemas", owner)
			}
		}
	}
	for _, k := range schemaOne {
		sh.object(f, mappingValue(n, k), "schemas", owner)
	}
	for _, k := range schemaLists {
		sh.list(f, mappingValue(n, k), "schemas", owner)
	}
	for _, k := range schemaMaps {
		sh.each(f, mappingValue(n, k), "schemas", owner)
	}
}

// each walks the values of a mapping of objects of one kind.
func (sh *sharing) each(f *shareFile, m *yaml.Node, kind string, owner *shareTarget) {
	if m = unalias(m); m == nil || m.Kind != yaml.MappingNode {
		return
	}
	for i := 1; i < len(m.Content); i += 2 {
		sh.object(f, m.Content[i], kind, owner)
	}
}

// list walks a sequence of objects of one kind.
func (sh *sharing) list(f *shareFile, s *yaml.Node, kind string, owner *shareTarget) {
	if s = unalias(s); s == nil || s.Kind != yaml.SequenceNode {
		return
	}
	for _, n := range s.Content {
		sh.object(f, n, kind, owner)
	}
}

// content walks the media types of n's content.
func (sh *sharing) content(f *shareFile, n *yaml.Node, owner *shareTarget) {
	if m := unalias(mappingValue(n, "content")); m != nil && m.Kind == yaml.MappingNode {
		for i := 1; i < len(m.Content); i += 2 {
			sh.mediaType(f, m.Content[i], owner)
		}
	}
}

// ref handles a $ref of the given kind written in file f (the mapping m holding it, nil
// for a string that is not a $ref object): an external one to a file or a fragment of
// one becomes a use of a shared target, whose content is walked in turn.
func (sh *sharing) ref(f *shareFile, m, ref *yaml.Node, kind string, owner *shareTarget) {
	if ref.Kind != yaml.ScalarNode {
		return
	}
	if strings.Contains(ref.Value, sharePrefix) {
		sh.off = true // a file names the virtual documents' names itself: leave it all alone
		return
	}
	file, frag, hasFrag := strings.Cut(ref.Value, "#")
	if hasFrag {
		frag = "#" + frag
	}
	target := f.abs
	if file != "" {
		u, err := url.Parse(file)
		if err != nil || u.Scheme != "" || u.Host != "" || u.RawQuery != "" || path.IsAbs(u.Path) {
			return // remote or absolute: left to kin-openapi
		}
		target = path.Join(path.Dir(f.abs), u.Path)
	}
	tf := sh.file(target)
	if tf == nil {
		return // kin-openapi reports what is wrong with it
	}
	n, err := pointerNode(tf.root, strings.TrimPrefix(frag, "#"))
	if err != nil {
		return
	}
	if target == sh.rootAbs && !decodedPlace(frag) {
		// A place of the document kin-openapi decodes as an extension too (3.1's
		// components.pathItems, an x- section): a $ref rewritten there would keep the
		// virtual document's name in that extension, where restore does not go.
		return
	}
	kindShared := kind != "pathItems" && kind != "callbacks"
	pure := m != nil && len(m.Content) == 2
	if target == sh.rootAbs || !kindShared || !pure {
		// Not shared itself (the document's own objects are shared by kin-openapi
		// already, a path item is copied by it anyway, siblings would apply to a shared
		// value), but what it names is walked, so its own $refs are and a cycle through
		// it is seen.
		sh.object(tf, n, kind, owner)
		return
	}
	key := [3]string{kind, target, frag}
	t := sh.targets[key]
	if t == nil {
		rel, err := filepath.Rel(filepath.FromSlash(sh.dir), filepath.FromSlash(target))
		if err != nil {
			return
		}
		t = &shareTarget{kind: kind, file: target, frag: frag, ref: filepath.ToSlash(rel) + frag, node: n, in: tf}
		sh.targets[key] = t
		sh.order = append(sh.order, t)
		sh.object(tf, n, kind, t)
	}
	if owner != nil && !owner.dep[t] {
		if owner.dep == nil {
			owner.dep = map[*shareTarget]bool{}
		}
		owner.dep[t] = true
		owner.deps = append(owner.deps, t)
	}
	if e, ok := f.edits[ref]; ok {
		if e.kind != kind || e.target != t {
			e.bad = true
		}
		return
	}
	f.edits[ref] = &shareEdit{kind: kind, target: t}
}

// decodedPlace reports whether a fragment of the document names a place kin-openapi
// decodes only as the object it is (a path, a webhook, a component of a kind the walk
// knows), which restore walks.
func decodedPlace(frag string) bool {
	if strings.HasPrefix(frag, "#/paths/") && !strings.HasPrefix(frag, "#/paths/x-") || strings.HasPrefix(frag, "#/webhooks/") {
		return true
	}
	for _, kind := range append(slices.Clone(sharedKinds), "callbacks") {
		if strings.HasPrefix(frag, "#/components/"+kind+"/") {
			return true
		}
	}
	return false
}

// file returns the parsed file at abs, read the way kin-openapi will read it (through
// the inliner's reader), or nil when it cannot be.
func (sh *sharing) file(abs string) *shareFile {
	if f, ok := sh.files[abs]; ok {
		return f
	}
	sh.files[abs] = nil
	loc := &url.URL{Path: abs}
	b, err := sh.in.reader(nil, loc)
	if err != nil {
		return nil
	}
	root := sh.in.tree(loc.String())
	if root == nil {
		var doc yaml.Node
		if yaml.Unmarshal(b, &doc) != nil || len(doc.Content) != 1 {
			return nil
		}
		root = doc.Content[0]
	}
	f := &shareFile{abs: abs, data: b, root: root, edits: map[*yaml.Node]*shareEdit{}, aliased: hasAlias(root)}
	sh.files[abs] = f
	return f
}

// place numbers the targets of each kind so that a target comes after those its content
// names (depth first, in the order they were found; a cycle keeps the first order
// reached), which is the order kin-openapi then resolves them in: every $ref inside a
// target finds the value it names already decoded.
func (sh *sharing) place() {
	next := map[string]int{}
	state := map[*shareTarget]int{} // 1 visiting, 2 done
	var visit func(t *shareTarget)
	visit = func(t *shareTarget) {
		if state[t] != 0 {
			return
		}
		state[t] = 1
		for _, d := range t.deps {
			visit(d)
		}
		state[t] = 2
		next[t.kind]++
		t.index = next[t.kind]
	}
	for _, t := range sh.order {
		visit(t)
	}
}

func targetName(index int) string { return fmt.Sprintf("g%06d", index) }

// rewrite applies f's edits: each $ref scalar becomes a $ref to a use component of its
// kind's virtual document. false when nothing changed.
func (sh *sharing) rewrite(f *shareFile) ([]byte, bool) {
	if len(f.edits) == 0 || f.aliased {
		return nil, false
	}
	lines := bytes.SplitAfter(f.data, []byte("\n"))
	byLine := map[int][]*yaml.Node{}
	for n, e := range f.edits {
		if e.shared() && n.Line >= 1 && n.Line <= len(lines) {
			byLine[n.Line] = append(byLine[n.Line], n)
		}
	}
	changed := false
	for _, ln := range slices.Sorted(maps.Keys(byLine)) {
		nodes := byLine[ln]
		slices.SortFunc(nodes, func(a, b *yaml.Node) int { return b.Column - a.Column }) // right to left
		line := string(lines[ln-1])
		for _, n := range nodes {
			e := f.edits[n]
			sh.uses[e.kind]++
			name := fmt.Sprintf("u%06d", sh.uses[e.kind])
			to := sh.virtualRef(e.kind, name)
			out, ok := replaceScalar(line, n.Column, n.Value, to)
			if !ok {
				continue
			}
			line = out
			e.target.uses = append(e.target.uses, name)
			sh.written[e.kind+"/"+name] = n.Value
			changed = true
		}
		lines[ln-1] = []byte(line)
	}
	return bytes.Join(lines, nil), changed
}

// virtualRef is the $ref to a use component of the virtual document of kind. It is an
// absolute path, which names the same file from anywhere: kin-openapi resolves the $refs
// inside a value it has just resolved against the file that named it, not the file they
// are written in, where a cycle leaves one of them unresolved.
func (sh *sharing) virtualRef(kind, name string) string {
	return (&url.URL{Path: sh.virtualPath(kind)}).EscapedPath() + "#/components/" + kind + "/" + name
}

// replaceScalar replaces, in line, the scalar old that starts at the 1-based rune column
// col (plain, single- or double-quoted) by new, double-quoted; false when the text there
// is not old.
func replaceScalar(line string, col int, old, new string) (string, bool) {
	at := runeOffset(line, col-1)
	if at < 0 {
		return "", false
	}
	rest := line[at:]
	for _, text := range []string{`"` + old + `"`, `'` + strings.ReplaceAll(old, "'", "''") + `'`, old} {
		if strings.HasPrefix(rest, text) {
			if text == old && strings.ContainsAny(old, `"'\`) {
				break
			}
			return line[:at] + strconv.Quote(new) + rest[len(text):], true
		}
	}
	return "", false
}

// writeVirtual writes the virtual documents: per kind, its targets in order, then its
// uses, each an alias of its target.
func (sh *sharing) writeVirtual() {
	byKind := map[string][]*shareTarget{}
	for _, t := range sh.order {
		if !t.cyclic {
			byKind[t.kind] = append(byKind[t.kind], t)
		}
	}
	for kind, ts := range byKind {
		slices.SortFunc(ts, func(a, b *shareTarget) int { return a.index - b.index })
		var b bytes.Buffer
		if sh.version != "" {
			fmt.Fprintf(&b, "openapi: %s\n", strconv.Quote(sh.version))
		}
		b.WriteString("components:\n  " + kind + ":\n")
		for _, t := range ts {
			fmt.Fprintf(&b, "    %s: {$ref: %s}\n", targetName(t.index), strconv.Quote(t.ref))
		}
		for _, t := range ts {
			for _, u := range t.uses {
				fmt.Fprintf(&b, "    %s: {$ref: \"#/components/%s/%s\"}\n", u, kind, targetName(t.index))
			}
		}
		sh.virtual[sh.virtualPath(kind)] = b.Bytes()
	}
}

func unalias(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// restore puts back, in the loaded document, the $ref text of every use shareExternalRefs
// rewrote, so the model reads as the document was written. It walks what the rewrite
// walked, on kin-openapi's model; each object once.
func (sh *sharing) restore(t *openapi3.T) {
	if sh == nil {
		return
	}
	r := restorer{sh: sh, seen: map[any]bool{}}
	if c := t.Components; c != nil {
		for _, s := range c.Schemas {
			r.schema(s)
		}
		for _, p := range c.Parameters {
			r.parameter(p)
		}
		for _, h := range c.Headers {
			r.header(h)
		}
		for _, b := range c.RequestBodies {
			r.requestBody(b)
		}
		for _, resp := range c.Responses {
			r.response(resp)
		}
		for _, e := range c.Examples {
			r.example(e)
		}
		for _, cb := range c.Callbacks {
			r.callback(cb)
		}
	}
	if t.Paths != nil {
		for _, item := range t.Paths.Map() {
			r.pathItem(item)
		}
	}
	for _, item := range t.Webhooks {
		r.pathItem(item)
	}
}

type restorer struct {
	sh   *sharing
	seen map[any]bool
}

// fix puts back one $ref text of the given kind.
func (r *restorer) fix(ref *string) {
	if !strings.Contains(*ref, sharePrefix) {
		return
	}
	_, name, ok := strings.Cut(*ref, "#/components/")
	if !ok {
		return
	}
	if old, ok := r.sh.written[name]; ok {
		*ref = old
	}
}

// first reports whether v is met for the first time.
func (r *restorer) first(v any) bool {
	if r.seen[v] {
		return false
	}
	r.seen[v] = true
	return true
}

func (r *restorer) schema(s *openapi3.SchemaRef) {
	if s == nil {
		return
	}
	r.fix(&s.Ref)
	v := s.Value
	if v == nil || !r.first(v) {
		return
	}
	for _, one := range []*openapi3.SchemaRef{v.Items, v.AdditionalProperties.Schema, v.Not, v.Contains, v.PropertyNames,
		v.UnevaluatedItems.Schema, v.UnevaluatedProperties.Schema, v.If, v.Then, v.Else, v.ContentSchema} {
		r.schema(one)
	}
	for _, list := range []openapi3.SchemaRefs{v.AllOf, v.AnyOf, v.OneOf, v.PrefixItems} {
		for _, s := range list {
			r.schema(s)
		}
	}
	for _, m := range []openapi3.Schemas{v.Properties, v.PatternProperties, v.DependentSchemas, v.Defs} {
		for _, s := range m {
			r.schema(s)
		}
	}
}

func (r *restorer) parameter(p *openapi3.ParameterRef) {
	if p == nil {
		return
	}
	r.fix(&p.Ref)
	if p.Value != nil && r.first(p.Value) {
		r.param(p.Value)
	}
}

func (r *restorer) header(h *openapi3.HeaderRef) {
	if h == nil {
		return
	}
	r.fix(&h.Ref)
	if h.Value != nil && r.first(h.Value) {
		r.param(&h.Value.Parameter)
	}
}

func (r *restorer) param(p *openapi3.Parameter) {
	r.schema(p.Schema)
	r.content(p.Content)
	for _, e := range p.Examples {
		r.example(e)
	}
}

func (r *restorer) requestBody(b *openapi3.RequestBodyRef) {
	if b == nil {
		return
	}
	r.fix(&b.Ref)
	if b.Value != nil && r.first(b.Value) {
		r.content(b.Value.Content)
	}
}

func (r *restorer) response(resp *openapi3.ResponseRef) {
	if resp == nil {
		return
	}
	r.fix(&resp.Ref)
	if v := resp.Value; v != nil && r.first(v) {
		for _, h := range v.Headers {
			r.header(h)
		}
		r.content(v.Content)
	}
}

func (r *restorer) content(c openapi3.Content) {
	for _, mt := range c {
		if mt != nil && r.first(mt) {
			r.schema(mt.Schema)
			r.schema(mt.ItemSchema)
			for _, e := range mt.Examples {
				r.example(e)
			}
		}
	}
}

func (r *restorer) example(e *openapi3.ExampleRef) {
	if e != nil {
		r.fix(&e.Ref)
	}
}

func (r *restorer) callback(cb *openapi3.CallbackRef) {
	if cb == nil || cb.Value == nil || !r.first(cb.Value) {
		return
	}
	for _, item := range cb.Value.Map() {
		r.pathItem(item)
	}
}

func (r *restorer) pathItem(item *openapi3.PathItem) {
	if item == nil || !r.first(item) {
		return
	}
	for _, p := range item.Parameters {
		r.parameter(p)
	}
	for _, op := range item.Operations() {
		for _, p := range op.Parameters {
			r.parameter(p)
		}
		r.requestBody(op.RequestBody)
		if op.Responses != nil {
			for _, resp := range op.Responses.Map() {
				r.response(resp)
			}
		}
		for _, cb := range op.Callbacks {
			r.callback(cb)
		}
	}
}
