package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

var operationMethods = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true,
	"options": true, "head": true, "patch": true, "trace": true,
}

// inlineOperationRefs replaces each operation given as a mapping holding only a $ref
// (DigitalOcean's `get: {$ref: 'resources/x/x_list.yml'}`, which OpenAPI does not allow
// and kin-openapi ignores, leaving the operation without responses) by the operation the
// $ref names, under paths and webhooks. The file is read with refReader's hermetic rules
// (a local file inside the document's folder tree, a regular file under
// MaxDocumentBytes; http(s) only with AllowRemoteRefs); at most MaxDocumentBytes are
// inlined in all. Every $ref inside the inlined operation is rebased so that it still
// names the same thing from the main document: a relative file joined with the included
// file's folder, a local "#/..." prefixed with the included file. The operation is
// written as one line of JSON in place of the $ref mapping, so every line number of the
// main document stays where it was; problems inside an inlined operation are reported at
// its $ref line. Each replacement is an operation-ref warning at the method's line. A
// $ref that cannot be inlined is a load error naming the line.
func inlineOperationRefs(data []byte, source string, opts LoadOptions) ([]byte, []Warning, error) {
	if !refUnderKey(data, "get", "put", "post", "delete", "options", "head", "patch", "trace") {
		return data, nil, nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return data, nil, nil // kin-openapi reports the syntax error
	}
	type found struct {
		where     string // "GET /path" or "GET webhook name"
		key, m, r *yaml.Node
	}
	var targets []found
	for _, section := range []string{"paths", "webhooks"} {
		items := mappingValue(doc.Content[0], section)
		if items == nil || items.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(items.Content); i += 2 {
			name, item := items.Content[i].Value, items.Content[i+1]
			if item.Kind != yaml.MappingNode {
				continue
			}
			if section == "webhooks" {
				name = "webhook " + name
			}
			for j := 0; j+1 < len(item.Content); j += 2 {
				k, v := item.Content[j], item.Content[j+1]
				if operationMethods[k.Value] && v.Kind == yaml.MappingNode && len(v.Content) == 2 &&
					v.Content[0].Value == "$ref" && v.Content[1].Kind == yaml.ScalarNode {
					targets = append(targets, found{strings.ToUpper(k.Value) + " " + name, k, v, v.Content[1]})
				}
			}
		}
	}
	if len(targets) == 0 {
		return data, nil, nil
	}
	read := refFileReader(source, opts)
	files := map[string]*yaml.Node{}
	inlined := 0
	lines := bytes.SplitAfter(data, []byte("\n"))
	byLine := map[int][]span{}
	var warns []Warning
	fail := func(f found, err error) ([]byte, []Warning, error) {
		return nil, nil, &LoadError{File: source, Line: f.key.Line, Column: f.key.Column, Code: CodeInvalid,
			Err: fmt.Errorf("operation %s is a $ref that cannot be inlined: %w", f.where, err)}
	}
	for _, f := range targets {
		if f.m.Line != f.r.Line || f.m.Line < 1 || f.m.Line > len(lines) {
			continue // spread over several lines: left alone
		}
		ref := f.r.Value
		file, frag, _ := strings.Cut(ref, "#")
		loc, err := url.Parse(file)
		if err != nil || file == "" {
			return fail(f, fmt.Errorf("$ref %q does not name a file", ref))
		}
		root, ok := files[file]
		if !ok {
			_, tree, err := read(loc)
			if err != nil {
				return fail(f, err)
			}
			root = tree
			files[file] = root
		}
		op, err := pointerNode(root, frag)
		if err != nil || op.Kind != yaml.MappingNode {
			return fail(f, fmt.Errorf("$ref %s: #%s does not name an operation object in the file", redactURL(loc), frag))
		}
		var out bytes.Buffer
		budget := MaxDocumentBytes - inlined
		if err := writeRebasedJSON(&out, op, loc, file, budget, false, false); err != nil {
			return fail(f, fmt.Errorf("$ref %s: %w", redactURL(loc), err))
		}
		inlined += out.Len()
		byLine[f.m.Line] = append(byLine[f.m.Line], span{col: f.m.Column - 1, end: refEnd(f.m, f.r), with: out.String()})
		warns = append(warns, Warning{Kind: OperationRef, Line: f.key.Line, Message: fmt.Sprintf(
			"operation %s is a $ref (%s), which OpenAPI does not allow on an operation; the operation it names is inlined (problems inside it are reported at this line)",
			f.where, redactURL(loc)+hashIf(frag))})
	}
	for ln, es := range byLine {
		line, ok := replaceSpans(string(lines[ln-1]), es)
		if !ok {
			return nil, nil, &LoadError{File: source, Line: ln, Code: CodeInvalid,
				Err: errors.New("an operation $ref on this line is written in a way hookkit cannot inline")}
		}
		lines[ln-1] = []byte(line)
	}
	sort.SliceStable(warns, func(i, j int) bool { return warns[i].Line < warns[j].Line })
	return bytes.Join(lines, nil), warns, nil
}

func hashIf(frag string) string {
	if frag == "" {
		return ""
	}
	return "#" + frag
}

