package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// reqSpec is a request to build afresh for each validator, so neither sees what the other
// did to it.
type reqSpec struct {
	op      *Operation
	path    map[string]string
	query   url.Values
	header  http.Header
	cookies map[string]string
	body    []byte
}

func (s reqSpec) clone() reqSpec {
	c := s
	c.path = maps.Clone(s.path)
	c.query = url.Values{}
	for k, v := range s.query {
		c.query[k] = slices.Clone(v)
	}
	c.header = s.header.Clone()
	c.cookies = maps.Clone(s.cookies)
	c.body = slices.Clone(s.body)
	return c
}

// request builds the request and routes it; ok is false when the path does not route to
// the operation (a value the router cannot carry).
func (s reqSpec) request(t testing.TB, d *Document) (*http.Request, *Match, bool) {
	t.Helper()
	segs := splitPath(s.op.Path)
	for i, seg := range segs {
		open := strings.IndexByte(seg, '{')
		if open < 0 {
			continue
		}
		end := open + strings.IndexByte(seg[open:], '}')
		segs[i] = seg[:open] + url.PathEscape(s.path[seg[open+1:end]]) + seg[end+1:]
	}
	p := "/" + strings.Join(segs, "/")
	m, err := d.Find(s.op.Method, p)
	if err != nil || m.Operation != s.op {
		return nil, nil, false
	}
	target := "http://mock" + p
	if len(s.query) > 0 {
		target += "?" + s.query.Encode()
	}
	r, err := http.NewRequest(s.op.Method, target, bytes.NewReader(s.body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header = s.header.Clone()
	names := slices.Sorted(maps.Keys(s.cookies))
	for _, name := range names {
		r.AddCookie(&http.Cookie{Name: name, Value: s.cookies[name], Quoted: false})
	}
	return r, m, true
}

// verdicts returns the fast plan's verdict and kin-openapi's, each on its own request.
func verdicts(t testing.TB, d *Document, s reqSpec) (fast verdict, kinValid, ok bool) {
	t.Helper()
	c, ok := compare(t, d, s)
	return c.fast, len(c.kin) == 0, ok
}

// comparison is what the fast path and kin-openapi say about one request.
type comparison struct {
	fast      verdict
	fastProbs Problems // the fast path's problems; nil when it names none
	kin       Problems
}

// claims reports whether the fast path answers on its own: valid, or invalid with problems.
func (c comparison) claims() bool {
	return c.fast == verdictValid || (c.fast == verdictInvalid && c.fastProbs != nil)
}

// agrees reports whether a claim of the fast path is exactly kin-openapi's answer.
func (c comparison) agrees() bool {
	if c.fast == verdictValid {
		return len(c.kin) == 0
	}
	return reflect.DeepEqual(c.fastProbs, c.kin)
}

// compare runs the fast path (verdict and problems) and kin-openapi, each on its own request.
func compare(t testing.TB, d *Document, s reqSpec) (comparison, bool) {
	t.Helper()
	r1, m1, ok := s.request(t, d)
	if !ok {
		return comparison{}, false
	}
	var c comparison
	c.fast = d.fastVerdict(r1, m1, s.body)
	r1, m1, _ = s.request(t, d)
	v, ps := d.fastProblems(r1, m1, s.body)
	if v != c.fast {
		t.Errorf("fastProblems says %s, fastVerdict %s", v, c.fast)
	}
	if v != verdictInvalid && ps != nil {
		t.Errorf("fastProblems names problems %v with verdict %s", ps, v)
	}
	c.fastProbs = ps
	r2, m2, _ := s.request(t, d)
	c.kin = d.validateRequestKin(context.Background(), r2, m2, s.body)
	return c, true
}

// paramString renders a synthesized parameter value as it travels in a URL or header.
func paramString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// baseRequests returns requests built from synthesized values and the body's examples.
func baseRequests(t testing.TB, d *Document, op *Operation) []reqSpec {
	t.Helper()
	var out []reqSpec
	for seed := uint64(0); seed < 3; seed++ {
		s := reqSpec{op: op, path: map[string]string{}, query: url.Values{}, header: http.Header{}, cookies: map[string]string{}}
		for _, ref := range op.Parameters() {
			p := ref.Value
			if p.Schema == nil || (!p.Required && seed == 2) {
				continue
			}
			v, err := d.Synthesize(p.Schema, SynthOptions{Seed: seed, Direction: Request})
			if err != nil {
				continue
			}
			switch p.In {
			case "path":
				s.path[p.Name] = paramString(v)
			case "query":
				if a, ok := v.([]any); ok {
					for _, e := range a {
						s.query.Add(p.Name, paramString(e))
					}
				} else {
					s.query.Set(p.Name, paramString(v))
				}
			case "header":
				s.header.Set(p.Name, paramString(v))
			case "cookie":
				s.cookies[p.Name] = paramString(v)
			}
		}
		addCredentials(d, op, s)
		var bodies [][]byte
		if rb := op.Operation.RequestBody; rb != nil && rb.Value != nil {
			for _, ct := range slices.Sorted(maps.Keys(rb.Value.Content)) {
				mt := rb.Value.Content[ct]
				if mt.Schema == nil {
					continue
				}
				if strings.Contains(ct, "*") {
					ct = "application/json"
				}
				s.header.Set("Content-Type", ct)
				if v, err := d.Synthesize(mt.Schema, SynthOptions{Seed: seed, Direction: Request, AllOptional: seed == 1}); err == nil {
					b, _ := json.Marshal(v)
					bodies = append(bodies, b)
				}
				if seed == 0 {
					for _, name := range slices.Sorted(maps.Keys(mt.Examples)) {
						if ex := mt.Examples[name]; ex != nil && ex.Value != nil {
							b, _ := json.Marshal(ex.Value.Value)
							bodies = append(bodies, b)
						}
					}
					if mt.Example != nil {
						b, _ := json.Marshal(mt.Example)
						bodies = append(bodies, b)
					}
				}
				break
			}
		}
		if len(bodies) == 0 {
			out = append(out, s)
		}
		for _, b := range bodies {
			c := s.clone()
			c.body = b
			out = append(out, c)
		}
	}
	return out
}

// addCredentials satisfies the first security requirement of op.
func addCredentials(d *Document, op *Operation, s reqSpec) {
	security := op.Operation.Security
	if security == nil {
		security = &d.T.Security
	}
	if len(*security) == 0 {
		return
	}
	for name := range (*security)[0] {
		ref := d.T.Components.SecuritySchemes[name]
		if ref == nil {
			continue
		}
		sc := ref.Value
		switch sc.Type {
		case "apiKey":
			switch sc.In {
			case "header":
				s.header.Set(sc.Name, "tok-1")
			case "query":
				s.query.Set(sc.Name, "tok-1")
			case "cookie":
				s.cookies[sc.Name] = "tok-1"
			}
		case "http":
			scheme := sc.Scheme
			if scheme == "" {
				scheme = "Bearer"
			}
			s.header.Set("Authorization", scheme+" tok-1")
		case "oauth2", "openIdConnect":
			s.header.Set("Authorization", "Bearer tok-1")
		}
	}
}

// mutations derives invalid (and some still valid) requests from a valid one.
func mutations(d *Document, base reqSpec) []reqSpec {
	muts := mutators(d, base)
	out := make([]reqSpec, 0, 2*len(muts))
	for _, f := range muts {
		c := base.clone()
		f(&c)
		out = append(out, c)
	}
	// Pairs and triples of mutations, so that problems of several places meet and their
	// order is compared too. The partners are picked by a fixed stride through the list.
	for i, f := range muts {
		c := base.clone()
		f(&c)
		muts[(i*7919+13)%len(muts)](&c)
		if i%3 == 0 {
			muts[(i*104729+7)%len(muts)](&c)
		}
		out = append(out, c)
	}
	return out
}

// mutators returns the single changes mutations applies to a valid request.
func mutators(d *Document, base reqSpec) []func(*reqSpec) {
	var out []func(*reqSpec)
	mut := func(f func(*reqSpec)) { out = append(out, f) }
	odd := []string{"", " ", "abc", "12", "-1", "0", "1.5", "1e3", "true", "TRUE", "null", strings.Repeat("x", 300), "a/b", "ü", "2026-01-02", "not a uri", "https://example.com/x", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b"}
	for _, ref := range base.op.Parameters() {
		p := ref.Value
		switch p.In {
		case "path":
			for _, v := range odd {
				if v != "" {
					mut(func(c *reqSpec) { c.path[p.Name] = v })
				}
			}
		case "query":
			mut(func(c *reqSpec) { c.query.Del(p.Name) })
			for _, v := range []string{"zz", "", "1", "a-b"} {
				mut(func(c *reqSpec) { c.query.Add(p.Name, v) })
			}
			if vs := base.query[p.Name]; len(vs) > 0 {
				mut(func(c *reqSpec) { c.query.Add(p.Name, vs[0]) })
				mut(func(c *reqSpec) { c.query.Set(p.Name, strings.Join(vs, ",")) })
			}
			for _, v := range odd {
				mut(func(c *reqSpec) { c.query.Set(p.Name, v) })
			}
		case "header":
			mut(func(c *reqSpec) { c.header.Del(p.Name) })
			for _, v := range odd {
				mut(func(c *reqSpec) { c.header.Set(p.Name, v) })
			}
		case "cookie":
			mut(func(c *reqSpec) { delete(c.cookies, p.Name) })
			for _, v := range odd {
				mut(func(c *reqSpec) { c.cookies[p.Name] = v })
			}
		}
	}
	if d.T.Components != nil {
		for _, name := range slices.Sorted(maps.Keys(d.T.Components.SecuritySchemes)) {
			sc := d.T.Components.SecuritySchemes[name].Value
			switch sc.In {
			case "header":
				mut(func(c *reqSpec) { c.header.Del(sc.Name) })
				mut(func(c *reqSpec) { c.header.Set(sc.Name, " \t") })
			case "query":
				mut(func(c *reqSpec) { c.query.Del(sc.Name) })
				mut(func(c *reqSpec) { c.query.Set(sc.Name, " ") })
			case "cookie":
				mut(func(c *reqSpec) { delete(c.cookies, sc.Name) })
			}
		}
	}
	for _, v := range []string{"", "Bearer", "Bearer ", "bearer tok", "Basic tok", "Token tok"} {
		mut(func(c *reqSpec) {
			if v == "" {
				c.header.Del("Authorization")
			} else {
				c.header.Set("Authorization", v)
			}
		})
	}
	for _, ct := range []string{"", "text/plain", "application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/json;", "application/merge-patch+json", "application/problem+json", "application/xml", "application/*", "multipart/form-data", "application/x-www-form-urlencoded", "json"} {
		mut(func(c *reqSpec) {
			if ct == "" {
				c.header.Del("Content-Type")
			} else {
				c.header.Set("Content-Type", ct)
			}
		})
	}
	for _, b := range []string{"", "null", "[]", "{}", `{"a":1`, "\xff\xfe", strings.Repeat("[", 70) + strings.Repeat("]", 70), `"x"`, "1", "true", ` {} `} {
		mut(func(c *reqSpec) { c.body = []byte(b) })
	}
	var v any
	if len(base.body) > 0 && json.Unmarshal(base.body, &v) == nil {
		for _, body := range bodyMutations(v) {
			mut(func(c *reqSpec) { c.body = body })
		}
	}
	return out
}

// bodyMutations replaces, removes and adds values at every place of a JSON value.
func bodyMutations(root any) [][]byte {
	replacements := []any{nil, true, false, 0.0, -1.0, 1.5, 3.0, 101.0, json.Number("1e400"), json.Number("12345678901234567890"), "", "x", "ab", strings.Repeat("y", 3000), "not a uri", "https://example.com/x", "2026-13-45", "2026-01-02", "a@b.example", "ftp://x", []any{}, []any{"a", "a"}, map[string]any{}, map[string]any{"k": "v"}}
	var out [][]byte
	emit := func() {
		b, err := json.Marshal(root)
		if err == nil {
			out = append(out, b)
		}
	}
	var walk func(v any, set func(any), depth int)
	walk = func(v any, set func(any), depth int) {
		if depth > 5 {
			return
		}
		for _, r := range replacements {
			set(r)
			emit()
		}
		set(v)
		switch v := v.(type) {
		case map[string]any:
			v["zz_extra"] = "x"
			emit()
			delete(v, "zz_extra")
			for _, k := range slices.Sorted(maps.Keys(v)) {
				old := v[k]
				delete(v, k)
				emit()
				v[k] = old
				walk(old, func(n any) { v[k] = n }, depth+1)
				v[k] = old
			}
		case []any:
			if len(v) > 0 {
				set(append(slices.Clone(v), v[0]))
				emit()
				set(append(slices.Clone(v), slices.Repeat([]any{v[0]}, 20)...))
				emit()
				set(v)
			}
			for i := range v {
				old := v[i]
				walk(old, func(n any) { v[i] = n }, depth+1)
				v[i] = old
			}
		}
	}
	walk(root, func(n any) { root = n }, 0)
	return out
}

func corpusDocuments(t testing.TB) []*Document {
	t.Helper()
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	docs := []*Document{d}
	files, err := filepath.Glob("../mockserver/testdata/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no documents in ../mockserver/testdata")
	}
	for _, f := range files {
		d, err := Load(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		docs = append(docs, d)
	}
	return docs
}

// TestFastPathAgreesWithKin compares the fast plans' verdicts with kin-openapi's over valid
// requests of every operation of the test documents and many mutations of them.
func TestFastPathAgreesWithKin(t *testing.T) {
	t.Parallel()
	planned, decidedValid, decidedInvalid, named := 0, 0, 0, 0
	for _, d := range corpusDocuments(t) {
		for _, op := range d.Operations {
			if op.plan == nil {
				t.Logf("%s %s: no fast plan", d.Source, op.ID)
				continue
			}
			planned++
			for _, base := range baseRequests(t, d, op) {
				fast, kinValid, ok := verdicts(t, d, base)
				if !ok {
					continue
				}
				if !kinValid {
					t.Logf("%s %s: synthesized request is invalid for kin-openapi", d.Source, op.ID)
				}
				if fast != verdictUnknown && (fast == verdictValid) != kinValid {
					t.Errorf("%s %s: base request: fast %s, kin valid=%v; body %s", d.Source, op.ID, fast, kinValid, base.body)
				}
				if c, _ := compare(t, d, base); c.claims() && !c.agrees() {
					t.Errorf("%s %s: base request: fast %v, kin %v; body %s", d.Source, op.ID, c.fastProbs, c.kin, base.body)
				}
				for i, s := range mutations(d, base) {
					c, ok := compare(t, d, s)
					if !ok || c.fast == verdictUnknown {
						continue
					}
					if c.fast == verdictValid {
						decidedValid++
					} else {
						decidedInvalid++
					}
					if (c.fast == verdictValid) != (len(c.kin) == 0) {
						t.Errorf("%s %s: mutation %d: fast %s, kin %v\npath %v query %v header %v cookies %v\nbody %.300s",
							d.Source, op.ID, i, c.fast, c.kin, s.path, s.query, s.header, s.cookies, s.body)
						continue
					}
					if !c.claims() {
						continue
					}
					if c.fast == verdictInvalid {
						named++
					}
					if !c.agrees() {
						t.Errorf("%s %s: mutation %d: problems differ\nfast %#v\nkin  %#v\npath %v query %v header %v cookies %v\nbody %.300s",
							d.Source, op.ID, i, c.fastProbs, c.kin, s.path, s.query, s.header, s.cookies, s.body)
					}
				}
			}
		}
	}
	t.Logf("%d operations with plans; fast verdicts: %d valid, %d invalid, of which %d with problems named", planned, decidedValid, decidedInvalid, named)
	if planned < 5 || decidedValid < 100 || decidedInvalid < 1000 || named < 1000 {
		t.Errorf("too little compared: %d plans, %d valid, %d invalid verdicts, %d named", planned, decidedValid, decidedInvalid, named)
	}
}

func TestHookOperationHasPlan(t *testing.T) {
	t.Parallel()
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	op, ok := d.Operation("createProjectHook")
	if !ok || op.plan == nil {
		t.Fatal("createProjectHook has no fast plan")
	}
}

const keywordDoc = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /t:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
%s
      responses:
        "204": {description: ok}
`

// indent puts a schema written at column 0 under keywordDoc's schema key.
func indent(schema string) string {
	lines := strings.Split(strings.TrimSpace(schema), "\n")
	for i, l := range lines {
		lines[i] = "              " + l
	}
	return strings.Join(lines, "\n")
}

func TestFastPathKeywords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		schema  string
		valid   []string
		invalid []string
	}{
		{"type string", "type: string", []string{`"a"`, `""`}, []string{`1`, `null`, `true`, `[]`, `{}`}},
		{"type integer", "type: integer", []string{`1`, `-3`, `1.0`, `1e2`}, []string{`1.5`, `"1"`, `null`, `1e400`}},
		{"type number", "type: number", []string{`1`, `1.5`, `-0.25e3`}, []string{`"1"`, `true`, `1e400`}},
		{"type boolean", "type: boolean", []string{`true`, `false`}, []string{`0`, `"true"`}},
		{"type array", "type: array\nitems: {}", []string{`[]`, `[1,"a"]`}, []string{`{}`, `"[]"`}},
		{"type object", "type: object", []string{`{}`, `{"a":1}`}, []string{`[]`, `1`}},
		{"nullable", "type: string\nnullable: true", []string{`null`, `"a"`}, []string{`1`}},
		{"empty schema", "{}", []string{`1`, `"a"`, `[]`, `{}`, `1e400`}, []string{`null`}},
		{"no type", "minLength: 2", []string{`"ab"`, `1`, `[]`}, []string{`"a"`, `null`}},
		{"enum", "type: string\nenum: [a, b]", []string{`"a"`, `"b"`}, []string{`"c"`, `1`}},
		{"numeric enum", "type: number\nenum: [1, 2.5]", []string{`1`, `1.0`, `2.5`}, []string{`2`, `"1"`}},
		{"enum with null", "type: string\nnullable: true\nenum: [a, null]", []string{`"a"`, `null`}, []string{`"b"`}},
		{"minLength counts characters", "type: string\nminLength: 2", []string{`"ab"`, `"üü"`, `"😀😀"`}, []string{`"a"`, `"ü"`, `"😀"`, `""`}},
		{"maxLength counts characters", "type: string\nmaxLength: 2", []string{`"ab"`, `"üü"`, `"😀😀"`, `""`}, []string{`"abc"`, `"üüü"`}},
		{"pattern is unanchored", "type: string\npattern: 'b+'", []string{`"abba"`, `"b"`}, []string{`"a"`, `""`}},
		{"pattern anchored", "type: string\npattern: '^[a-z]{2}$'", []string{`"ab"`}, []string{`"abc"`, `"AB"`}},
		{"pattern with \\u escape", "type: string\npattern: '^\\u00E9+$'", []string{`"éé"`}, []string{`"e"`}},
		{"format uri", "type: string\nformat: uri", []string{`"https://example.com/x"`, `"mailto:a@b.c"`}, []string{`"not a uri"`, `"/relative"`, `""`}},
		{"format uri-reference", "type: string\nformat: uri-reference", []string{`"/x?y"`, `"https://a"`}, []string{`"a b"`}},
		{"format email", "type: string\nformat: email", []string{`"a@b.example"`}, []string{`"a"`, `"A <a@b.example>"`}},
		{"format uuid", "type: string\nformat: uuid", []string{`"3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b"`}, []string{`"3f2b8c1e"`}},
		{"format hostname", "type: string\nformat: hostname", []string{`"a.example"`}, []string{`"-a"`, `"a..b"`}},
		{"format ipv4", "type: string\nformat: ipv4", []string{`"10.0.0.1"`}, []string{`"::1"`, `"10.0.0"`}},
		{"format ipv6", "type: string\nformat: ipv6", []string{`"::1"`}, []string{`"10.0.0.1"`}},
		{"format date", "type: string\nformat: date", []string{`"2026-02-28"`}, []string{`"2026-02-30"`, `"2026-1-1"`}},
		{"format date-time", "type: string\nformat: date-time", []string{`"2026-02-28T10:00:00Z"`}, []string{`"2026-02-28"`, `"2026-02-28T25:00:00Z"`}},
		{"format byte", "type: string\nformat: byte", []string{`"aGk="`, `""`}, []string{`"a b"`}},
		{"unknown format passes", "type: string\nformat: color", []string{`"anything"`}, []string{`1`}},
		{"format int32", "type: integer\nformat: int32", []string{`2147483647`, `-2147483648`}, []string{`2147483648`}},
		{"format int64", "type: integer\nformat: int64", []string{`9223372036854775807`, `1`}, []string{`1e19`}},
		{"minimum maximum", "type: number\nminimum: 1\nmaximum: 5", []string{`1`, `5`, `3.5`}, []string{`0.99`, `5.01`}},
		{"exclusive bounds", "type: number\nminimum: 1\nmaximum: 5\nexclusiveMinimum: true\nexclusiveMaximum: true", []string{`1.01`, `4.99`}, []string{`1`, `5`}},
		{"multipleOf", "type: number\nmultipleOf: 0.1", []string{`0.3`, `1`, `0`}, []string{`0.35`}},
		{"integer with everything", "type: integer\nformat: int32\nminimum: 2\nmaximum: 6\nmultipleOf: 2", []string{`2`, `4.0`, `6`}, []string{`1.5`, `3`, `7`, `8`, `2147483648`, `-2147483650.5`, `1e400`, `"2"`}},
		{"number bounds", "type: number\nminimum: 0.5\nmaximum: 1e3\nexclusiveMaximum: true\nformat: double", []string{`0.5`, `999.9`}, []string{`0.25`, `1000`, `1e400`, `-1e308`}},
		{"enum beyond float64", "enum: [1, a]", []string{`1`, `"a"`}, []string{`1e400`, `2`, `null`}},
		{"string beyond float64", "type: string", []string{`""`}, []string{`1e400`, `-1e400`}},
		{"items and counts", "type: array\nminItems: 1\nmaxItems: 2\nitems: {type: integer}", []string{`[1]`, `[1,2]`}, []string{`[]`, `[1,2,3]`, `["a"]`}},
		{"uniqueItems", "type: array\nitems: {}\nuniqueItems: true", []string{`[1,2]`, `[{"a":1},{"a":2}]`}, []string{`[1,1]`, `[{"a":1},{"a":1}]`}},
		{"required", "type: object\nrequired: [a]\nproperties: {a: {type: string}}", []string{`{"a":"x"}`, `{"a":"x","b":1}`}, []string{`{}`, `{"a":1}`, `{"b":"x"}`}},
		{"additionalProperties false", "type: object\nadditionalProperties: false\nproperties: {a: {type: string}}", []string{`{}`, `{"a":"x"}`}, []string{`{"b":1}`}},
		{"additionalProperties schema", "type: object\nadditionalProperties: {type: integer}\nproperties: {a: {type: string}}", []string{`{"a":"x","b":1}`}, []string{`{"b":"x"}`}},
		{"min max properties", "type: object\nminProperties: 1\nmaxProperties: 2", []string{`{"a":1}`, `{"a":1,"b":2}`}, []string{`{}`, `{"a":1,"b":2,"c":3}`}},
		{"readOnly in request", "type: object\nrequired: [id, a]\nproperties: {id: {type: string, readOnly: true}, a: {type: string}}", []string{`{"a":"x"}`}, []string{`{"a":"x","id":"1"}`, `{"id":"1"}`, `{"a":"x","id":null}`}},
		{"readOnly null in request", "type: object\nproperties: {id: {type: string, nullable: true, readOnly: true}}", []string{`{"id":null}`, `{}`}, []string{`{"id":"1"}`}},
		{"nested", "type: object\nproperties:\n  n:\n    type: object\n    required: [x]\n    properties: {x: {type: array, items: {type: string, maxLength: 1}}}", []string{`{"n":{"x":["a"]}}`}, []string{`{"n":{}}`, `{"n":{"x":["ab"]}}`, `{"n":{"x":[1]}}`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, err := Parse([]byte(fmt.Sprintf(keywordDoc, indent(tc.schema))), "keyword.yaml")
			if err != nil {
				t.Fatal(err)
			}
			op, _ := d.Operation("POST /t")
			if op.plan == nil {
				t.Fatal("no fast plan")
			}
			check := func(body string, want bool) {
				t.Helper()
				s := reqSpec{op: op, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(body)}
				c, _ := compare(t, d, s)
				fast, kinValid := c.fast, len(c.kin) == 0
				if c.claims() && !c.agrees() {
					t.Errorf("problems for %s: fast %#v, kin %#v", body, c.fastProbs, c.kin)
				}
				if !want && !c.claims() {
					t.Errorf("the fast path names no problems for %s (kin-openapi: %v)", body, c.kin)
				}
				if kinValid != want {
					t.Errorf("kin-openapi says valid=%v for %s, the table %v", kinValid, body, want)
				}
				if fast == verdictUnknown || (fast == verdictValid) != want {
					t.Errorf("fast path says %s for %s, want valid=%v", fast, body, want)
				}
			}
			for _, b := range tc.valid {
				check(b, true)
			}
			for _, b := range tc.invalid {
				check(b, false)
			}
		})
	}
}

// TestFastPathRefusesUnsupported pins that operations using keywords outside the subset get
// no plan, so kin-openapi decides them.
func TestFastPathRefusesUnsupported(t *testing.T) {
	t.Parallel()
	for name, schema := range map[string]string{
		"oneOf":                "oneOf: [{type: string}, {type: integer}]",
		"anyOf":                "anyOf: [{type: string}, {type: integer}]",
		"allOf":                "allOf: [{type: object}, {required: [a]}]",
		"not":                  "not: {type: string}",
		"nested oneOf":         "type: object\nproperties: {a: {oneOf: [{type: string}, {type: integer}]}}",
		"enum of objects":      "enum: [{a: 1}]",
		"items with anyOf":     "type: array\nitems: {anyOf: [{type: string}]}",
		"additional with not":  "type: object\nadditionalProperties: {not: {type: string}}",
		"recursive with oneOf": "type: object\nproperties: {a: {oneOf: [{type: string}]}}",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d, err := Parse([]byte(fmt.Sprintf(keywordDoc, indent(schema))), "unsupported.yaml")
			if err != nil {
				t.Fatal(err)
			}
			op, _ := d.Operation("POST /t")
			if op.plan == nil {
				return
			}
			s := reqSpec{op: op, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(`{"a":1}`)}
			if fast, _, _ := verdicts(t, d, s); fast != verdictUnknown {
				t.Errorf("the body's schema is outside the subset, yet the fast path says %s", fast)
			}
		})
	}
}

const paramDoc = `openapi: 3.0.3
info: {title: t, version: "1"}
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: key}
    cookieKey: {type: apiKey, in: cookie, name: sid}
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
security:
  - key: []
  - cookieKey: []
    basic: []
paths:
  /t/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int32, minimum: 1}}
        - {name: n, in: query, schema: {type: number, maximum: 10}}
        - {name: flag, in: query, required: true, schema: {type: boolean}}
        - {name: e, in: query, allowEmptyValue: true, schema: {type: string, minLength: 3}}
        - {name: X-Mode, in: header, schema: {type: string, enum: [fast, slow]}}
        - {name: pref, in: cookie, schema: {type: string, pattern: '^[a-z]+$'}}
        - {name: tags, in: query, schema: {type: array, maxItems: 2, uniqueItems: true, items: {type: integer}}}
        - {name: csv, in: query, explode: false, schema: {type: array, items: {type: string, minLength: 2}}}
      responses:
        "204": {description: ok}
  /upload:
    post:
      security: []
      requestBody:
        content:
          text/plain: {}
          application/json: {schema: {type: object}}
      responses:
        "204": {description: ok}
  /open:
    get:
      security: [{}, {bearer: []}]
      responses:
        "204": {description: ok}
