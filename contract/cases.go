package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/openapi"
)

// CaseKind says what a case expects of the target.
type CaseKind string

const (
	// Positive cases send a request the document accepts and expect a 2xx.
	Positive CaseKind = "positive"
	// Negative cases send a request the document rejects and expect a declared 4xx.
	Negative CaseKind = "negative"
	// Recorded cases are exchanges read from a HAR file: only the answer is judged.
	Recorded CaseKind = "recorded"
)

// Case is one request the checker sends. Cases are planned from the document alone (plus
// --set values and the seed), so the same inputs always give the same plan.
type Case struct {
	// ID is stable across runs: operationId/kind/slug.
	ID        string   `json:"id"`
	Operation string   `json:"operation"`
	Kind      CaseKind `json:"kind"`
	// Name says in words what the case sends, e.g. "missing header X-Repo-Auth".
	Name       string            `json:"name"`
	Method     string            `json:"method"`
	Path       string            `json:"path"`
	PathParams map[string]string `json:"path_params,omitempty"`
	Query      url.Values        `json:"query,omitempty"`
	Header     http.Header       `json:"header,omitempty"`
	// Body is the raw body, already encoded for its Content-Type header.
	Body []byte `json:"-"`
	// NoCredential leaves the security credential out (the missing-credential case).
	NoCredential bool `json:"no_credential,omitempty"`
	// Signing, for AK/SK targets, signs the case wrongly on purpose: SignWrongKey or
	// SignStale (see aksk.go).
	Signing string `json:"signing,omitempty"`
	// WrongCredential sends InvalidCredential instead of the token (the invalid-credential
	// case).
	WrongCredential bool `json:"wrong_credential,omitempty"`
	// Unbuildable says why the checker could not build this case from the document (a
	// schema no value satisfies, a media type it cannot encode); such a case is skipped.
	Unbuildable string `json:"unbuildable,omitempty"`

	op *openapi.Operation
	// class is the class of the problems a negative case's request has, by which the
	// document chooses its rejection status (openapi.Operation.ErrorResponse).
	class openapi.ProblemClass
	// allow lists the methods the path declares, for an undeclared-method case (nil for
	// every other case).
	allow []string
}

// planner turns a document into cases.
type planner struct {
	doc  *openapi.Document
	opts *Options
	// paths records the paths whose undeclared-method case is planned.
	paths map[string]bool
}

// Plan returns the cases Check would send for opts, in a stable order, without sending
// anything. It fails when a --set value names no parameter of the document.
func Plan(doc *openapi.Document, opts Options) ([]Case, error) {
	if err := checkSet(doc, opts.Set); err != nil {
		return nil, err
	}
	p := &planner{doc: doc, opts: &opts, paths: map[string]bool{}}
	limit := opts.MaxCasesPerOperation
	if limit == 0 {
		limit = DefaultMaxCasesPerOperation
	}
	var out []Case
	for _, op := range doc.Operations {
		if !opts.selected(op.ID, "") {
			continue
		}
		cases, err := p.operation(op)
		if err != nil {
			return nil, fmt.Errorf("operation %s: %w", op.ID, err)
		}
		var kept []Case
		for _, c := range cases {
			if opts.selected(op.ID, c.Kind) {
				kept = append(kept, c)
			}
		}
		out = append(out, capCases(kept, limit)...)
	}
	return out, nil
}

