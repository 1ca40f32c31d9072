package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v3"
)

// WarningKind names one kind of load warning. The values are stable: tests pin them and
// users grep for them.
type WarningKind string

// The warning catalogue. Each is a problem that real, published documents have and that a
// mock can work around; kinds marked strict were load errors before lenient loading and are
// errors again under LoadOptions.Strict (hookkit's --strict).
const (
	// InvalidExample: an example breaks its schema (pattern, format, required, readOnly in a
	// request, oneOf matching more than one branch...). It is never served or sent; the mock
	// and the checker synthesize a value instead. Strict.
	InvalidExample WarningKind = "invalid-example"
	// UnknownKeys: an object carries keys OpenAPI does not define there ($recursiveRef
	// beside other keywords, a misspelt field); they are ignored. Strict.
	UnknownKeys WarningKind = "unknown-keys"
	// InvalidDefault: a schema's default breaks the schema; it is not used. Strict.
	InvalidDefault WarningKind = "invalid-default"
	// DuplicateOperationID: two operations share an operationId; the later one (in path
	// order) is named "METHOD /path" instead. Strict.
	DuplicateOperationID WarningKind = "duplicate-operation-id"
	// DuplicateRequired: a schema's required list names a property more than once; the
	// repeats are dropped. Strict.
	DuplicateRequired WarningKind = "duplicate-required"
	// UnknownFormat: a format hookkit does not know; values are not checked against it and
	// synthesized ones are plain strings or numbers.
	UnknownFormat WarningKind = "unknown-format"
	// VersionMismatch: a keyword of another OpenAPI version (a boolean exclusiveMinimum in
	// 3.1, a 3.1 keyword in 3.0); booleans are read as 3.0 meant them. Strict.
	VersionMismatch WarningKind = "version-mismatch"
	// NoClientError: an operation declares no 4xx, 4XX or default response, so the mock
	// answers its invalid requests with an undeclared 400 application/problem+json.
	NoClientError WarningKind = "no-client-error"
	// DescriptionRef: a description or summary is a {$ref: file} mapping where OpenAPI
	// wants a string; the local file's text is used, or "" when it cannot be read
	// hermetically (see inlineDescriptionRefs). Strict.
	DescriptionRef WarningKind = "description-ref"
	// OperationRef: an operation is a {$ref: file} mapping, which OpenAPI does not allow
	// (only path items may be $refs); the operation it names is inlined, its $refs rebased
	// (see inlineOperationRefs). Strict.
	OperationRef WarningKind = "operation-ref"
	// PropertiesRef: a schema's properties is a {$ref: file#/x} mapping, which OpenAPI
	// does not allow (properties is a mapping of schemas); the mapping it names is
	// inlined, its $refs rebased, in the document and in every file it loads (see
	// inlinePropertiesRefs). Strict.
	PropertiesRef WarningKind = "properties-ref"
)

// Warning is one problem found while loading a document that does not stop it from being
// served. Its message names the place, never a value of an example (which could be a
// secret someone pasted into the document).
type Warning struct {
	Kind WarningKind `json:"kind"`
	// File is the document's path (or DefaultSource); Line is 1-based, 0 when unknown.
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	// Pointer is the JSON pointer of the place in the document, when known.
	Pointer string `json:"pointer,omitempty"`
	Message string `json:"message"`
}

func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d: %s (%s)", w.File, w.Line, w.Message, w.Kind)
	}
	return fmt.Sprintf("%s: %s (%s)", w.File, w.Message, w.Kind)
}

// strict reports whether the warning was a load error before lenient loading.
func (w Warning) strict() bool { return w.Kind != NoClientError && w.Kind != UnknownFormat }

