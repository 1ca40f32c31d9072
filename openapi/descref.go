package openapi

import (
	"bytes"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// nameMapKeys are the keys whose value is a map from names to objects (schema properties,
// components, paths, responses, media types...): a "description" key there names a
// property or a component, not a text, and is never rewritten.
var nameMapKeys = map[string]bool{
	"properties": true, "patternProperties": true, "$defs": true, "definitions": true,
	"dependentSchemas": true, "schemas": true, "responses": true, "parameters": true,
	"examples": true, "requestBodies": true, "headers": true, "securitySchemes": true,
	"links": true, "callbacks": true, "pathItems": true, "content": true, "encoding": true,
	"variables": true, "paths": true, "webhooks": true, "mapping": true, "scopes": true,
}

// dataKeys hold example or schema data, where a "description" key is the user's data
// (examples only as a 3.1 schema's array: as a mapping it names Example objects).
var dataKeys = map[string]bool{"example": true, "examples": true, "value": true, "default": true, "enum": true, "const": true}

// inlineDescriptionRefs replaces each description or summary whose value is a mapping
// holding only a $ref (DigitalOcean's `description: {$ref: 'resources/x.md'}`, which
// kin-openapi cannot unmarshal into a string) by a string: the text of the file it names,
// or of the scalar its fragment names in that YAML or JSON file (`description.yml
// #/introduction`) or in this document (`#/x-texts/intro`), when that is a local file
// readLocalRef accepts (inside the document's folder tree, a
// regular file under MaxDocumentBytes; at most MaxDocumentBytes inlined in all), else "".
// Each replacement is a description-ref warning at the key's line. Like collapseRefChains
// it edits the text in place, each replacement on the line it replaces, so every line
// number stays where it was; a construct spread over several lines is left alone (and
// kin-openapi reports it as before).
func inlineDescriptionRefs(data []byte, source string) ([]byte, []Warning) {
	if !refUnderKey(data, "description", "summary") {
		return data, nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) != 1 {
		return data, nil // kin-openapi reports the syntax error
	}
	targets := keywordRefs(doc.Content[0], map[string]bool{"description": true, "summary": true})
	if len(targets) == 0 {
		return data, nil
	}
	root := documentRoot(source)
	texts := map[string]string{}
	parsed := map[string]*yaml.Node{}
	type read struct {
		b   []byte
		err error
	}
	files := map[string]read{}
	inlined := 0
	lines := bytes.SplitAfter(data, []byte("\n"))
	type edit struct {
		span
		warn Warning
	}
	byLine := map[int][]edit{}
	for _, f := range targets {
		if f.m.Line != f.ref.Line || f.m.Line < 1 || f.m.Line > len(lines) {
			continue
		}
		text, why := "", ""
		loc, err := url.Parse(f.ref.Value)
		switch {
		case err != nil:
			why = "not a URL"
		case loc.Scheme != "" && loc.Scheme != "file":
			why = "only local files are inlined"
		case loc.Path == "" && loc.Fragment == "":
			why = "it names no file"
		default:
			key := loc.Path + "#" + loc.Fragment
			if t, ok := texts[key]; ok {
				text = t
				break
			}
			var t string
			switch {
			case loc.Path == "":
				// A fragment of this document (description: {$ref: '#/x-texts/intro'}).
				t, why = fragmentText(doc.Content[0], loc.Fragment)
			default:
				// Each file is read once, however many of its fragments are named: a
				// document naming thousands of texts in one large file read it again for
				// each (3,000 fragments of a 17 MB file took minutes).
				r, ok := files[loc.Path]
				if !ok {
					r.b, r.err = readLocalRef(root, loc)
					files[loc.Path] = r
				}
				b, err := r.b, r.err
				if err != nil {
					why = err.Error()
					break
				}
				if loc.Fragment == "" {
					t = string(b)
				} else {
					// A text inside a YAML or JSON file (DigitalOcean's description.yml
					// #/introduction), parsed once per file.
					node, ok := parsed[loc.Path]
					if !ok {
						var f yaml.Node
						if yaml.Unmarshal(b, &f) == nil && len(f.Content) == 1 {
							node = f.Content[0]
						}
						parsed[loc.Path] = node
					}
					if node == nil {
						t, why = "", "the file is not YAML or JSON"
					} else {
						t, why = fragmentText(node, loc.Fragment)
					}
				}
			}
			switch {
			case why != "":
			case inlined+len(t) > MaxDocumentBytes:
				why = fmt.Sprintf("over the limit of %d bytes inlined per document", MaxDocumentBytes)
			default:
				inlined += len(t)
				text = strings.ToValidUTF8(t, "\uFFFD")
				texts[key] = text
			}
		}
		msg := fmt.Sprintf("%s is a $ref (%s) where OpenAPI wants a string; ", f.key.Value, redactURL(orEmptyURL(loc)))
		if why == "" && loc.Fragment != "" {
			msg += "the text it names is used instead"
		} else if why == "" {
			msg += "the file's text is used instead"
		} else {
			msg += "an empty " + f.key.Value + " is used instead (" + why + ")"
		}
		byLine[f.m.Line] = append(byLine[f.m.Line], edit{span: span{col: f.m.Column - 1, end: refEnd(f.m, f.ref), with: quoteYAML(text)},
			warn: Warning{Kind: DescriptionRef, Line: f.key.Line, Message: msg}})
	}
	var warns []Warning
	for ln, es := range byLine {
		spans := make([]span, len(es))
		for i, e := range es {
			spans[i] = e.span
		}
		if line, ok := replaceSpans(string(lines[ln-1]), spans); ok {
			lines[ln-1] = []byte(line)
			for _, e := range es {
				warns = append(warns, e.warn)
			}
		}
	}
	if len(warns) == 0 {
		return data, nil
	}
	sort.SliceStable(warns, func(i, j int) bool { return warns[i].Line < warns[j].Line })
	return bytes.Join(lines, nil), warns
}

// fragmentText is the text a JSON pointer (a $ref's fragment, "/introduction") names in
// a parsed YAML or JSON file: a scalar; why says what is wrong otherwise.
func fragmentText(root *yaml.Node, fragment string) (text, why string) {
	if !strings.HasPrefix(fragment, "/") {
		return "", fmt.Sprintf("#%s is not a JSON pointer", fragment)
	}
	n := root
	for _, tok := range strings.Split(fragment[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == tok {
					next = n.Content[i+1]
					break
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
			}
		}
		if next == nil {
			return "", fmt.Sprintf("no #%s in it", fragment)
		}
		n = next
	}
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", fmt.Sprintf("#%s is not a text", fragment)
	}
	return n.Value, ""
}