// checkSet fails on --set names no operation declares, which are almost always typos.
func checkSet(doc *openapi.Document, set map[string]string) error {
	known := map[string]bool{}
	for _, op := range doc.Operations {
		for _, p := range op.Parameters() {
			known[p.Value.Name] = true
			known[strings.ToLower(p.Value.Name)] = true
		}
	}
	var unknown []string
	for name := range set {
		if !known[name] && !known[strings.ToLower(name)] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	if len(unknown) > 0 {
		return fmt.Errorf("--set %s: no parameter of that name in %s", strings.Join(unknown, ", --set "), doc.Source)
	}
	return nil
}

func (p *planner) operation(op *openapi.Operation) ([]Case, error) {
	base := Case{Operation: op.ID, Method: op.Method, Path: op.Path, op: op}
	var positives []Case

	mediaType, mt := requestMedia(op)
	// unbuildable records a case the document does not let the checker build (a schema no
	// value satisfies): it is reported as skipped with the reason, and the run goes on.
	unbuildable := func(id, name string, err error) Case {
		c := base
		c.Kind, c.ID, c.Name, c.Unbuildable = Positive, id, name, err.Error()
		return c
	}
	var bodies []namedExample
	if mt != nil {
		bodies = bodyExamples(mt)
		if len(bodies) == 0 {
			v, err := synthesizeBody(p.doc, mediaType, mt.Schema, 0)
			if err != nil {
				positives = append(positives, unbuildable(op.ID+"/positive/synthesized", "synthesized", fmt.Errorf("request body: %w", err)))
			} else {
				bodies = append(bodies, namedExample{"synthesized", v})
			}
		}
	} else {
		bodies = []namedExample{{name: "parameters", value: nil}}
	}
	var first *Case
	var firstBody any
	for _, b := range bodies {
		id, name := op.ID+"/positive/"+slug(b.name), "example "+b.name
		if mt == nil {
			name = "examples of the parameters"
		}
		c, err := p.build(base, mediaType, b.value, 0)
		if err != nil {
			positives = append(positives, unbuildable(id, name, err))
			continue
		}
		c.Kind, c.Name, c.ID = Positive, name, id
		positives = append(positives, c)
		if first == nil {
			first, firstBody = &positives[len(positives)-1], b.value
		}
	}
	for i := 1; i <= p.opts.Positive; i++ {
		seed := caseSeed(p.opts.Seed, op.ID, i)
		id, name := fmt.Sprintf("%s/positive/synthesized-%d", op.ID, i), fmt.Sprintf("synthesized #%d", i)
		var body any
		if mt != nil {
			v, err := synthesizeBody(p.doc, mediaType, mt.Schema, seed)
			if err != nil {
				positives = append(positives, unbuildable(id, name, fmt.Errorf("request body: %w", err)))
				continue
			}
			body = v
		}
		c, err := p.build(base, mediaType, body, seed)
		if err != nil {
			positives = append(positives, unbuildable(id, name, err))
			continue
		}
		c.Kind, c.Name, c.ID = Positive, name, id
		positives = append(positives, c)
	}
	if first == nil {
		return positives, nil
	}
	out := append(positives, p.negatives(*first, mediaType, mt, firstBody)...)
	if !p.paths[op.Path] {
		p.paths[op.Path] = true
		if c, ok := p.undeclaredMethod(*first); ok {
			out = append(out, c)
		}
	}
	out = append(out, p.edgePositives(*first, mediaType, mt, firstBody)...)
	return append(out, acceptPositives(*first)...), nil
}

// requestMedia picks the media type the checker sends: JSON when declared, else the first
// declared one in name order.
func requestMedia(op *openapi.Operation) (string, *openapi3.MediaType) {
	rb := op.Operation.RequestBody
	if rb == nil || rb.Value == nil || len(rb.Value.Content) == 0 {
		return "", nil
	}
	names := slices.Sorted(maps.Keys(rb.Value.Content))
	for _, n := range names {
		if openapi.IsJSON(n) {
			return n, rb.Value.Content[n]
		}
	}
	return names[0], rb.Value.Content[names[0]]
}

// build fills a case's parameters and body. Parameter values come from --set, then the
// document's examples, then synthesis (seeded; seed 0 means the plain values).
func (p *planner) build(c Case, mediaType string, body any, seed uint64) (Case, error) {
	c.PathParams = map[string]string{}
	c.Query = url.Values{}
	c.Header = http.Header{}
	for _, ref := range c.op.Parameters() {
		prm := ref.Value
		v, ok := p.paramValue(prm, seed)
		if !ok {
			if !prm.Required {
				continue
			}
			sv, err := synthesize(p.doc, prm.Schema, seed)
			if err != nil {
				return c, fmt.Errorf("parameter %s: %w", prm.Name, err)
			}
			v = sv
		}
		switch prm.In {
		case "path":
			c.PathParams[prm.Name] = paramString(v)
		case "query":
			styledQuery(c.Query, prm, v)
		case "header":
			c.Header.Set(prm.Name, paramString(v))
		case "cookie":
			c.Header.Add("Cookie", (&http.Cookie{Name: prm.Name, Value: paramString(v)}).String())
		}
	}
	if mediaType != "" {
		raw, err := encodeBody(mediaType, mediaOf(c.op, mediaType), body)
		if err != nil {
			return c, err
		}
		c.Body = raw
		c.Header.Set("Content-Type", mediaType)
	}
	setAccept(&c)
	return c, nil
}

// paramValue returns the --set value or, for seed 0 or a parameter with an example, the
// document's example. Optional parameters without either are left out.
func (p *planner) paramValue(prm *openapi3.Parameter, seed uint64) (any, bool) {
	if v, ok := p.opts.Set[prm.Name]; ok {
		return v, true
	}
	if prm.In == "header" {
		for k, v := range p.opts.Set {
			if strings.EqualFold(k, prm.Name) {
				return v, true
			}
		}
	}
	if v, ok := openapi.ParameterExample(prm); ok && (seed == 0 || prm.In == "path" || prm.In == "header") {
		return v, true
	}
	return nil, false
}

// mediaOf returns the operation's declared request media type of that name, or nil.
func mediaOf(op *openapi.Operation, mediaType string) *openapi3.MediaType {
	if rb := op.Operation.RequestBody; rb != nil && rb.Value != nil {
		return rb.Value.Content[mediaType]
	}
	return nil
}

// encodeBody encodes a value for a media type: JSON, form-urlencoded (as mt's encoding
// object says), or text.
func encodeBody(mediaType string, media *openapi3.MediaType, v any) ([]byte, error) {
	mt, _, _ := mime.ParseMediaType(mediaType)
	switch {
	case openapi.IsJSON(mediaType):
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return nil, fmt.Errorf("request body: %w", err)
		}
		return bytes.TrimRight(buf.Bytes(), "\n"), nil
	case mt == "application/x-www-form-urlencoded":
		return []byte(formValues(v, media).Encode()), nil
	case strings.HasPrefix(mt, "text/"):
		return []byte(paramString(v)), nil
	}
	return nil, fmt.Errorf("request media type %s: the checker sends only JSON, form and text bodies", mediaType)
}