`

func TestFastPathParametersAndSecurity(t *testing.T) {
	t.Parallel()
	d, err := Parse([]byte(paramDoc), "params.yaml")
	if err != nil {
		t.Fatal(err)
	}
	op, _ := d.Operation("GET /t/{id}")
	open, _ := d.Operation("GET /open")
	if op.plan == nil || open.plan == nil {
		t.Fatal("no fast plan")
	}
	tests := []struct {
		name    string
		path    string
		query   string
		header  http.Header
		cookies map[string]string
		valid   bool
	}{
		{name: "valid", path: "7", query: "key=k&flag=true", valid: true},
		{name: "all parameters", path: "7", query: "key=k&flag=false&n=9.5&e=abc", header: http.Header{"X-Mode": {"slow"}}, cookies: map[string]string{"pref": "abc"}, valid: true},
		{name: "cookie and basic instead of key", path: "7", query: "flag=1", header: http.Header{"Authorization": {"Basic abc"}}, cookies: map[string]string{"sid": "s"}, valid: true},
		{name: "cookie without basic", path: "7", query: "flag=1", cookies: map[string]string{"sid": "s"}},
		{name: "blank key", path: "7", query: "key=+&flag=true"},
		{name: "no credential", path: "7", query: "flag=true"},
		{name: "id not an integer", path: "x", query: "key=k&flag=true"},
		{name: "id beyond int32", path: "2147483648", query: "key=k&flag=true"},
		{name: "id below minimum", path: "0", query: "key=k&flag=true"},
		{name: "missing required query", path: "7", query: "key=k"},
		{name: "empty boolean", path: "7", query: "key=k&flag="},
		{name: "first non-empty value wins", path: "7", query: "key=k&flag=&flag=true", valid: true},
		{name: "number too large", path: "7", query: "key=k&flag=true&n=11"},
		{name: "number in hex", path: "7", query: "key=k&flag=true&n=0x1"},
		{name: "empty allowed", path: "7", query: "key=k&flag=true&e=", valid: true},
		{name: "too short", path: "7", query: "key=k&flag=true&e=ab"},
		{name: "header not in enum", path: "7", query: "key=k&flag=true", header: http.Header{"X-Mode": {"warp"}}},
		{name: "empty header", path: "7", query: "key=k&flag=true", header: http.Header{"X-Mode": {""}}},
		{name: "query array", path: "7", query: "key=k&flag=true&tags=1&tags=2", valid: true},
		{name: "query array too long", path: "7", query: "key=k&flag=true&tags=1&tags=2&tags=3"},
		{name: "query array not unique", path: "7", query: "key=k&flag=true&tags=1&tags=1"},
		{name: "query array item not an integer", path: "7", query: "key=k&flag=true&tags=x"},
		{name: "query array empty", path: "7", query: "key=k&flag=true&tags="},
		{name: "query array empty first item", path: "7", query: "key=k&flag=true&tags=&tags=1"},
		{name: "comma-separated array", path: "7", query: "key=k&flag=true&csv=ab,cd", valid: true},
		{name: "comma-separated single item", path: "7", query: "key=k&flag=true&csv=ab", valid: true},
		{name: "comma-separated item too short", path: "7", query: "key=k&flag=true&csv=ab,c"},
		{name: "comma-separated empty", path: "7", query: "key=k&flag=true&csv="},
		{name: "comma-separated later values ignored", path: "7", query: "key=k&flag=true&csv=ab&csv=c", valid: true},
		{name: "cookie breaks pattern", path: "7", query: "key=k&flag=true", cookies: map[string]string{"pref": "ABC"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			s := reqSpec{op: op, path: map[string]string{"id": tc.path}, query: q, header: h, cookies: tc.cookies}
			c, ok := compare(t, d, s)
			if !ok {
				t.Fatal("does not route")
			}
			fast, kinValid := c.fast, len(c.kin) == 0
			if c.claims() && !c.agrees() {
				t.Errorf("problems: fast %#v, kin %#v", c.fastProbs, c.kin)
			}
			if kinValid != tc.valid || fast == verdictUnknown || (fast == verdictValid) != tc.valid {
				t.Errorf("fast %s, kin valid=%v, want valid=%v", fast, kinValid, tc.valid)
			}
		})
	}
	upload, _ := d.Operation("POST /upload")
	for _, tc := range []struct {
		ct, body string
		want     verdict
	}{
		{"text/plain", `"hello"`, verdictValid},
		{"application/json", `{}`, verdictValid},
		{"application/json", `[]`, verdictInvalid},
		{"application/xml", `{}`, verdictInvalid},
		{"application/json", ``, verdictValid},
	} {
		s := reqSpec{op: upload, query: url.Values{}, header: http.Header{"Content-Type": {tc.ct}}, body: []byte(tc.body)}
		c, _ := compare(t, d, s)
		if c.claims() && !c.agrees() {
			t.Errorf("upload %s %q: problems: fast %#v, kin %#v", tc.ct, tc.body, c.fastProbs, c.kin)
		}
		fast, kinValid := c.fast, len(c.kin) == 0
		if fast != tc.want || kinValid != (tc.want == verdictValid) {
			t.Errorf("upload %s %q: fast %s, kin valid=%v, want %s", tc.ct, tc.body, fast, kinValid, tc.want)
		}
	}
	for _, auth := range []string{"", "Bearer x", "Basic x"} {
		s := reqSpec{op: open, query: url.Values{}, header: http.Header{}}
		if auth != "" {
			s.header.Set("Authorization", auth)
		}
		if fast, kinValid, _ := verdicts(t, d, s); fast != verdictValid || !kinValid {
			t.Errorf("optional security with Authorization %q: fast %s, kin valid=%v", auth, fast, kinValid)
		}
	}
}

// FuzzFastPathAgreesWithKin feeds arbitrary bodies, content types and tokens to the hook
// operation: whenever the fast path decides, kin-openapi must decide the same.
func FuzzFastPathAgreesWithKin(f *testing.F) {
	d, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	op, _ := d.Operation("createProjectHook")
	base := baseRequests(f, d, op)[0]
	f.Add(base.body, "application/json;charset=utf8", "tok", "auth")
	for _, s := range mutations(d, base) {
		f.Add(s.body, s.header.Get("Content-Type"), s.header.Get("X-Auth-Token"), s.header.Get("X-Repo-Auth"))
	}
	f.Fuzz(func(t *testing.T, body []byte, ct, token, repoAuth string) {
		s := base.clone()
		s.body = body
		for k, v := range map[string]string{"Content-Type": ct, "X-Auth-Token": token, "X-Repo-Auth": repoAuth} {
			if v == "" {
				s.header.Del(k)
			} else {
				s.header[k] = []string{v}
			}
		}
		c, ok := compare(t, d, s)
		if !ok || c.fast == verdictUnknown {
			return
		}
		fast, kinValid := c.fast, len(c.kin) == 0
		if c.claims() && !c.agrees() {
			t.Fatalf("fast path problems %#v, kin-openapi %#v: ct %q token %q auth %q body %q", c.fastProbs, c.kin, ct, token, repoAuth, body)
		}
		if fast == verdictValid && !kinValid {
			t.Fatalf("fast path accepts a request kin-openapi rejects: ct %q token %q auth %q body %q", ct, token, repoAuth, body)
		}
		if fast == verdictInvalid && kinValid {
			t.Fatalf("fast path rejects a request kin-openapi accepts: ct %q token %q auth %q body %q", ct, token, repoAuth, body)
		}
	})
}

func BenchmarkValidateRequestHook(b *testing.B) {
	d, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	m, err := d.Find("POST", hookPath)
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"secret":"hunter2-SECRET","url":"https://example.com/webhook"}`)
	r, err := http.NewRequest("POST", "http://mock"+hookPath, bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json;charset=utf8")
	r.Header.Set("X-Auth-Token", "tok")
	r.Header.Set("X-Repo-Auth", "auth")
	ctx := context.Background()
	for _, bc := range []struct {
		name     string
		validate func() Problems
	}{
		{"fast", func() Problems { return d.ValidateRequest(ctx, r, m, body) }},
		{"kin", func() Problems { return d.validateRequestKin(ctx, r, m, body) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if ps := bc.validate(); ps != nil {
					b.Fatal(ps)
				}
			}
		})
	}
}

