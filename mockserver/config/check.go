package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/openapi"
)

// CheckAgainst checks the rules against the document the mock serves, so a typo in a
// config fails at load instead of silently never matching, and a rule cannot make the mock
// break the contract it stands for:
//   - operation names an operationId of the document; method and path name an operation
//     (path as a template, or a concrete path that routes to one);
//   - pathParams name parameters of that path;
//   - fixed statuses are declared for the operation (a fault that always fires is exempt:
//     faults are meant to break the contract);
//   - bodies without templates are valid against the schema declared for their status and
//     content type.
//
// Every problem is an [*Error] with the file and line, joined with [errors.Join].
func (c *Config) CheckAgainst(doc *openapi.Document) error {
	errs := c.checkState(doc)
	for i, r := range c.Rules {
		if r == nil {
			continue
		}
		for _, e := range r.checkAgainst(doc) {
			errs = append(errs, &Error{File: c.File, Line: e.line, Code: CodeAgainstDocument, Msg: fmt.Sprintf("rule %q: %s", c.RuleName(i), e.msg)})
		}
	}
	return errors.Join(errs...)
}

func (r *Rule) checkAgainst(doc *openapi.Document) []lineErr {
	var errs []lineErr
	add := func(line int, format string, args ...any) {
		if line == 0 {
			line = r.Line
		}
		errs = append(errs, lineErr{line, fmt.Sprintf(format, args...)})
	}
	m := &r.Match
	ops, restricted := doc.Operations, false
	if m.Operation != "" {
		op, ok := doc.Operation(m.Operation)
		if !ok {
			add(m.Line, "match.operation %q is not an operation of %s (operations: %s)", m.Operation, doc.Source, strings.Join(operationIDs(doc), ", "))
			return errs
		}
		ops, restricted = []*openapi.Operation{op}, true
	}
	method := strings.ToUpper(m.Method)
	if method != "" || m.Path != "" {
		var kept []*openapi.Operation
		for _, op := range ops {
			if (method == "" || method == op.Method) && (m.Path == "" || pathNames(doc, op, m.Path)) {
				kept = append(kept, op)
			}
		}
		if len(kept) == 0 {
			what := strings.TrimSpace(method + " " + m.Path)
			if m.Operation != "" {
				add(m.Line, "match.operation %s is not at %s", m.Operation, what)
			} else {
				add(m.Line, "no operation of %s is at %s", doc.Source, what)
			}
			return errs
		}
		ops, restricted = kept, true
	}
	if len(m.PathParams) > 0 {
		for _, name := range slices.Sorted(maps.Keys(m.PathParams)) {
			found := false
			for _, op := range ops {
				found = found || strings.Contains(op.Path, "{"+name+"}")
			}
			if !found {
				add(lineOf(m.PathParams[name], m.Line), "match.pathParams.%s is not a path parameter of the matched operations", name)
			}
		}
	}
	if !restricted {
		// A rule for every operation: statuses and bodies cannot be checked against one.
		return errs
	}
	for _, resp := range r.responses() {
		if resp == nil {
			continue
		}
		for _, op := range ops {
			errs = append(errs, resp.checkAgainst(doc, op)...)
		}
	}
	return errs
}

func lineOf(m *Matcher, def int) int {
	if m != nil && m.Line > 0 {
		return m.Line
	}
	return def
}

// pathNames reports whether path is op's template or a concrete path that routes to op.
func pathNames(doc *openapi.Document, op *openapi.Operation, path string) bool {
	if path == op.Path {
		return true
	}
	match, err := doc.Find(op.Method, path)
	return err == nil && match.Operation == op
}

