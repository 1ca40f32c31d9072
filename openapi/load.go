package openapi

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/hookkit/hookkit/openapi/internal/fastpath"
)

//go:embed hooks.yaml
var hooksYAML []byte

// DefaultSource names the embedded hook API document in messages and reports.
const DefaultSource = "embedded:hooks.yaml"

// HooksYAML returns a copy of the embedded hook API document, for tools that serve or print
// the document itself.
func HooksYAML() []byte { return append([]byte(nil), hooksYAML...) }

// Document is a loaded, validated OpenAPI document with everything derived from it that
// requests need: the operations in declaration order, the router and the validation
// options. It is immutable after loading and safe for concurrent use.
type Document struct {
	// T is kin-openapi's model of the document. Do not modify it.
	T *openapi3.T
	// Source is the file the document was read from, or DefaultSource.
	Source string
	// Operations lists every operation, sorted by path then method.
	Operations []*Operation
	// Warnings lists the problems found while loading that did not stop it (see
	// warnings.go), in document order of discovery, each with file and line.
	Warnings []Warning

	byID    map[string]*Operation
	synthed synthMemo // values Synthesize made, by schema and options (synth_memo.go)
	router  *router
	options *openapi3filter.Options
}

// Operation is one method of one path of the document.
type Operation struct {
	// ID is the operationId, or "METHOD /path" when the document gives none.
	ID string
	// Method is the upper-case HTTP method.
	Method string
	// Path is the path template as declared, e.g. /v1/{project_id}/hooks.
	Path string
	// Operation is kin-openapi's model of the operation.
	Operation *openapi3.Operation
	// PathItem holds the path-level parameters shared by the path's operations.
	PathItem *openapi3.PathItem

	route *routers.Route
	// kinRoute is route without the parameters hookkit decodes itself (form.go).
	kinRoute *routers.Route
	plan     *requestPlan // nil when requests need kin-openapi (see fastpath.go)
	// pathParams are the names of Path's parameters in template order, set by the
	// router, so a match names its values without parsing the template again.
	pathParams []string
	// credential: a security requirement asks for a value (see credentials.go).
	credential bool
}

// Parameters returns the operation's effective parameters: the path item's, except those
// the operation declares again with the same name and location, then the operation's own,
// which is the order kin-openapi validates them in and so the order of their problems. The
// fast path compiles the same list (internal/fastpath.Parameters, the one definition of
// the order). Unresolved entries are left out.
func (op *Operation) Parameters() openapi3.Parameters {
	all := fastpath.Parameters(op.PathItem, op.Operation)
	return slices.DeleteFunc(all, func(ref *openapi3.ParameterRef) bool { return ref == nil || ref.Value == nil })
}

// Operation returns the operation with the given ID (operationId or "METHOD /path").
func (d *Document) Operation(id string) (*Operation, bool) {
	op, ok := d.byID[id]
	return op, ok
}

// LoadError is a problem with a document: it could not be read, parsed or validated.
type LoadError struct {
	// File is the document's path, or DefaultSource.
	File string
	// Line and Column locate the problem when the loader knows it (1-based), else 0.
	Line, Column int
	// Code says which kind of problem it is, stably (tools and tests match it, not the
	// wording): one of the Code* constants, or, for a rule of the OpenAPI specification
	// that kin-openapi checks, kin's own code (openapi3.CodedError: "duplicate-parameter",
	// "path-parameters-mismatch"...), which kin keeps stable too.
	Code string
	// Err is the underlying problem.
	Err error
}

func (e *LoadError) Error() string {
	// kin-openapi appends the schema and the value as an indented dump; the first line
	// already says what is wrong and where.
	msg := cutSchemaDump(e.Err.Error())
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	}
	return fmt.Sprintf("%s: %s", e.File, msg)
}

func (e *LoadError) Unwrap() error { return e.Err }

// The codes of load errors hookkit finds itself (see LoadError.Code). They are a contract:
// wording may change, codes may not.
const (
	CodeUnreadable  = "document-unreadable" // the file cannot be read, or is over the size limit
	CodeSyntax      = "document-syntax"     // not well-formed YAML or JSON
	CodeNotOpenAPI3 = "not-openapi-3"       // no openapi: 3.x field
	CodeInvalid     = "document-invalid"    // a structural problem kin-openapi reports without a code (an unresolvable $ref...)
	CodeRoutes      = "conflicting-routes"  // two path templates the router cannot tell apart
	CodeStrict      = "strict-warning"      // a warning that --strict refuses
)

// Default loads the embedded hook API document.
func Default() (*Document, error) {
	return Parse(hooksYAML, DefaultSource)
}