// BenchmarkValidateInvalidHook measures invalid hook requests, which the fast path names
// the problems of, against kin-openapi.
func BenchmarkValidateInvalidHook(b *testing.B) {
	d, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	m, err := d.Find("POST", hookPath)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, rc := range []struct {
		name, token string
		body        []byte
		want        string
	}{
		{"missing-token", "", []byte(`{"secret":"hunter2-SECRET","url":"https://example.com/webhook"}`), "header X-Auth-Token is required"},
		{"missing-field", "tok", []byte(`{"url":"https://example.com/webhook"}`), "body field /secret is required"},
	} {
		r, err := http.NewRequest("POST", "http://mock"+hookPath, bytes.NewReader(rc.body))
		if err != nil {
			b.Fatal(err)
		}
		r.Header.Set("Content-Type", "application/json;charset=utf8")
		if rc.token != "" {
			r.Header.Set("X-Auth-Token", rc.token)
		}
		r.Header.Set("X-Repo-Auth", "auth")
		for _, bc := range []struct {
			name     string
			validate func() Problems
		}{
			{"fast", func() Problems { return d.ValidateRequest(ctx, r, m, rc.body) }},
			{"kin", func() Problems { return d.validateRequestKin(ctx, r, m, rc.body) }},
		} {
			b.Run(rc.name+"/"+bc.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if ps := bc.validate(); len(ps) != 1 || ps[0].Message != rc.want {
						b.Fatal(ps)
					}
				}
			})
		}
	}
}