// strictError turns strict warnings into a load error when the options ask for it.
func (o LoadOptions) strictError(warns []Warning) error {
	if !o.Strict {
		return nil
	}
	var strict []Warning
	for _, w := range warns {
		if w.strict() {
			strict = append(strict, w)
		}
	}
	if len(strict) == 0 {
		return nil
	}
	first := strict[0]
	msg := first.Message + " (" + string(first.Kind) + ")"
	if len(strict) > 1 {
		msg += fmt.Sprintf(" and %d more warnings (strict mode refuses them all)", len(strict)-1)
	}
	return &LoadError{File: first.File, Line: first.Line, Code: CodeStrict, Err: errors.New(msg)}
}

// maxLenientRounds bounds how often validation is repeated after allowing unknown keys or
// renaming duplicate operationIds (each round fixes every problem kin-openapi reported).
const maxLenientRounds = 8

// validateLenient validates t like kin-openapi does, except that examples are not judged
// (warnExamples does that after loading, in the right direction) and unknown keys and
// duplicate operationIds become warnings. Any other problem is returned as the error.
func validateLenient(ctx context.Context, t *openapi3.T) ([]Warning, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if validOnce(ctx, t, []openapi3.ValidationOption{openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation(), openapi3.EnableMultiError()}) {
		return nil, nil // the first round's verdict, each schema validated once (validateonce.go)
	}
	var warns []Warning
	allowed := map[string]bool{}
	dedupedRequired, fixedBounds := false, false
	for range maxLenientRounds {
		opts := []openapi3.ValidationOption{openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation(), openapi3.EnableMultiError()}
		for k := range allowed {
			opts = append(opts, openapi3.AllowExtraSiblingFields(k))
		}
		err := t.Validate(ctx, opts...)
		if err == nil {
			return warns, nil
		}
		progress := false
		for _, e := range flattenLoad(err) {
			var sib *openapi3.ExtraSiblingFieldsError
			var dup *openapi3.DuplicateOperationIDError
			var req *openapi3.DuplicateRequiredFieldError
			var ver *openapi3.FieldVersionMismatchError
			switch {
			case errors.As(e, &ver) && ver.RemovedIn != "" && strings.HasPrefix(ver.Field, "exclusiveM"):
				if !fixedBounds {
					fixedBounds = true
					ws := fixExclusiveBounds(t)
					warns = append(warns, ws...)
					progress = progress || len(ws) > 0
				}
			case errors.As(e, &ver) && ver.MinVersion != "":
				w := Warning{Kind: VersionMismatch, Message: fmt.Sprintf("%s is for OpenAPI %s and later; ignored by the validator", ver.Field, ver.MinVersion)}
				if o := ver.Origin; o != nil && o.Key != nil {
					w.Line = o.Key.Line
				}
				if !allowed[ver.Field] {
					allowed[ver.Field], progress = true, true
					warns = append(warns, w)
				}
			case errors.As(e, &req):
				if !dedupedRequired {
					dedupedRequired = true
					ws := dedupeRequired(t)
					warns = append(warns, ws...)
					progress = progress || len(ws) > 0
				}
			case errors.As(e, &sib):
				fields := slicesSorted(sib.Fields)
				w := Warning{Kind: UnknownKeys, Message: "unknown keys " + strings.Join(fields, ", ") + " ignored"}
				if o := sib.Origin; o != nil && o.Key != nil {
					w.Line = o.Key.Line
				}
				// kin-openapi reports a shared schema at each use, and a large document is
				// loaded without positions: identical warnings are listed once.
				if !slices.Contains(warns, w) {
					warns = append(warns, w)
				}
				for _, f := range fields {
					if !allowed[f] {
						allowed[f], progress = true, true
					}
				}
			case errors.As(e, &dup):
				w := Warning{Kind: DuplicateOperationID,
					Message: fmt.Sprintf("operationId %q is used by %s and %s; the latter is named %q", dup.OperationID, dup.Endpoint1, dup.Endpoint2, dup.Endpoint2)}
				if o := dup.Origin; o != nil && o.Key != nil {
					w.Line = o.Key.Line
				}
				if renameOperation(t, dup.Endpoint2) {
					warns = append(warns, w)
					progress = true
				}
			default:
				return warns, e
			}
		}
		if !progress {
			return warns, err
		}
	}
	return warns, t.Validate(ctx, openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation())
}