// pointerNode follows a JSON pointer (a $ref's fragment, "" for the whole file) in a
// YAML node tree.
func pointerNode(n *yaml.Node, frag string) (*yaml.Node, error) {
	if frag == "" {
		return n, nil
	}
	if p, err := url.PathUnescape(frag); err == nil {
		frag = p
	}
	if !strings.HasPrefix(frag, "/") {
		return nil, errors.New("not a JSON pointer")
	}
	for _, tok := range strings.Split(frag[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		for n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			next = mappingValue(n, tok)
		case yaml.SequenceNode:
			var i int
			if _, err := fmt.Sscanf(tok, "%d", &i); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
			}
		}
		if next == nil {
			return nil, errors.New("no such element")
		}
		n = next
	}
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n, nil
}

// rebaseRef rewrites a $ref found in the file at loc (named file, relative to the main
// document) so that it names the same target from the main document.
func rebaseRef(ref string, loc *url.URL, file string) string {
	p, frag, hasFrag := strings.Cut(ref, "#")
	if hasFrag {
		frag = "#" + frag
	}
	switch {
	case p == "":
		return file + frag // the included file itself
	case loc.Scheme != "" && loc.Scheme != "file":
		u, err := url.Parse(p)
		if err != nil {
			return ref
		}
		return loc.ResolveReference(u).String() + frag
	}
	if u, err := url.Parse(p); err != nil || u.Scheme != "" || u.Host != "" || path.IsAbs(p) {
		return ref // absolute: the same from anywhere
	}
	return path.Join(path.Dir(loc.Path), p) + frag
}

var errInlineBudget = fmt.Errorf("over the limit of %d bytes inlined per document", MaxDocumentBytes)

// writeRebasedJSON writes n as one line of JSON (which YAML reads too), every $ref
// string rebased with rebaseRef except in data (examples, defaults, enums, extensions),
// failing once more than budget bytes are written (aliases can multiply a small file).
//
// names says n's keys are names (of responses, properties, media types...), where
// "default" or "example" is a name, not data.
func writeRebasedJSON(b *bytes.Buffer, n *yaml.Node, loc *url.URL, file string, budget int, data, names bool) error {
	if b.Len() > budget {
		return errInlineBudget
	}
	switch n.Kind {
	case yaml.AliasNode:
		return writeRebasedJSON(b, n.Alias, loc, file, budget, data, names)
	case yaml.DocumentNode:
		if len(n.Content) == 1 {
			return writeRebasedJSON(b, n.Content[0], loc, file, budget, data, names)
		}
		b.WriteString("null")
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeRebasedJSON(b, c, loc, file, budget, data, false); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, k.Value)
			b.WriteByte(':')
			// A $ref where a mapping of names is due (properties: {$ref: x}, which
			// inlinePropertiesRefs inlines later) is rebased like any other.
			if !data && (!names || len(n.Content) == 2) && k.Value == "$ref" && v.Kind == yaml.ScalarNode {
				writeJSONString(b, rebaseRef(v.Value, loc, file))
				continue
			}
			if !data && !names && k.Value == "mapping" && v.Kind == yaml.MappingNode {
				writeDiscriminatorMapping(b, v, loc, file)
				continue
			}
			inData, inNames := data, false
			if !data && !names {
				inData = dataKeys[k.Value] && (k.Value != "examples" || v.Kind != yaml.MappingNode) || strings.HasPrefix(k.Value, "x-")
				inNames = nameMapKeys[k.Value]
			}
			if err := writeRebasedJSON(b, v, loc, file, budget, inData, inNames); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		writeJSONScalar(b, n)
	}
	if b.Len() > budget {
		return errInlineBudget
	}
	return nil
}

// writeDiscriminatorMapping writes a discriminator's mapping, its values rebased when
// they are references (hold a "#" or a "/") rather than schema names.
func writeDiscriminatorMapping(b *bytes.Buffer, m *yaml.Node, loc *url.URL, file string) {
	b.WriteByte('{')
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(b, k.Value)
		b.WriteByte(':')
		if v.Kind == yaml.ScalarNode && strings.ContainsAny(v.Value, "#/") {
			writeJSONString(b, rebaseRef(v.Value, loc, file))
		} else {
			writeJSONScalar(b, v)
		}
	}
	b.WriteByte('}')
}

// writeJSONScalar writes a YAML scalar as the JSON value YAML gives it: numbers, booleans
// and null as such, anything else (strings, timestamps, binary) as a string.
func writeJSONScalar(b *bytes.Buffer, n *yaml.Node) {
	switch n.ShortTag() {
	case "!!int", "!!float", "!!bool", "!!null":
		var v any
		if n.Decode(&v) == nil {
			if j, err := json.Marshal(v); err == nil {
				b.Write(j)
				return
			}
		}
	}
	writeJSONString(b, n.Value)
}

// writeJSONString writes s as a JSON string on one line (json.Marshal escapes control
// characters and U+2028/U+2029, and YAML's double-quoted scalars read its escapes).
func writeJSONString(b *bytes.Buffer, s string) {
	j, _ := json.Marshal(strings.ToValidUTF8(s, "\uFFFD"))
	b.Write(j)
}