// TestValidateRequestMatchesKin checks ValidateRequest's result, whichever path answers, is
// kin-openapi's for valid and invalid hook requests, problems included.
func TestValidateRequestMatchesKin(t *testing.T) {
	t.Parallel()
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	op, _ := d.Operation("createProjectHook")
	base := baseRequests(t, d, op)[0]
	for i, s := range append([]reqSpec{base}, mutations(d, base)...) {
		r1, m1, ok := s.request(t, d)
		if !ok {
			continue
		}
		got := d.ValidateRequest(context.Background(), r1, m1, s.body)
		r2, m2, _ := s.request(t, d)
		want := d.validateRequestKin(context.Background(), r2, m2, s.body)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("request %d: ValidateRequest %v, kin-openapi %v", i, got, want)
		}
		if r1.ContentLength != int64(len(s.body)) {
			t.Errorf("request %d: ContentLength %d, want %d", i, r1.ContentLength, len(s.body))
		}
	}
}

// TestFastPathNamesHookProblems pins the problems the fast path names for typical invalid
// hook requests without kin-openapi, and that they are kin-openapi's.
func TestFastPathNamesHookProblems(t *testing.T) {
	t.Parallel()
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	op, _ := d.Operation("createProjectHook")
	base := reqSpec{
		op:     op,
		path:   map[string]string{"project_id": "p1", "namespace": "ns", "project": "app"},
		query:  url.Values{},
		header: http.Header{"Content-Type": {"application/json;charset=utf8"}, "X-Auth-Token": {"tok"}, "X-Repo-Auth": {"auth"}},
		body:   []byte(`{"secret":"s","url":"https://example.com/webhook"}`),
	}
	tests := []struct {
		name   string
		change func(*reqSpec)
		want   []string
	}{
		{"missing token", func(s *reqSpec) { s.header.Del("X-Auth-Token") }, []string{"header X-Auth-Token is required"}},
		{"blank token", func(s *reqSpec) { s.header.Set("X-Auth-Token", " ") }, []string{"header X-Auth-Token is required"}},
		{"missing repo auth", func(s *reqSpec) { s.header.Del("X-Repo-Auth") }, []string{"header X-Repo-Auth is required"}},
		{"empty repo auth", func(s *reqSpec) { s.header.Set("X-Repo-Auth", "") }, []string{"header X-Repo-Auth must be at least 1 characters long"}},
		{"project with a slash", func(s *reqSpec) { s.path["project"] = "a/b" }, []string{"path project must match the pattern ^[^/]+$"}},
		{"missing secret", func(s *reqSpec) { s.body = []byte(`{"url":"https://example.com/webhook"}`) }, []string{"body field /secret is required"}},
		{"bad url", func(s *reqSpec) { s.body = []byte(`{"secret":"s","url":"not a uri"}`) }, []string{"body field /url must be a valid uri"}},
		{"wrong types", func(s *reqSpec) { s.body = []byte(`{"secret":1,"url":[]}`) }, []string{"body field /secret must be of type string", "body field /url must be of type string"}},
		{"empty object", func(s *reqSpec) { s.body = []byte(`{}`) }, []string{"body field /secret is required", "body field /url is required"}},
		{"body not an object", func(s *reqSpec) { s.body = []byte(`[]`) }, []string{"body must be of type object"}},
		{"null body", func(s *reqSpec) { s.body = []byte(`null`) }, []string{"body must not be null"}},
		{"no body", func(s *reqSpec) { s.body = nil }, []string{"request body is required"}},
		{"not JSON", func(s *reqSpec) { s.header.Set("Content-Type", "text/plain") }, []string{"header Content-Type must be application/json"}},
		{"no Content-Type", func(s *reqSpec) { s.header.Del("Content-Type") }, []string{"header Content-Type must be application/json"}},
		{"malformed body and no token", func(s *reqSpec) { s.body = []byte(`{"secret":`); s.header.Del("X-Auth-Token") }, []string{"body is not valid JSON: " + jsonSyntaxError([]byte(`{"secret":`)), "header X-Auth-Token is required"}},
		{"everything wrong", func(s *reqSpec) {
			s.header.Del("X-Auth-Token")
			s.header.Del("X-Repo-Auth")
			s.path["project"] = "a/b"
			s.body = []byte(`{"url":"x y","zz":1}`)
		}, []string{"header X-Auth-Token is required", "path project must match the pattern ^[^/]+$", "header X-Repo-Auth is required", "body field /url must be a valid uri", "body field /secret is required"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := base.clone()
			tc.change(&s)
			c, ok := compare(t, d, s)
			if !ok {
				t.Fatal("does not route")
			}
			if c.fast != verdictInvalid || c.fastProbs == nil {
				t.Fatalf("fast path: %s, problems %v; want it to name them", c.fast, c.fastProbs)
			}
			if !c.agrees() {
				t.Errorf("fast %#v\nkin  %#v", c.fastProbs, c.kin)
			}
			var got []string
			for _, p := range c.fastProbs {
				got = append(got, p.Message)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("messages %q, want %q", got, tc.want)
			}
		})
	}
}