// negatives derives the invalid requests of an operation from its first positive case.
// Each candidate is kept only when the document itself rejects it, so a document that
// allows, say, any type for a field never yields a false negative case.
func (p *planner) negatives(pos Case, mediaType string, mt *openapi3.MediaType, body any) []Case {
	op := pos.op
	var out []Case
	add := func(slugName, name string, mutate func(c *Case)) {
		c := pos.clone()
		c.Kind, c.Name, c.ID = Negative, name, op.ID+"/negative/"+slugName
		mutate(&c)
		if problems, rejected := p.rejects(c); rejected {
			c.class = openapi.ClassOf(problems)
			out = append(out, c)
		}
	}
	for _, ref := range op.Parameters() {
		prm := ref.Value
		if !prm.Required || prm.In == "path" {
			continue
		}
		name := prm.Name
		switch prm.In {
		case "query":
			add("missing-query-"+slug(name), "missing query parameter "+name, func(c *Case) { c.Query.Del(name) })
		case "header":
			add("missing-header-"+slug(name), "missing header "+name, func(c *Case) { c.Header.Del(name) })
		case "cookie":
			add("missing-cookie-"+slug(name), "missing cookie "+name, func(c *Case) { c.Header.Del("Cookie") })
		}
	}
	if requiresCredential(p.doc, op) {
		add("missing-credential", "security credential missing", func(c *Case) { c.NoCredential = true })
		if op.RequiresCredential() {
			// The document cannot judge a credential's value, so this case is planned
			// without asking it (add would drop it).
			c := pos.clone()
			c.Kind, c.ID, c.Name = Negative, op.ID+"/negative/invalid-credential", "security credential not accepted (a well-formed wrong value)"
			c.WrongCredential, c.class = true, openapi.CredentialProblem
			out = append(out, c)
		}
	}
	out = append(out, p.signingNegatives(pos)...)
	if mt == nil {
		p.strictNegatives(pos, mediaType, mt, body, add)
		return out
	}
	if rb := op.Operation.RequestBody.Value; rb.Required {
		add("missing-body", "empty body", func(c *Case) { c.Body = nil })
	}
	if obj, ok := body.(map[string]any); ok && openapi.IsJSON(mediaType) && mt.Schema != nil && mt.Schema.Value != nil {
		s := mt.Schema.Value
		for _, field := range s.Required {
			if _, present := obj[field]; !present {
				continue
			}
			add("missing-field-"+slug(field), "missing body field "+field, func(c *Case) {
				c.Body = withField(obj, field, nil, true)
			})
		}
		for _, field := range slices.Sorted(maps.Keys(obj)) {
			wrong := wrongTypeValue(obj[field])
			add("wrong-type-"+slug(field), fmt.Sprintf("body field %s with the wrong type", field), func(c *Case) {
				c.Body = withField(obj, field, wrong, false)
			})
		}
	}
	if openapi.IsJSON(mediaType) && len(pos.Body) > 1 {
		add("malformed-json", "truncated JSON body", func(c *Case) { c.Body = c.Body[:len(c.Body)/2] })
	}
	if _, declared := op.Operation.RequestBody.Value.Content["text/plain"]; !declared {
		add("wrong-content-type", "Content-Type text/plain", func(c *Case) { c.Header.Set("Content-Type", "text/plain") })
	}
	add("missing-content-type", "no Content-Type", func(c *Case) { c.Header.Del("Content-Type") })
	p.strictNegatives(pos, mediaType, mt, body, add)
	return out
}

