package openapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// decodingDoc declares path, query and header parameters of every shape the fast path decodes.
const decodingDoc = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /p/{i}/{s}:
    get:
      parameters:
        - {name: i, in: path, required: true, schema: {type: integer, format: int32, minimum: -5, maximum: 1000}}
        - {name: s, in: path, required: true, schema: {type: string, pattern: '^[a-z0-9-]+$', maxLength: 8}}
        - {name: n, in: query, schema: {type: number, minimum: 0, exclusiveMinimum: true, multipleOf: 0.5}}
        - {name: b, in: query, required: true, schema: {type: boolean}}
        - {name: e, in: query, allowEmptyValue: true, schema: {type: string, enum: [x, y]}}
        - {name: a, in: query, schema: {type: array, minItems: 2, uniqueItems: true, items: {type: integer, format: int64}}}
        - {name: c, in: query, explode: false, schema: {type: array, maxItems: 3, items: {type: string, minLength: 2}}}
        - {name: X-Int, in: header, schema: {type: integer, maximum: 10}}
        - {name: X-Str, in: header, required: true, schema: {type: string, format: uuid, nullable: true}}
        - {name: X-Num, in: header, schema: {type: number, format: double, enum: [1, 2.5]}}
      responses:
        "204": {description: ok}
`

// paramCase is one request to decodingDoc's operation: its path values, raw query and headers
// (an empty header value leaves the header out).
type paramCase struct {
	i, s, query, xInt, xStr, xNum string
}

// paramCases seed the fuzzer and the table test: valid requests and every way of breaking
// each parameter's decoding and schema.
var paramCases = []paramCase{
	{"7", "ab-1", "b=true", "", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", ""},
	{"-5", "a", "b=false&n=1.5&e=x&a=1&a=2&c=ab,cd", "10", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", "2.5"},
	{"1001", "AB", "b=yes", "11", "nope", "3"},
	{"2147483648", "toolongvalue", "b=1&n=0", "1.5", "", "x"},
	{"x", "a b", "n=abc&b=TRUE", "-1", " ", "1e400"},
	{"1.0", "ü", "b=true&n=0.3&e=z", "0x1", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", "NaN"},
	{"0", "a", "b=true&e=", "", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", ""},
	{"0", "a", "b=true&e", "", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", ""},
	{"0", "a", "b=&b=true", "", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", ""},
	{"0", "a", "b=true&a=1", "", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", ""},
	{"0", "a", "b=true&a=1&a=1&a=x", "", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", ""},
	{"0", "a", "b=true&a=&a=2", "", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", ""},
	{"0", "a", "b=true&a=9223372036854775808&a=2", "", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", ""},
	{"0", "a", "b=true&c=", "", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", ""},
	{"0", "a", "b=true&c=a,bb,cc,dd", "", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", ""},
	{"0", "a", "b=true&c=ab&c=x", "", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", ""},
	{"0", "a", "b=true&c=ab,,cd", "", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", ""},
	{"0", "a", "b=true&n=-0&n=2", "", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", ""},
	{"0", "a", "b=true&n=1e3", "", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", "+1"},
	{"0", "a", "b=true&%zz=1", "", "3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", ""},
	{"0", "a", "", "", "", ""},
	{"+3", "a", "b=true;n=1", "007", "null", "2.50"},
}

// paramRequest builds the case's request to decodingDoc's operation and routes it; ok is false
// when the path does not route there.
func paramRequest(t testing.TB, d *Document, c paramCase) (*http.Request, *Match, bool) {
	t.Helper()
	p := "/p/" + url.PathEscape(c.i) + "/" + url.PathEscape(c.s)
	m, err := d.Find("GET", p)
	if err != nil || m.Operation.ID != "GET /p/{i}/{s}" {
		return nil, nil, false
	}
	r, err := http.NewRequest("GET", "http://mock"+p, nil)
	if err != nil {
		return nil, nil, false
	}
	r.URL.RawQuery = c.query
	for name, v := range map[string]string{"X-Int": c.xInt, "X-Str": c.xStr, "X-Num": c.xNum} {
		if v != "" {
			r.Header[name] = []string{v}
		}
	}
	return r, m, true
}

// compareParams runs the fast path (verdict and problems) and kin-openapi on the case,
// each on its own request, and fails t where they disagree.
func compareParams(t testing.TB, d *Document, pc paramCase) (comparison, bool) {
	t.Helper()
	r, m, ok := paramRequest(t, d, pc)
	if !ok {
		return comparison{}, false
	}
	var c comparison
	c.fast = d.fastVerdict(r, m, nil)
	r, m, _ = paramRequest(t, d, pc)
	var v verdict
	v, c.fastProbs = d.fastProblems(r, m, nil)
	r, m, _ = paramRequest(t, d, pc)
	c.kin = d.validateRequestKin(context.Background(), r, m, nil)
	if v != c.fast {
		t.Errorf("%+v: fastProblems says %s, fastVerdict %s", pc, v, c.fast)
	}
	if c.fast != verdictUnknown && (c.fast == verdictValid) != (len(c.kin) == 0) {
		t.Errorf("%+v: fast %s, kin %v", pc, c.fast, c.kin)
	}
	if c.claims() && !c.agrees() {
		t.Errorf("%+v: problems differ\nfast %#v\nkin  %#v", pc, c.fastProbs, c.kin)
	}
	return c, true
}

func loadParamDoc(t testing.TB) *Document {
	t.Helper()
	d, err := Parse([]byte(decodingDoc), "params.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if op, _ := d.Operation("GET /p/{i}/{s}"); op == nil || op.plan == nil {
		t.Fatal("GET /p/{i}/{s} has no fast plan")
	}
	return d
}

// TestParameterDecodingAgreesWithKin checks that the fast path decides and names the
// problems of every seed case itself, exactly as kin-openapi does.
func TestParameterDecodingAgreesWithKin(t *testing.T) {
	t.Parallel()
	d := loadParamDoc(t)
	valid, named := 0, 0
	for _, pc := range paramCases {
		c, ok := compareParams(t, d, pc)
		switch {
		case !ok:
			t.Errorf("%+v does not route", pc)
		case c.fast == verdictValid:
			valid++
		case c.fast == verdictInvalid && c.fastProbs != nil:
			named++
		default:
			t.Errorf("%+v: fast path %s without problems; kin %v", pc, c.fast, c.kin)
		}
	}
	t.Logf("%d cases: %d valid, %d invalid with problems named", len(paramCases), valid, named)
	if valid < 5 || named < 12 {
		t.Errorf("too few decided: %d valid, %d named", valid, named)
	}
}

// FuzzParameterDecoding feeds arbitrary path values, query strings and headers to
// decodingDoc's operation: whenever the fast path decides or names problems, kin-openapi must
// say the same.
func FuzzParameterDecoding(f *testing.F) {
	d := loadParamDoc(f)
	for _, pc := range paramCases {
		f.Add(pc.i, pc.s, pc.query, pc.xInt, pc.xStr, pc.xNum)
	}
	f.Fuzz(func(t *testing.T, i, s, query, xInt, xStr, xNum string) {
		compareParams(t, d, paramCase{i, s, query, xInt, xStr, xNum})
	})
}

// TestFormatDefinedAfterLoad checks that a string format defined with kin-openapi after the
// document is loaded is enforced by the fast path as by kin-openapi, in parameters and in
// the body. It changes kin-openapi's package-wide formats, so it does not run in parallel.
func TestFormatDefinedAfterLoad(t *testing.T) {
	const format = "hookkit-test-late"
	d, err := Parse([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /f:
    post:
      parameters:
        - {name: q, in: query, schema: {type: string, format: `+format+`}}
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {v: {type: string, format: `+format+`}}}
      responses:
        "204": {description: ok}
`), "late.yaml")
	if err != nil {
		t.Fatal(err)
	}
	op, _ := d.Operation("POST /f")
	if op.plan == nil {
		t.Fatal("no fast plan")
	}
	s := reqSpec{op: op, query: url.Values{"q": {"bad"}}, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(`{"v":"bad"}`)}
	if c, _ := compare(t, d, s); c.fast != verdictValid || len(c.kin) != 0 {
		t.Fatalf("before the format is defined: fast %s, kin %v; want both valid", c.fast, c.kin)
	}
	openapi3.DefineStringFormatValidator(format, openapi3.NewCallbackValidator(func(v string) error {
		if v == "bad" {
			return errors.New("bad value")
		}
		return nil
	}))
	t.Cleanup(func() { delete(openapi3.SchemaStringFormats, format) })
	c, _ := compare(t, d, s)
	want := Problems{
		{Kind: InvalidParameter, In: "query", Name: "q", Message: "query q must be a valid " + format},
		{Kind: InvalidValue, In: "body", Name: "/v", Message: "body field /v must be a valid " + format},
	}
	if !reflect.DeepEqual(c.kin, want) {
		t.Errorf("kin-openapi: %#v, want %#v", c.kin, want)
	}
	if c.fast != verdictInvalid || !reflect.DeepEqual(c.fastProbs, want) {
		t.Errorf("fast path: %s %#v, want %#v", c.fast, c.fastProbs, want)
	}
}