// keywordRef is a keyword whose value is a mapping holding only a $ref (key, the
// mapping m and the $ref's value ref).
type keywordRef struct{ key, m, ref *yaml.Node }

// keywordRefs finds the given keywords whose value is a mapping holding only a $ref
// (description: {$ref: x}, properties: {$ref: x}), where they are OpenAPI's keywords: not
// names of properties, components or media types, not inside examples, defaults, enums or
// extensions.
func keywordRefs(root *yaml.Node, keys map[string]bool) []keywordRef {
	var out []keywordRef
	var walk func(n *yaml.Node, names bool)
	walk = func(n *yaml.Node, names bool) {
		switch n.Kind {
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, false)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if names {
					walk(v, false)
					continue
				}
				if keys[k.Value] && v.Kind == yaml.MappingNode && len(v.Content) == 2 &&
					v.Content[0].Value == "$ref" && v.Content[1].Kind == yaml.ScalarNode {
					out = append(out, keywordRef{k, v, v.Content[1]})
					continue
				}
				if dataKeys[k.Value] && (k.Value != "examples" || v.Kind != yaml.MappingNode) || strings.HasPrefix(k.Value, "x-") {
					continue // data (examples as a 3.1 schema's array, defaults, enums, extensions)
				}
				walk(v, nameMapKeys[k.Value])
			}
		}
	}
	walk(root, false)
	return out
}

// span is one {$ref: x} mapping written on one line, to be replaced by with.
type span struct {
	col  int    // 0-based rune column where the mapping starts
	end  string // refEnd's marker
	with string // the replacement text
}

// replaceSpans replaces the spans of one line, right to left so the columns hold; false
// when a span's text is not what the parser described (the line is then left alone).
func replaceSpans(line string, spans []span) (string, bool) {
	sort.Slice(spans, func(i, j int) bool { return spans[i].col < spans[j].col })
	for i := len(spans) - 1; i >= 0; i-- {
		e := spans[i]
		at := runeOffset(line, e.col)
		if at < 0 {
			return "", false
		}
		rest := line[at:]
		n := spanLength(rest, e.end)
		if n < 0 {
			return "", false
		}
		line = line[:at] + e.with + rest[n:]
	}
	return line, true
}

func orEmptyURL(u *url.URL) *url.URL {
	if u == nil {
		return &url.URL{}
	}
	return u
}

// refEnd describes where a {$ref: x} mapping's text ends: for a flow mapping "{" (the
// span runs to the matching "}"), for a block one the $ref key itself (the span runs to
// the end of its value). It returns a marker string consumed by spanLength.
func refEnd(m, ref *yaml.Node) string {
	if m.Style&yaml.FlowStyle != 0 {
		return "{" + ref.Value
	}
	return "$" + ref.Value
}

// spanLength returns the byte length of the mapping's text at the start of rest, given
// refEnd's marker, or -1 when the text is not what the parser described.
func spanLength(rest, marker string) int {
	flow, ref := marker[0] == '{', marker[1:]
	i := 0
	if flow {
		if !strings.HasPrefix(rest, "{") {
			return -1
		}
		i = 1
		i += len(rest[i:]) - len(strings.TrimLeft(rest[i:], " \t"))
	}
	for _, key := range []string{`"$ref"`, `'$ref'`, `$ref`} {
		if strings.HasPrefix(rest[i:], key) {
			i += len(key)
			goto key
		}
	}
	return -1
key:
	i += len(rest[i:]) - len(strings.TrimLeft(rest[i:], " \t"))
	if !strings.HasPrefix(rest[i:], ":") {
		return -1
	}
	i++
	i += len(rest[i:]) - len(strings.TrimLeft(rest[i:], " \t"))
	matched := false
	for _, v := range []string{strconv.Quote(ref), `'` + strings.ReplaceAll(ref, "'", "''") + `'`, ref} {
		if strings.HasPrefix(rest[i:], v) {
			i += len(v)
			matched = true
			break
		}
	}
	if !matched {
		return -1
	}
	if !flow {
		return i
	}
	i += len(rest[i:]) - len(strings.TrimLeft(rest[i:], " \t"))
	if !strings.HasPrefix(rest[i:], "}") {
		return -1
	}
	return i + 1
}

// quoteYAML quotes s as a double-quoted scalar that YAML and JSON both read: quotes,
// backslashes and every control or line-separator character escaped as \uXXXX, so the
// replacement stays on one line.
func quoteYAML(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == utf8.RuneError:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