// LoadOptions tune how a document is loaded: what it may reach (the zero value is
// hermetic: $refs may name files inside the document's own folder tree only, and nothing on
// the network; see refs.go) and how strictly it is judged (the zero value is lenient: the
// problems of the warning catalogue in warnings.go are warnings, not errors). Every
// command that loads a document passes one of these, built from its flags.
type LoadOptions struct {
	// Context ends a load that is fetching remote $refs (SIGINT, a deadline). nil means
	// context.Background().
	Context context.Context
	// AllowRemoteRefs lets $refs name http:// and https:// URLs (--allow-remote-refs).
	AllowRemoteRefs bool
	// RemoteTimeout bounds each remote fetch. 0 means DefaultRemoteTimeout.
	RemoteTimeout time.Duration
	// RemoteMaxBytes bounds each remote document. 0 means DefaultRemoteMaxBytes.
	RemoteMaxBytes int64
	// Strict refuses a document with any warning that kin-openapi itself would refuse
	// (invalid examples, unknown keys, duplicate operationIds...), for CI linting
	// (--strict).
	Strict bool
}

// Load reads, parses and validates the OpenAPI 3 document at path (YAML or JSON). External
// $refs are resolved relative to the file, hermetically, and the document is judged
// leniently (see [LoadOptions]).
func Load(path string) (*Document, error) { return LoadWith(path, LoadOptions{}) }

// LoadWith is Load with options (remote $refs, a context that ends the load, strictness).
func LoadWith(path string, opts LoadOptions) (*Document, error) {
	data, err := readDocument(path)
	if err != nil {
		return nil, &LoadError{File: path, Code: CodeUnreadable, Err: err}
	}
	return ParseWith(data, path, opts)
}

// Parse parses and validates a document held in memory. source names it in errors; when
// it is a file path, external $refs are resolved relative to it, hermetically.
func Parse(data []byte, source string) (*Document, error) {
	return ParseWith(data, source, LoadOptions{})
}

// ParseWith is Parse with options.
func ParseWith(data []byte, source string, opts LoadOptions) (*Document, error) {
	data, opWarns, err := inlineOperationRefs(data, source, opts)
	if err != nil {
		return nil, err
	}
	in := newRefInliner(source, opts)
	data, propWarns, err := in.document(data)
	if err != nil {
		return nil, err
	}
	data = collapseRefChains(data)
	data, descWarns := inlineDescriptionRefs(data, source)
	descWarns = append(append(opWarns, propWarns...), descWarns...)
	shared, sh := shareExternalRefs(data, source, in)
	// Origins give line numbers to errors found after loading (a schema that cannot be
	// synthesized, say) but cost over half of the load time. Small documents keep them;
	// large ones load without and, only when invalid, load again with origins to place
	// the error.
	t, warns, err := parse(shared, source, len(data) <= originLimit, opts, in, sh)
	if err != nil && sh != nil {
		// Loaded again as written: a message must not show the shared $refs' rewritten
		// text, and sharing must never be why a document is refused.
		in = newRefInliner(source, opts)
		t, warns, err = parse(data, source, len(data) <= originLimit, opts, in, nil)
	}
	if err != nil {
		if _, _, lerr := parse(data, source, true, opts, in, nil); lerr != nil {
			err = lerr
		}
		return nil, locate(source, err)
	}
	d, err := build(t, source)
	if err != nil {
		return nil, err
	}
	d.Warnings = append(append(descWarns, in.fileWarnings()...), warns...)
	d.Warnings = append(d.Warnings, d.warnExamples()...)
	d.Warnings = append(d.Warnings, d.warnSchemas()...)
	d.Warnings = append(d.Warnings, d.warnNoClientError()...)
	placeWarnings(data, source, d.Warnings)
	if err := opts.strictError(d.Warnings); err != nil {
		return nil, err
	}
	return d, nil
}

// originLimit is the largest document whose element origins are kept after loading.
const originLimit = 1 << 20