// renameOperation drops the operationId of the operation at endpoint ("METHOD /path"), so
// it is known by its method and path.
func renameOperation(t *openapi3.T, endpoint string) bool {
	method, path, ok := strings.Cut(endpoint, " ")
	if !ok || t.Paths == nil {
		return false
	}
	item := t.Paths.Value(path)
	if item == nil {
		return false
	}
	op := item.GetOperation(strings.ToUpper(method))
	if op == nil || op.OperationID == "" {
		return false
	}
	op.OperationID = ""
	return true
}

func flattenLoad(err error) []error {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		var out []error
		for _, e := range me {
			out = append(out, flattenLoad(e)...)
		}
		return out
	}
	return []error{err}
}

func slicesSorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// warnExamples checks every example of the served operations (and the webhooks) against
// its schema in the direction it travels: a request body example as a client's request, a
// response example and a webhook's request body as the server sends them. An invalid example
// is removed from the model with a warning, so neither the mock nor the checker ever uses it.
func (d *Document) warnExamples() []Warning {
	var warns []Warning
	check := func(ptr []string, what string, schema *openapi3.SchemaRef, v any, dir Direction) bool {
		if schema == nil || schema.Value == nil || v == nil {
			return true
		}
		err := d.validateFor(schema.Value, jsonCopy(v), dir)
		if err == nil {
			return true
		}
		warns = append(warns, Warning{Kind: InvalidExample, Pointer: Pointer(ptr),
			Message: fmt.Sprintf("%s breaks its schema (%s); it is not used, values are synthesized instead", what, describeInvalid(err))})
		return false
	}
	// keep clears a lone example that breaks schema and returns examples without the
	// entries that do.
	keep := func(ptr []string, what string, schema *openapi3.SchemaRef, example *any, examples openapi3.Examples, dir Direction) openapi3.Examples {
		if *example != nil && !check(append(ptr, "example"), what+" example", schema, *example, dir) {
			*example = nil
		}
		if len(examples) == 0 {
			return examples
		}
		kept := make(openapi3.Examples, len(examples))
		for _, n := range slices.Sorted(maps.Keys(examples)) {
			ex := examples[n]
			if ex != nil && ex.Value != nil && ex.Value.Value != nil &&
				!check(append(ptr, "examples", n), fmt.Sprintf("%s example %q", what, n), schema, ex.Value.Value, dir) {
				continue
			}
			kept[n] = ex
		}
		return kept
	}
	media := func(ptr []string, what string, mt *openapi3.MediaType, dir Direction, name string) {
		if mt != nil && (IsJSON(name) || strings.HasPrefix(strings.ToLower(name), "application/x-www-form-urlencoded")) {
			mt.Examples = keep(ptr, what, mt.Schema, &mt.Example, mt.Examples, dir)
		}
	}
	params := func(ptr []string, op string, ps openapi3.Parameters) {
		for i, ref := range ps {
			if p := ref.Value; p != nil {
				what := fmt.Sprintf("%s: %s parameter %s", op, p.In, p.Name)
				p.Examples = keep(append(ptr, "parameters", strconv.Itoa(i)), what, p.Schema, &p.Example, p.Examples, Request)
			}
		}
	}
	operation := func(root []string, name string, op *openapi3.Operation, bodyDir Direction) {
		params(root, name, op.Parameters)
		if rb := op.RequestBody; rb != nil && rb.Value != nil {
			for _, mt := range slices.Sorted(maps.Keys(rb.Value.Content)) {
				media(append(root, "requestBody", "content", mt), name+": request body "+mt, rb.Value.Content[mt], bodyDir, mt)
			}
		}
		if op.Responses == nil {
			return
		}
		resps := op.Responses.Map()
		for _, key := range slices.Sorted(maps.Keys(resps)) {
			r := resps[key]
			if r == nil || r.Value == nil {
				continue
			}
			for _, mt := range slices.Sorted(maps.Keys(r.Value.Content)) {
				media(append(root, "responses", key, "content", mt), fmt.Sprintf("%s: response %s %s", name, key, mt), r.Value.Content[mt], Response, mt)
			}
		}
	}
	for _, op := range d.Operations {
		root := []string{"paths", op.Path, strings.ToLower(op.Method)}
		operation(root, op.ID, op.Operation, Request)
	}
	for _, path := range d.Paths() {
		item := d.T.Paths.Value(path)
		params([]string{"paths", path}, path, item.Parameters)
	}
	for _, name := range slices.Sorted(maps.Keys(d.T.Webhooks)) {
		item := d.T.Webhooks[name]
		if item == nil {
			continue
		}
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			// A webhook's request is sent by the API's server: its body is judged as a
			// response (readOnly properties belong there).
			operation([]string{"webhooks", name, strings.ToLower(method)}, "webhook "+name+" "+method, item.GetOperation(method), Response)
		}
	}
	return warns
}