// richSchema uses every keyword the fast path names failures for.
const richSchema = `type: object
required: [a, b, c, "a/b~c"]
additionalProperties: false
minProperties: 2
maxProperties: 5
properties:
  a: {type: string, minLength: 3, maxLength: 4, pattern: '^[a-z]+$', format: email}
  b: {type: array, minItems: 1, maxItems: 2, uniqueItems: true, items: {type: integer}}
  c: {type: object, required: [d], properties: {d: {type: string, enum: [x, y]}}, additionalProperties: {type: boolean}}
  id: {type: string, readOnly: true}
  n: {type: integer, minimum: 0, maximum: 9, multipleOf: 3}
  e: {enum: [p, 1, true, null]}
  f: {type: number, nullable: true}
  "a/b~c": {type: boolean}`

// richBodies break richSchema in several places at once.
var richBodies = []string{
	`{"a":"ab","b":[1],"c":{"d":"x"}}`,
	`{"a":"ABCDE","b":[],"c":{}}`,
	`{"a":"abcd","b":[1,1,2],"c":{"d":"z","q":1}}`,
	`{"a":1,"b":"x","c":[]}`,
	`{"a":null,"b":null,"c":null}`,
	`{"b":[1.5,"x",null],"zz":1,"yy":2}`,
	`{"id":"1","a/b~c":"no","n":1.5,"e":"q","f":"x"}`,
	`{"id":null,"n":"1","e":false,"f":null,"a":"","b":[true],"c":{"d":null,"q":"s"}}`,
	`{"a":"é@b","b":[1],"c":{"d":"y"},"e":null,"n":2}`,
	`{}`, `[]`, `"x"`, `null`, `1`,
	`{"a":"a@b","b":[1,2],"c":{"d":"y"},"n":1e400}`,
	`{"a":"a@b","b":[1,2],"c":{"d":"y"},"n":-3,"f":0.1,"e":1,"id":null}`,
}