// rejects reports whether the document rejects the case's request, and why.
func (p *planner) rejects(c Case) (openapi.Problems, bool) {
	req, err := c.request(context.Background(), "http://checker.invalid", credentials{token: "planned-credential", doc: p.doc})
	if err != nil {
		return nil, false
	}
	m, err := p.doc.Find(req.Method, req.URL.EscapedPath())
	if err != nil {
		return nil, false
	}
	problems := p.doc.ValidateRequest(context.Background(), req, m, c.Body)
	return problems, len(problems) > 0
}

func (c Case) clone() Case {
	d := c
	d.PathParams = make(map[string]string, len(c.PathParams))
	for k, v := range c.PathParams {
		d.PathParams[k] = v
	}
	d.Query = url.Values{}
	for k, v := range c.Query {
		d.Query[k] = append([]string(nil), v...)
	}
	d.Header = c.Header.Clone()
	d.Body = append([]byte(nil), c.Body...)
	return d
}

// redacted returns a copy of the case safe for reports: secret headers, query parameters
// and cookies (a --set value can be one) are replaced by openapi.Redacted.
func (c Case) redacted(red *openapi.Redactor) Case {
	d := c.clone()
	d.Body = nil
	for k := range d.Header {
		if red.IsSecretHeader(k) {
			d.Header[k] = []string{openapi.Redacted}
		}
	}
	for k := range d.Query {
		if red.IsSecretField(k) {
			d.Query[k] = []string{openapi.Redacted}
		}
	}
	return d
}

// withField encodes obj with field replaced by v, or removed.
func withField(obj map[string]any, field string, v any, remove bool) []byte {
	m := make(map[string]any, len(obj))
	for k, val := range obj {
		m[k] = val
	}
	if remove {
		delete(m, field)
	} else {
		m[field] = v
	}
	b, _ := encodeBody("application/json", nil, m)
	return b
}

// wrongTypeValue returns a value of another JSON type than v.
func wrongTypeValue(v any) any {
	switch v.(type) {
	case string:
		return 12345
	case bool:
		return "not-a-boolean"
	case []any:
		return "not-an-array"
	case map[string]any:
		return "not-an-object"
	case nil:
		return []any{}
	default: // numbers
		return "not-a-number"
	}
}

// requiresCredential reports whether every security alternative of the operation needs a
// credential (an empty alternative {} makes security optional).
func requiresCredential(doc *openapi.Document, op *openapi.Operation) bool {
	reqs := op.Operation.Security
	if reqs == nil {
		reqs = &doc.T.Security
	}
	if reqs == nil || len(*reqs) == 0 {
		return false
	}
	for _, alt := range *reqs {
		if len(alt) == 0 {
			return false
		}
	}
	return true
}

func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