// warnSchemas walks every schema once: a default that breaks its own schema (the
// synthesizer already skips it) and the first use of each unknown format are warned about.
func (d *Document) warnSchemas() []Warning {
	var defaults, formats []Warning
	seenFormat := map[string]bool{}
	eachSchema(d.T, func(ptr []string, s *openapi3.Schema) {
		if f := s.Format; f != "" && !knownFormats[f] && !seenFormat[f] {
			seenFormat[f] = true
			formats = append(formats, Warning{Kind: UnknownFormat, Pointer: Pointer(append(ptr, "format")),
				Message: "unknown format " + strconv.Quote(f) + " is not checked (first use; others not listed)"})
		}
		if s.Default == nil {
			return
		}
		if err := d.validateFor(s, jsonCopy(s.Default), Response); err != nil {
			defaults = append(defaults, Warning{Kind: InvalidDefault, Pointer: Pointer(append(ptr, "default")),
				Message: "default breaks its schema (" + describeInvalid(err) + "); it is not used"})
		}
	})
	return append(defaults, formats...)
}

// Paths returns the document's path templates in name order.
func (d *Document) Paths() []string {
	if d.T.Paths == nil {
		return nil
	}
	out := d.T.Paths.InMatchingOrder()
	sort.Strings(out)
	return out
}

// warnNoClientError lists the operations that declare no 4xx response at all.
func (d *Document) warnNoClientError() []Warning {
	var warns []Warning
	for _, op := range d.Operations {
		if op.DeclaresAny4xx() {
			continue
		}
		w := Warning{Kind: NoClientError, Pointer: Pointer([]string{"paths", op.Path, strings.ToLower(op.Method)}),
			Message: fmt.Sprintf("%s declares no 4xx response: the mock answers its invalid requests with 400 application/problem+json", op.ID)}
		// A document loaded with positions has the operation's line at hand, which
		// spares placeWarnings a second parse.
		if o := op.Operation.Origin; o != nil && o.Key != nil {
			w.Line = o.Key.Line
		}
		warns = append(warns, w)
	}
	return warns
}

// placeWarnings gives every warning without a file the document's and, from its
// pointer, its line. The document
// is read once more only when some warning needs a line: JSON with a token stream that
// skips what no pointer enters, YAML as a node tree. A pointer into a $ref'd part resolves
// to the deepest place found, usually the $ref.
func placeWarnings(data []byte, source string, warns []Warning) {
	var wanted []string
	for i := range warns {
		if warns[i].File == "" {
			warns[i].File = source
		}
		if warns[i].Line == 0 && warns[i].Pointer != "" {
			wanted = append(wanted, warns[i].Pointer)
		}
	}
	if len(wanted) == 0 {
		return
	}
	var lineOf func(string) int
	if trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(trimmed) > 0 && trimmed[0] == '{' {
		lines := jsonLines(data, wanted)
		lineOf = func(ptr string) int {
			for p := ptr; ; p = p[:strings.LastIndexByte(p, '/')] {
				if l, ok := lines[p]; ok {
					return l
				}
				if p == "" {
					return 0
				}
			}
		}
	} else {
		// Most pointers (an operation, a schema's keyword) run through mapping keys only,
		// which a line scan finds; the node tree is built only for the others.
		found, _ := yamlKeyLines(data, pointerPrefixes(wanted))
		var (
			doc    *yaml.Node
			index  map[*yaml.Node]map[string]int
			parsed bool
		)
		lineOf = func(ptr string) int {
			if l, ok := found[ptr]; ok {
				return l
			}
			if !parsed {
				parsed = true
				var n yaml.Node
				if yaml.Unmarshal(data, &n) == nil && len(n.Content) > 0 {
					doc, index = n.Content[0], map[*yaml.Node]map[string]int{}
				}
			}
			if doc == nil {
				return 0
			}
			return nodeLine(doc, ptr, index)
		}
	}
	for i := range warns {
		if warns[i].Line == 0 && warns[i].Pointer != "" {
			warns[i].Line = lineOf(warns[i].Pointer)
		}
	}
}