// TestFastPathProblemsOfRichSchema compares the fast path's problems with kin-openapi's
// over a schema using every keyword the fast path names failures for, with several
// failures at once.
func TestFastPathProblemsOfRichSchema(t *testing.T) {
	t.Parallel()
	d, err := Parse([]byte(fmt.Sprintf(keywordDoc, indent(richSchema))), "rich.yaml")
	if err != nil {
		t.Fatal(err)
	}
	op, _ := d.Operation("POST /t")
	if op.plan == nil {
		t.Fatal("no fast plan")
	}
	named := 0
	for _, body := range richBodies {
		for _, ct := range []string{"application/json", "text/plain"} {
			s := reqSpec{op: op, header: http.Header{"Content-Type": {ct}}, body: []byte(body)}
			c, _ := compare(t, d, s)
			if c.fast == verdictValid && len(c.kin) != 0 {
				t.Errorf("%s: fast valid, kin %v", body, c.kin)
			}
			if !c.claims() || c.fast == verdictValid {
				continue
			}
			named++
			if !c.agrees() {
				t.Errorf("%s (%s):\nfast %#v\nkin  %#v", body, ct, c.fastProbs, c.kin)
			}
		}
	}
	t.Logf("problems named for %d of %d requests", named, 2*len(richBodies))
	if named < len(richBodies) {
		t.Errorf("problems named for only %d of %d requests", named, 2*len(richBodies))
	}
}

