package contract

import (
	"context"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/openapi"
)

// DefaultMaxCasesPerOperation is the most cases planned per operation when
// Options.MaxCasesPerOperation is 0: examples, synthesized and basic negative cases come
// first, then the constraint negatives, then the edge positives.
const DefaultMaxCasesPerOperation = 40

// constraintCase is one value that breaks one keyword of a schema, or sits on its edge.
type constraintCase struct {
	keyword string
	value   any
}

// violations returns, for each constraint keyword of s, one value breaking it (Schemathesis'
// boundary negatives). Values are fixed, not random, so the plan is the same for every seed.
// A value may break other keywords too; the case is named after the one it targets.
func violations(s *openapi3.Schema) []constraintCase {
	var out []constraintCase
	switch {
	case s.Type.Is("string"):
		if s.MaxLength != nil && *s.MaxLength < 1<<16 {
			out = append(out, constraintCase{"maxLength", strings.Repeat("x", int(*s.MaxLength)+1)})
		}
		if s.MinLength > 0 && s.MinLength < 1<<16 {
			out = append(out, constraintCase{"minLength", strings.Repeat("x", int(s.MinLength)-1)})
		}
		if s.Pattern != "" {
			out = append(out, constraintCase{"pattern", "hookkit ✗ does-not-match"})
		}
		if len(s.Enum) > 0 {
			out = append(out, constraintCase{"enum", "hookkit-not-in-enum"})
		}
		if s.Format != "" {
			out = append(out, constraintCase{"format", "not a " + s.Format})
		}
	case s.Type.Is("integer") || s.Type.Is("number"):
		step := 1.0
		if s.Type.Is("number") {
			step = 0.5
		}
		if s.Max != nil && *s.Max < 1e15 {
			out = append(out, constraintCase{"maximum", *s.Max + step})
		}
		if v := s.ExclusiveMax.Value; v != nil && *v < 1e15 {
			out = append(out, constraintCase{"exclusiveMaximum", *v})
		}
		if s.Min != nil && *s.Min > -1e15 {
			out = append(out, constraintCase{"minimum", *s.Min - step})
		}
		if v := s.ExclusiveMin.Value; v != nil && *v > -1e15 {
			out = append(out, constraintCase{"exclusiveMinimum", *v})
		}
		if len(s.Enum) > 0 {
			biggest := 0.0
			for _, e := range s.Enum {
				if f, ok := e.(float64); ok {
					biggest = math.Max(biggest, f)
				}
			}
			out = append(out, constraintCase{"enum", biggest + 1})
		}
	case s.Type.Is("array"):
		if s.MaxItems != nil && *s.MaxItems < 1000 {
			items := make([]any, int(*s.MaxItems)+1)
			for i := range items {
				items[i] = "x"
			}
			out = append(out, constraintCase{"maxItems", items})
		}
		if s.MinItems > 0 {
			out = append(out, constraintCase{"minItems", []any{}})
		}
	}
	return out
}

// edges returns values on the edges of s a server must accept: strings of exactly
// minLength and maxLength characters, numbers at minimum and maximum, and every enum value
// (at most maxEnumEdges). Each is kept only when the document accepts the whole request.
func edges(s *openapi3.Schema) []constraintCase {
	var out []constraintCase
	switch {
	case len(s.Enum) > 0:
		for i, e := range s.Enum {
			if i == maxEnumEdges {
				break
			}
			if e != nil {
				out = append(out, constraintCase{"enum-" + slug(fmt.Sprint(e)), e})
			}
		}
	case s.Type.Is("string") && s.Pattern == "" && s.Format == "":
		if s.MinLength > 0 && s.MinLength < 1<<16 {
			out = append(out, constraintCase{"minLength", strings.Repeat("a", int(s.MinLength))})
		}
		if s.MaxLength != nil && *s.MaxLength > 0 && *s.MaxLength < 1<<16 {
			out = append(out, constraintCase{"maxLength", strings.Repeat("z", int(*s.MaxLength))})
		}
	case s.Type.Is("integer") || s.Type.Is("number"):
		if s.Min != nil && *s.Min > -1e15 {
			out = append(out, constraintCase{"minimum", *s.Min})
		}
		if s.Max != nil && *s.Max < 1e15 {
			out = append(out, constraintCase{"maximum", *s.Max})
		}
	}
	return out
}