// parse loads and validates data, recording element origins when withOrigin is set; in
// reads (and rewrites) the files its $refs name.
// sh, when not nil, is the sharing of external $refs data was rewritten for, undone on
// the model once loaded.
func parse(data []byte, source string, withOrigin bool, opts LoadOptions, in *refInliner, sh *sharing) (*openapi3.T, []Warning, error) {
	loader := openapi3.NewLoader()
	loader.IncludeOrigin = withOrigin
	loader.ReadFromURIFunc = in.reader
	loader.Context = opts.Context
	var (
		t   *openapi3.T
		err error
	)
	if source != DefaultSource && source != "" {
		loader.IsExternalRefsAllowed = true
		abs, aerr := filepath.Abs(source)
		if aerr != nil {
			abs = source
		}
		t, err = loader.LoadFromDataWithPath(data, &url.URL{Path: filepath.ToSlash(abs)})
	} else {
		t, err = loader.LoadFromData(data)
	}
	if err != nil {
		return nil, nil, err
	}
	sh.restore(t)
	if t.OpenAPI == "" || !strings.HasPrefix(t.OpenAPI, "3.") {
		return nil, nil, &LoadError{File: source, Line: 1, Code: CodeNotOpenAPI3, Err: fmt.Errorf("not an OpenAPI 3 document (openapi: %q)", t.OpenAPI)}
	}
	// Examples, unknown keys and duplicate operationIds are warnings, not errors: real
	// documents have them by the hundred and a mock can work around each.
	warns, err := validateLenient(opts.Context, t)
	if err != nil {
		return nil, nil, err
	}
	return t, warns, nil
}

// locate turns a loader or validation error into a LoadError with the best position known:
// the origin kin-openapi recorded for the offending element, or the line a YAML parser
// reported.
func locate(source string, err error) *LoadError {
	var le *LoadError
	if errors.As(err, &le) {
		return le
	}
	le = &LoadError{File: source, Code: CodeInvalid, Err: err}
	var coded openapi3.CodedError
	if errors.As(err, &coded) {
		le.Code = coded.Code()
	}
	if loc, ok := originOf(err); ok {
		le.Line, le.Column = loc.Line, loc.Column
		return le
	}
	if line, ok := yamlErrorLine(err.Error()); ok {
		le.Line = line
		if le.Code == CodeInvalid {
			le.Code = CodeSyntax
		}
	}
	return le
}

// originOf walks err's chain for the first error that carries a kin-openapi Origin with a
// position. kin-openapi's validation errors all hold it in a field named Origin, so a
// reflective look finds it without listing their dozens of types.
func originOf(err error) (openapi3.Location, bool) {
	var walk func(error) (openapi3.Location, bool)
	walk = func(e error) (openapi3.Location, bool) {
		for e != nil {
			v := reflect.ValueOf(e)
			if v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
				if f := v.Elem().FieldByName("Origin"); f.IsValid() && f.Type() == reflect.TypeFor[*openapi3.Origin]() && !f.IsNil() {
					if o := f.Interface().(*openapi3.Origin); o.Key != nil && o.Key.Line > 0 {
						return *o.Key, true
					}
				}
			}
			if multi, ok := e.(interface{ Unwrap() []error }); ok {
				for _, inner := range multi.Unwrap() {
					if loc, ok := walk(inner); ok {
						return loc, true
					}
				}
				return openapi3.Location{}, false
			}
			e = errors.Unwrap(e)
		}
		return openapi3.Location{}, false
	}
	return walk(err)
}

func build(t *openapi3.T, source string) (*Document, error) {
	d := &Document{T: t, Source: source, byID: map[string]*Operation{}}
	// Routing and validation use a copy without servers: kin-openapi compares a server's
	// host with the request's, which never matches a mock on loopback.
	routeSpec := *t
	routeSpec.Servers = nil
	paths := t.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, path := range paths {
		item := t.Paths.Value(path)
		for _, method := range slices.Sorted(maps.Keys(item.Operations())) {
			op := &Operation{Method: method, Path: path, Operation: item.GetOperation(method), PathItem: item}
			op.ID = op.Operation.OperationID
			if op.ID == "" {
				op.ID = method + " " + path
			}
			op.route = &routers.Route{Spec: &routeSpec, Path: path, PathItem: item, Method: method, Operation: op.Operation}
			op.kinRoute = kinRoute(op.route)
			op.plan = compilePlan(t, op)
			op.credential = d.requiresCredential(op)
			d.Operations = append(d.Operations, op)
			d.byID[op.ID] = op
		}
	}
	r, err := newRouter(d.Operations, basePaths(t))
	if err != nil {
		return nil, &LoadError{File: source, Code: CodeRoutes, Err: err}
	}
	d.router = r
	d.options = validationOptions()
	return d, nil
}

// basePaths returns the path prefixes of the document's servers ("/api/v2" of
// "https://x.example/api/v2"), so requests sent with or without the prefix both route.
func basePaths(t *openapi3.T) []string {
	var out []string
	for _, s := range t.Servers {
		if s == nil {
			continue
		}
		raw := s.URL
		for name, v := range s.Variables {
			raw = strings.ReplaceAll(raw, "{"+name+"}", v.Default)
		}
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		p := strings.TrimRight(u.EscapedPath(), "/")
		if p != "" && !strings.Contains(p, "{") {
			out = append(out, p)
		}
	}
	return out
}