func (resp *Response) checkAgainst(doc *openapi.Document, op *openapi.Operation) []lineErr {
	if resp.Status.Template != "" {
		return nil
	}
	if f := resp.Fault; f != nil && f.Probability >= 1 && f.Type != FaultMalformed {
		return nil
	}
	line := resp.Status.Line
	if line == 0 {
		line = resp.Line
	}
	code := resp.StatusCode()
	declared := openapi.ResponseFor(op.Operation, code)
	if declared == nil {
		return []lineErr{{line, fmt.Sprintf("status %d is not declared for %s (declared: %s)", code, op.ID, strings.Join(declaredStatuses(op), ", "))}}
	}
	if (resp.Body == nil && resp.BodyText == nil) || len(declared.Content) == 0 {
		return nil
	}
	ct := resp.contentType()
	mt := declared.Content.Get(ct)
	if mt == nil {
		return []lineErr{{resp.Line, fmt.Sprintf("content type %s is not declared for status %d of %s", ct, code, op.ID)}}
	}
	if mt.Schema == nil || mt.Schema.Value == nil {
		return nil
	}
	lines, holes := map[string]int{}, map[string]bool{}
	var v any
	switch {
	case resp.Body != nil:
		body, _ := compileBody(resp.Body) // its problems are Validate's
		v = body.value("", lines, holes)
	case strings.Contains(*resp.BodyText, "{{") || !openapi.IsJSON(ct):
		return nil // known per request only, or not JSON: nothing to check now
	default:
		lines[""] = resp.Line
		if err := json.Unmarshal([]byte(*resp.BodyText), &v); err != nil {
			return []lineErr{{resp.Line, fmt.Sprintf("bodyText is not valid JSON, but its content type is %s: %v", ct, err)}}
		}
	}
	err := doc.ValidateValue(mt.Schema.Value, v)
	if err == nil {
		return nil
	}
	var out []lineErr
	for _, is := range schemaIssues(err) {
		if holes[is.ptr] && is.field != "type" {
			// A template's value is only known per request; that it renders a string
			// (its type) is known now.
			continue
		}
		msg := is.msg
		if holes[is.ptr] {
			msg += " (a template always renders a string)"
		}
		out = append(out, lineErr{lineFor(lines, is.ptr), fmt.Sprintf("body does not match the schema of status %d of %s: %s", code, op.ID, msg)})
	}
	return out
}

// lineFor returns the line of the value at ptr, or of its nearest enclosing value (a
// missing property is reported at its object).
func lineFor(lines map[string]int, ptr string) int {
	for {
		if l, ok := lines[ptr]; ok {
			return l
		}
		i := strings.LastIndexByte(ptr, '/')
		if i < 0 {
			return lines[""]
		}
		ptr = ptr[:i]
	}
}

// StatusCode returns the fixed status of the response (200 when not set), or 0 when a
// template computes it.
func (resp *Response) StatusCode() int {
	switch {
	case resp.Status.Template != "":
		return 0
	case resp.Status.Code == 0:
		return http.StatusOK
	}
	return resp.Status.Code
}

func (resp *Response) contentType() string {
	for k, v := range resp.Headers {
		if strings.EqualFold(k, "Content-Type") {
			return v
		}
	}
	switch {
	case resp.ContentType != "":
		return resp.ContentType
	case resp.BodyText != nil:
		return "text/plain; charset=utf-8"
	}
	return "application/json"
}

func declaredStatuses(op *openapi.Operation) []string {
	if op.Operation.Responses == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(op.Operation.Responses.Map()))
}

func operationIDs(doc *openapi.Document) []string {
	ids := make([]string, len(doc.Operations))
	for i, op := range doc.Operations {
		ids[i] = op.ID
	}
	return ids
}

// schemaIssue is one schema violation of a body: where, which schema keyword, and a
// message without the schema dump kin-openapi's Error() includes.
type schemaIssue struct {
	ptr, field, msg string
}

func schemaIssues(err error) []schemaIssue {
	var out []schemaIssue
	var walk func(error)
	walk = func(e error) {
		var me openapi3.MultiError
		if errors.As(e, &me) {
			for _, sub := range me {
				walk(sub)
			}
			return
		}
		var se *openapi3.SchemaError
		if errors.As(e, &se) {
			ptr := openapi.Pointer(se.JSONPointer())
			shown := ptr
			if shown == "" {
				shown = "/"
			}
			out = append(out, schemaIssue{ptr: ptr, field: se.SchemaField, msg: fmt.Sprintf("field %s: %s", shown, se.Reason)})
			return
		}
		out = append(out, schemaIssue{msg: e.Error()})
	}
	walk(err)
	return out
}