// maxEnumEdges is the most enum values sent as edge positives per property.
const maxEnumEdges = 5

// strictNegatives plans Schemathesis-style negatives from the first positive case: each
// constraint keyword of each top-level body property and query parameter broken in turn,
// an extra property where additionalProperties is false, and each readOnly property sent.
func (p *planner) strictNegatives(pos Case, mediaType string, mt *openapi3.MediaType, body any, add func(slug, name string, mutate func(c *Case))) {
	op := pos.op
	for _, ref := range op.Parameters() {
		prm := ref.Value
		if prm.In != "query" || prm.Schema == nil || prm.Schema.Value == nil {
			continue
		}
		name := prm.Name
		for _, v := range violations(prm.Schema.Value) {
			val := v.value
			add("query-"+slug(name)+"-"+slug(v.keyword), fmt.Sprintf("query parameter %s breaking %s", name, v.keyword), func(c *Case) {
				delQuery(c.Query, name)
				styledQuery(c.Query, prm, val)
			})
		}
	}
	obj, ok := body.(map[string]any)
	if !ok || !openapi.IsJSON(mediaType) || mt.Schema == nil || mt.Schema.Value == nil {
		return
	}
	s := mt.Schema.Value
	for _, field := range slices.Sorted(maps.Keys(s.Properties)) {
		ps := s.Properties[field]
		if ps == nil || ps.Value == nil {
			continue
		}
		if ps.Value.ReadOnly {
			v, err := p.doc.Synthesize(ps, openapi.SynthOptions{Direction: openapi.Response})
			if err == nil {
				add("readonly-"+slug(field), "readOnly body field "+field+" sent", func(c *Case) { c.Body = withField(obj, field, v, false) })
			}
			continue
		}
		for _, v := range violations(ps.Value) {
			val := v.value
			add("body-"+slug(field)+"-"+slug(v.keyword), fmt.Sprintf("body field %s breaking %s", field, v.keyword), func(c *Case) {
				c.Body = withField(obj, field, val, false)
			})
		}
	}
	if ap := s.AdditionalProperties; ap.Has != nil && !*ap.Has {
		extra := "hookkit_extra"
		for s.Properties[extra] != nil {
			extra += "_"
		}
		add("additional-property", "body with a property additionalProperties: false forbids", func(c *Case) {
			c.Body = withField(obj, extra, "x", false)
		})
	}
}

// edgePositives plans valid requests with values on the edges of each top-level body
// property's constraints, and one per oneOf branch of a property; each is kept only when
// the document accepts it.
func (p *planner) edgePositives(pos Case, mediaType string, mt *openapi3.MediaType, body any) []Case {
	obj, ok := body.(map[string]any)
	if !ok || !openapi.IsJSON(mediaType) || mt.Schema == nil || mt.Schema.Value == nil {
		return nil
	}
	var out []Case
	try := func(field, idPart, name string, v any) {
		c := pos.clone()
		c.Kind, c.Name = Positive, fmt.Sprintf("body field %s %s", field, name)
		c.ID = pos.op.ID + "/positive/edge-" + slug(field) + "-" + idPart
		c.Body = withField(obj, field, v, false)
		if _, rejected := p.rejects(c); !rejected {
			out = append(out, c)
		}
	}
	s := mt.Schema.Value
	for _, field := range slices.Sorted(maps.Keys(s.Properties)) {
		ps := s.Properties[field]
		if ps == nil || ps.Value == nil || ps.Value.ReadOnly {
			continue
		}
		// Each oneOf branch of the property, synthesized on its own.
		for i, b := range ps.Value.OneOf {
			if v, err := p.doc.Synthesize(b, openapi.SynthOptions{Direction: openapi.Request}); err == nil {
				try(field, fmt.Sprintf("oneof-%d", i), fmt.Sprintf("as oneOf branch %d", i), v)
			}
		}
		for _, e := range edges(ps.Value) {
			try(field, slug(e.keyword), "at its "+e.keyword, e.value)
		}
	}
	return out
}