// jsonLines returns the line of every key on the way to the wanted pointers, reading the
// JSON document as a token stream and skipping every value no pointer enters.
func jsonLines(data []byte, wanted []string) map[string]int {
	l := &jsonLocator{dec: json.NewDecoder(bytes.NewReader(data)), data: data, line: 1, prefixes: pointerPrefixes(wanted), lines: map[string]int{}}
	_ = l.value("")
	return l.lines
}

// pointerPrefixes returns every pointer on the way to the wanted ones, themselves included.
func pointerPrefixes(wanted []string) map[string]bool {
	prefixes := map[string]bool{"": true}
	for _, w := range wanted {
		for p := w; p != ""; p = p[:strings.LastIndexByte(p, '/')] {
			prefixes[p] = true
		}
	}
	return prefixes
}

type jsonLocator struct {
	dec      *json.Decoder
	data     []byte
	offset   int
	line     int
	prefixes map[string]bool
	lines    map[string]int
}

// here returns the line the decoder has reached.
func (l *jsonLocator) here() int {
	end := int(l.dec.InputOffset())
	l.line += bytes.Count(l.data[l.offset:end], []byte{'\n'})
	l.offset = end
	return l.line
}

func (l *jsonLocator) value(ptr string) error {
	tok, err := l.dec.Token()
	if err != nil {
		return err
	}
	d, ok := tok.(json.Delim)
	if !ok || (d != '{' && d != '[') {
		return nil
	}
	for i := 0; l.dec.More(); i++ {
		key := strconv.Itoa(i)
		if d == '{' {
			kt, err := l.dec.Token()
			if err != nil {
				return err
			}
			key, _ = kt.(string)
		}
		p := ptr + "/" + pointerEscaper.Replace(key)
		if !l.prefixes[p] {
			var skip json.RawMessage
			if err := l.dec.Decode(&skip); err != nil {
				return err
			}
			continue
		}
		l.lines[p] = l.here()
		if err := l.value(p); err != nil {
			return err
		}
	}
	_, err = l.dec.Token() // the closing delimiter
	return err
}

// nodeLine follows a JSON pointer through a YAML node tree and returns the line of the
// deepest key reached. index caches the keys of the mappings it has searched, so placing
// thousands of warnings under /paths costs one pass over it, not one per warning.
func nodeLine(n *yaml.Node, pointer string, index map[*yaml.Node]map[string]int) int {
	line := n.Line
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		next := (*yaml.Node)(nil)
		switch n.Kind {
		case yaml.MappingNode:
			keys, ok := index[n]
			if !ok {
				keys = make(map[string]int, len(n.Content)/2)
				for i := 0; i+1 < len(n.Content); i += 2 {
					if _, dup := keys[n.Content[i].Value]; !dup {
						keys[n.Content[i].Value] = i
					}
				}
				index[n] = keys
			}
			if i, ok := keys[tok]; ok {
				line, next = n.Content[i].Line, n.Content[i+1]
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				next = n.Content[i]
				line = next.Line
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}