// FuzzFastPathProblemsOfRichSchema feeds arbitrary bodies to richSchema: whenever the fast
// path names problems, they must be kin-openapi's.
func FuzzFastPathProblemsOfRichSchema(f *testing.F) {
	d, err := Parse([]byte(fmt.Sprintf(keywordDoc, indent(richSchema))), "rich.yaml")
	if err != nil {
		f.Fatal(err)
	}
	op, _ := d.Operation("POST /t")
	for _, b := range richBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		s := reqSpec{op: op, header: http.Header{"Content-Type": {"application/json"}}, body: body}
		c, _ := compare(t, d, s)
		if c.fast != verdictUnknown && (c.fast == verdictValid) != (len(c.kin) == 0) {
			t.Fatalf("fast %s, kin %v: body %q", c.fast, c.kin, body)
		}
		if c.claims() && !c.agrees() {
			t.Fatalf("fast %#v, kin %#v: body %q", c.fastProbs, c.kin, body)
		}
	})
}

// TestFastPathParameterOrder pins that problems of path-level and operation-level
// parameters come in kin-openapi's order: the path item's (unless overridden), then the
// operation's.
func TestFastPathParameterOrder(t *testing.T) {
	t.Parallel()
	d, err := Parse([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /o/{a}:
    parameters:
      - {name: a, in: path, required: true, schema: {type: integer}}
      - {name: q, in: query, required: true, schema: {type: string}}
      - {name: X-H, in: header, schema: {type: string, minLength: 5}}
    get:
      parameters:
        - {name: z, in: query, required: true, schema: {type: string}}
        - {name: X-H, in: header, schema: {type: string, maxLength: 2}}
      responses:
        "204": {description: ok}
`), "order.yaml")
	if err != nil {
		t.Fatal(err)
	}
	op, _ := d.Operation("GET /o/{a}")
	if op.plan == nil {
		t.Fatal("no fast plan")
	}
	s := reqSpec{op: op, path: map[string]string{"a": "x"}, query: url.Values{}, header: http.Header{"X-H": {"abcd"}}}
	c, ok := compare(t, d, s)
	if !ok {
		t.Fatal("does not route")
	}
	if c.fastProbs == nil || !c.agrees() {
		t.Fatalf("fast %#v\nkin  %#v", c.fastProbs, c.kin)
	}
	want := []string{"path a has an invalid value", "query q is required", "query z is required", "header X-H must be at most 2 characters long"}
	var got []string
	for _, p := range c.fastProbs {
		got = append(got, p.Message)
	}
	if !slices.Equal(got, want) {
		t.Errorf("messages %q, want %q", got, want)
	}
}

// TestParametersInKinOrder pins Operation.Parameters, the one effective-parameter order, to
// kin-openapi's: with every parameter required and none sent, kin-openapi reports them in
// the order it validates them, and Parameters lists them in that order, the operation's
// declaration standing in for a path-level one of the same name and location (and not for
// one of the same name elsewhere).
func TestParametersInKinOrder(t *testing.T) {
	t.Parallel()
	d, err := Parse([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /o:
    parameters:
      - {name: q, in: query, required: true, schema: {type: string}}
      - {name: X-H, in: header, required: true, schema: {type: string, minLength: 5}}
      - {name: k, in: query, required: true, schema: {type: string}}
      - {name: c, in: cookie, required: true, schema: {type: string}}
    get:
      parameters:
        - {name: z, in: query, required: true, schema: {type: string}}
        - {name: X-H, in: header, required: true, schema: {type: string, maxLength: 2}}
        - {name: k, in: header, required: true, schema: {type: string}}
      responses:
        "204": {description: ok}
`), "order.yaml")
	if err != nil {
		t.Fatal(err)
	}
	op, _ := d.Operation("GET /o")
	var got []string
	for _, ref := range op.Parameters() {
		got = append(got, ref.Value.In+" "+ref.Value.Name)
	}
	want := []string{"query q", "query k", "cookie c", "query z", "header X-H", "header k"}
	if !slices.Equal(got, want) {
		t.Fatalf("Parameters: %q, want %q", got, want)
	}
	if h := op.Parameters()[4].Value; h.Schema.Value.MaxLength == nil || *h.Schema.Value.MaxLength != 2 {
		t.Errorf("header X-H is the path item's declaration, not the operation's: %+v", h)
	}
	s := reqSpec{op: op, query: url.Values{}, header: http.Header{}}
	r, m, ok := s.request(t, d)
	if !ok {
		t.Fatal("does not route")
	}
	var kin []string
	for _, p := range d.validateRequestKin(context.Background(), r, m, nil) {
		kin = append(kin, p.In+" "+p.Name)
	}
	if !slices.Equal(kin, want) {
		t.Errorf("kin-openapi reports %q; Parameters' order is %q", kin, want)
	}
	if op.plan == nil {
		t.Fatal("no fast plan")
	}
	if c, _ := compare(t, d, s); !c.agrees() {
		t.Errorf("fast path %#v\nkin %#v", c.fastProbs, c.kin)
	}
}