// undeclaredMethod plans, once per path, a request with a method the path does not
// declare: the server must refuse it with 405 and an Allow header, or a declared 4xx.
func (p *planner) undeclaredMethod(pos Case) (Case, bool) {
	item := pos.op.PathItem
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete, http.MethodPatch, http.MethodHead, http.MethodOptions, http.MethodTrace} {
		if item.GetOperation(m) != nil {
			allow = append(allow, m)
		}
	}
	for _, m := range []string{http.MethodDelete, http.MethodPatch, http.MethodPut, http.MethodPost, http.MethodGet} {
		if item.GetOperation(m) != nil {
			continue
		}
		c := pos.clone()
		c.Kind, c.Method, c.Body = Negative, m, nil
		c.Header.Del("Content-Type")
		c.ID = pos.op.ID + "/negative/undeclared-method-" + strings.ToLower(m)
		c.Name = fmt.Sprintf("method %s, which %s does not declare", m, pos.op.Path)
		c.allow = allow
		// A static path beside a template (/services/usecases and /services/{sid}) may
		// route the method to another operation: then it is not undeclared at all.
		if req, err := c.request(context.Background(), "http://checker.invalid", credentials{doc: p.doc}); err != nil {
			continue
		} else if _, err := p.doc.Find(m, req.URL.EscapedPath()); err == nil {
			continue
		}
		return c, true
	}
	return Case{}, false
}

// judgeUndeclaredMethod judges the answer to an undeclared method: 405 with an Allow
// header naming every declared method, or a 4xx some operation of the path declares.
func judgeUndeclaredMethod(res *Result, c Case) {
	ex := res.Exchange
	status := ex.Response.Status
	switch {
	case status == http.StatusMethodNotAllowed:
		got := map[string]bool{}
		for _, v := range ex.Response.Header.Values("Allow") {
			for _, m := range strings.Split(v, ",") {
				got[strings.ToUpper(strings.TrimSpace(m))] = true
			}
		}
		var missing []string
		for _, m := range c.allow {
			if !got[m] {
				missing = append(missing, m)
			}
		}
		if len(missing) > 0 {
			res.Failures = append(res.Failures, Finding{Check: Headers, In: "header", Name: "Allow",
				Message: fmt.Sprintf("405 without the declared methods %s in Allow", strings.Join(missing, ", "))})
		}
	case status >= 400 && status <= 499:
		if !pathDeclares(c.op.PathItem, status) {
			res.Failures = append(res.Failures, Finding{Check: StatusDeclared, In: "status", Name: fmt.Sprint(status),
				Message: fmt.Sprintf("answered %d to an undeclared method; want 405 with Allow, or a 4xx the path declares", status)})
		}
	default:
		if status >= 500 {
			res.Failures = append(res.Failures, Finding{Check: NoServerError, In: "status", Name: fmt.Sprint(status),
				Message: fmt.Sprintf("answered %d to an undeclared method", status)})
		}
		res.Failures = append(res.Failures, Finding{Check: NegativeRejected, In: "status", Name: fmt.Sprint(status),
			Message: fmt.Sprintf("answered %d to %s; want 405 with Allow", status, c.Name)})
	}
}

// pathDeclares reports whether some operation of the path declares status (exactly, by
// range or by default).
func pathDeclares(item *openapi3.PathItem, status int) bool {
	for _, op := range item.Operations() {
		if _, ok := openapi.ResponseKey(op, status); ok {
			return true
		}
	}
	return false
}

// capCases keeps at most max cases of one operation, in the order planned.
func capCases(cases []Case, max int) []Case {
	if max > 0 && len(cases) > max {
		return cases[:max]
	}
	return cases
}
