package openapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// MaxJSONDepth is the deepest nesting of arrays and objects a JSON body may have. Deeper
// bodies are rejected before any decoder sees them, so a hostile body cannot make the
// validator recurse ten thousand levels.
const MaxJSONDepth = 64

// validationOptions returns kin-openapi options that check what the document says, not
// kin-openapi's permissive defaults: every problem at once, formats enforced, credentials
// required.
func validationOptions() *openapi3filter.Options {
	o := &openapi3filter.Options{
		MultiError:            true,
		IncludeResponseStatus: true,
		AuthenticationFunc:    requireCredential,
		SkipSettingDefaults:   true,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{
			openapi3.WithStringFormatValidators(formatValidators),
		},
	}
	o.WithCustomSchemaErrorFunc(func(e *openapi3.SchemaError) string { return e.Reason })
	return o
}

var (
	uuidRE     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	hostnameRE = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)

	// formatValidators are the string formats enforced at run time beyond kin-openapi's
	// defaults (byte, date, date-time), which include none of these.
	formatValidators = map[string]openapi3.StringFormatValidator{
		"uri": openapi3.NewCallbackValidator(func(s string) error {
			u, err := url.Parse(s)
			if err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "" && u.Path == "") || strings.ContainsAny(s, " \t\n") {
				return errors.New("not an absolute URI")
			}
			return nil
		}),
		"uri-reference": openapi3.NewCallbackValidator(func(s string) error {
			if _, err := url.Parse(s); err != nil || strings.ContainsAny(s, " \t\n") {
				return errors.New("not a URI reference")
			}
			return nil
		}),
		"email": openapi3.NewCallbackValidator(func(s string) error {
			a, err := mail.ParseAddress(s)
			if err != nil || a.Address != s {
				return errors.New("not an email address")
			}
			return nil
		}),
		"uuid":     openapi3.NewRegexpFormatValidator(uuidRE.String()),
		"hostname": openapi3.NewRegexpFormatValidator(hostnameRE.String()),
		"ipv4":     openapi3.NewIPValidator(true),
		"ipv6":     openapi3.NewIPValidator(false),
	}
)

// CredentialError reports that a request lacks the credential a security scheme names.
type CredentialError struct {
	Scheme string // the scheme's name in components.securitySchemes
	In     string // header, query or cookie
	Name   string // the header, query parameter or cookie that must carry it
}

func (e *CredentialError) Error() string {
	return e.In + " " + e.Name + " is required"
}

// requireCredential checks that the credential a scheme names is present and non-empty.
// It does not judge the credential's value: a mock cannot, and a checker must not.
func requireCredential(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s := in.SecurityScheme
	if credentialPresent(s, in.RequestValidationInput.Request) {
		return nil
	}
	return credentialError(in.SecuritySchemeName, s)
}

// credentialError is the error for a missing credential of scheme s (named name): an
// apiKey's own header, query parameter or cookie, or else the Authorization header.
func credentialError(name string, s *openapi3.SecurityScheme) *CredentialError {
	if s.Type == "apiKey" {
		return &CredentialError{Scheme: name, In: s.In, Name: s.Name}
	}
	return &CredentialError{Scheme: name, In: "header", Name: "Authorization"}
}

// credentialProblem is the Problem of a missing credential.
func credentialProblem(ce *CredentialError) Problem {
	return Problem{Kind: MissingCredential, In: ce.In, Name: ce.Name, Message: ce.Error()}
}

// credentialPresent reports whether r carries the credential scheme s names: an apiKey's
// header, query parameter or cookie non-empty after trimming spaces, or an Authorization
// header with the scheme's auth-scheme (Bearer for oauth2 and openIdConnect) and a
// credential. Other scheme types need nothing. requireCredential and the fast path share it.
func credentialPresent(s *openapi3.SecurityScheme, r *http.Request) bool {
	switch s.Type {
	case "apiKey":
		var v string
		switch s.In {
		case "header":
			v = r.Header.Get(s.Name)
		case "query":
			v = r.URL.Query().Get(s.Name)
		case "cookie":
			if c, err := r.Cookie(s.Name); err == nil {
				v = c.Value
			}
		}
		return strings.TrimSpace(v) != ""
	case "http", "oauth2", "openIdConnect":
		want := "Bearer"
		if s.Type == "http" && s.Scheme != "" {
			want = s.Scheme
		}
		scheme, cred, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		return strings.EqualFold(scheme, want) && strings.TrimSpace(cred) != ""
	}
	return true
}

// ValidateRequest checks r against the matched operation and returns every problem found,
// or nil. body is the request body, already read (and size-limited) by the caller; r.Body is
// replaced with a reader over it.
//
// Operations compiled to a fast plan (see fastpath.go and internal/fastpath) are decided
// without kin-openapi when the plan finds the request valid, or finds it invalid and can
// name every problem exactly as kin-openapi would; every other request goes through
// kin-openapi, which produces the problems.
func (d *Document) ValidateRequest(ctx context.Context, r *http.Request, m *Match, body []byte) Problems {
	if v, ps := d.fastProblems(r, m, body); v == verdictValid || ps != nil {
		rc := new(bodyReader)
		rc.Reset(body)
		r.Body = rc
		r.ContentLength = int64(len(body))
		return ps
	}
	return d.validateRequestKin(ctx, r, m, body)
}

// bodyReader is the request body ValidateRequest puts back on the fast path: a reader over
// the bytes already read that closes as a no-op, in one allocation where
// io.NopCloser(bytes.NewReader(body)) takes two.
type bodyReader struct{ bytes.Reader }

func (*bodyReader) Close() error { return nil }

// validateRequestKin is ValidateRequest through kin-openapi alone.
func (d *Document) validateRequestKin(ctx context.Context, r *http.Request, m *Match, body []byte) Problems {
	var problems Problems
	opts := d.options
	// deepObject query parameters and form bodies are decoded by hookkit (form.go).
	problems = append(problems, d.validateDeepObjects(r, m.Operation)...)
	if mt := formMedia(m.Operation, r.Header.Get("Content-Type")); mt != nil && len(body) > 0 {
		problems = append(problems, d.validateForm(mt, body)...)
		o := *d.options
		o.ExcludeRequestBody = true
		opts = &o
	}
	if len(body) > 0 && IsJSON(r.Header.Get("Content-Type")) {
		if p, ok := CheckJSON(body); !ok {
			problems = append(problems, p)
			o := *d.options
			o.ExcludeRequestBody = true
			opts = &o
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	err := openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: m.PathParams,
		Route:      m.Operation.kinRoute,
		Options:    opts,
	})
	r.Body = io.NopCloser(bytes.NewReader(body))
	return append(problems, requestProblems(err)...)
}

// CheckJSON reports whether body is well-formed UTF-8 JSON no deeper than MaxJSONDepth, and
// the problem when it is not. Go's decoder silently replaces invalid UTF-8 and allows far
// deeper nesting, so this runs first.
func CheckJSON(body []byte) (Problem, bool) {
	if !utf8.Valid(body) {
		return Problem{Kind: MalformedBody, In: "body", Message: "body is not valid UTF-8"}, false
	}
	depth := 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '"':
			i = skipString(body, i) - 1
		case '{', '[':
			depth++
			if depth > MaxJSONDepth {
				return Problem{Kind: MalformedBody, In: "body", Message: fmt.Sprintf("body nests deeper than %d levels", MaxJSONDepth)}, false
			}
		case '}', ']':
			depth--
		}
	}
	if !jsonValid(body) {
		return Problem{Kind: MalformedBody, In: "body", Message: "body is not valid JSON: " + jsonSyntaxError(body)}, false
	}
	return Problem{}, true
}

// requestProblems flattens kin-openapi's nested errors into Problems whose messages name the
// place but never the value.
func requestProblems(err error) Problems {
	if err == nil {
		return nil
	}
	var out Problems
	for _, e := range flatten(err) {
		var (
			sec *openapi3filter.SecurityRequirementsError
			re  *openapi3filter.RequestError
		)
		switch {
		case errors.As(e, &sec):
			out = append(out, securityProblems(sec)...)
		case errors.As(e, &re) && re.Parameter != nil:
			out = append(out, parameterProblems(re)...)
		case errors.As(e, &re):
			out = append(out, bodyProblems(re)...)
		default:
			out = append(out, Problem{Kind: InvalidRequest, In: "request", Message: "request is invalid"})
		}
	}
	return out
}

// flatten expands MultiErrors (kin-openapi nests them) into their leaves.
func flatten(err error) []error {
	var me openapi3.MultiError
	if errors.As(err, &me) && isMulti(err) {
		var out []error
		for _, e := range me {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

// isMulti reports whether err itself (not something it wraps) is a MultiError.
func isMulti(err error) bool {
	_, ok := err.(openapi3.MultiError)
	return ok
}

func securityProblems(sec *openapi3filter.SecurityRequirementsError) Problems {
	// Any one alternative would do; report the credentials of the first one.
	seen := map[string]bool{}
	var out Problems
	for _, e := range sec.Errors {
		for _, leaf := range flatten(e) {
			var ce *CredentialError
			if !errors.As(leaf, &ce) {
				continue
			}
			if seen[ce.In+ce.Name] {
				continue
			}
			seen[ce.In+ce.Name] = true
			out = append(out, credentialProblem(ce))
		}
		if len(out) > 0 {
			break
		}
	}
	if len(out) == 0 {
		out = append(out, Problem{Kind: MissingCredential, In: "header", Message: "credentials are required"})
	}
	return out
}

func parameterProblems(re *openapi3filter.RequestError) Problems {
	p := re.Parameter
	if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) {
		return Problems{missingParameterProblem(p.In, p.Name)}
	}
	var out Problems
	for _, e := range flatten(re.Err) {
		var se *openapi3.SchemaError
		reason := invalidValueReason
		if errors.As(e, &se) {
			reason = schemaReason(se)
		}
		out = append(out, invalidParameterProblem(p.In, p.Name, reason))
	}
	return out
}

// invalidValueReason is the reason given for a parameter that is empty or does not parse.
const invalidValueReason = "has an invalid value"

func missingParameterProblem(in, name string) Problem {
	return Problem{Kind: MissingParameter, In: in, Name: name, Message: fmt.Sprintf("%s %s is required", in, name)}
}

func invalidParameterProblem(in, name, reason string) Problem {
	return Problem{Kind: InvalidParameter, In: in, Name: name, Message: fmt.Sprintf("%s %s %s", in, name, reason)}
}

// missingBodyProblem is the Problem of an empty body the operation requires.
func missingBodyProblem() Problem {
	return Problem{Kind: MissingBody, In: "body", Message: "request body is required"}
}

// contentTypeProblem is the Problem of a Content-Type that selects none of rb's media types.
func contentTypeProblem(rb *openapi3.RequestBody) Problem {
	return Problem{Kind: UnsupportedMediaType, In: "header", Name: "Content-Type", Message: "header Content-Type must be " + declaredTypes(rb)}
}

func bodyProblems(re *openapi3filter.RequestError) Problems {
	switch {
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		return Problems{missingBodyProblem()}
	case unexpectedContentType(re.Reason):
		return Problems{contentTypeProblem(re.RequestBody)}
	case contentTypeReason(re.Reason):
		return Problems{{Kind: UnsupportedMediaType, In: "header", Name: "Content-Type", Message: "header Content-Type is required and must be " + declaredTypes(re.RequestBody)}}
	}
	var pe *openapi3filter.ParseError
	if errors.As(re.Err, &pe) {
		return Problems{{Kind: MalformedBody, In: "body", Message: "body cannot be parsed as its media type"}}
	}
	var out Problems
	for _, e := range flatten(re.Err) {
		var se *openapi3.SchemaError
		if !errors.As(e, &se) {
			out = append(out, Problem{Kind: InvalidRequest, In: "body", Message: "body is invalid"})
			continue
		}
		out = append(out, schemaProblemsOf(se, "body field")...)
	}
	return out
}

func declaredTypes(rb *openapi3.RequestBody) string {
	if rb == nil || len(rb.Content) == 0 {
		return "declared by the operation"
	}
	types := make([]string, 0, len(rb.Content))
	for _, mt := range slices.Sorted(maps.Keys(rb.Content)) {
		types = append(types, mt)
	}
	return strings.Join(types, " or ")
}

// schemaProblem describes a schema failure at its JSON pointer under what ("body field").
func schemaProblem(se *openapi3.SchemaError, what string) Problem {
	return schemaProblemAt(Pointer(se.JSONPointer()), se, what)
}

// schemaProblemAt describes a schema failure at the JSON pointer ptr under what. The fast
// path, which knows the pointer without kin-openapi's error, calls it directly.
func schemaProblemAt(ptr string, se *openapi3.SchemaError, what string) Problem {
	place := what + " " + ptr
	if ptr == "" {
		place = strings.TrimSuffix(what, " field")
	}
	switch se.SchemaField {
	case "required":
		return Problem{Kind: MissingField, In: "body", Name: ptr, Message: place + " is required"}
	case "type":
		return Problem{Kind: WrongType, In: "body", Name: ptr, Message: place + " " + schemaReason(se)}
	}
	return Problem{Kind: InvalidValue, In: "body", Name: ptr, Message: place + " " + schemaReason(se)}
}

// schemaReason says what a value must be, built from the schema, never from the value.
func schemaReason(se *openapi3.SchemaError) string {
	s := se.Schema
	switch se.SchemaField {
	case "type":
		if s != nil && s.Type != nil && len(s.Type.Slice()) > 0 {
			return "must be of type " + strings.Join(s.Type.Slice(), " or ")
		}
		return "has the wrong type"
	case "format":
		if s != nil {
			return "must be a valid " + s.Format
		}
	case "pattern":
		if s != nil {
			return "must match the pattern " + s.Pattern
		}
	case "enum":
		if s != nil {
			vals := make([]string, len(s.Enum))
			for i, v := range s.Enum {
				vals[i] = fmt.Sprint(v)
			}
			return "must be one of: " + strings.Join(vals, ", ")
		}
	case "minLength":
		if s != nil {
			return fmt.Sprintf("must be at least %d characters long", s.MinLength)
		}
	case "maxLength":
		if s != nil && s.MaxLength != nil {
			return fmt.Sprintf("must be at most %d characters long", *s.MaxLength)
		}
	case "additionalProperties":
		return "is not an allowed property"
	case "nullable":
		return "must not be null"
	}
	if se.Reason != "" && !quotesValue(se) {
		// kin-openapi's reasons for bounds, items and combinators name the rule, not the value.
		return "is invalid: " + se.Reason
	}
	return "is invalid (" + se.SchemaField + ")"
}

// quotesValue reports whether a validator's reason may repeat the offending value: it
// quotes something (the 3.0 validator uses '"', the 3.1 one "'") or contains the value's
// text. Such a reason is never shown, since the value may be a secret.
func quotesValue(se *openapi3.SchemaError) bool {
	if strings.ContainsAny(se.Reason, "\"'`") {
		return true
	}
	switch v := se.Value.(type) {
	case string:
		return v != "" && strings.Contains(se.Reason, v)
	case nil, bool, map[string]any, []any:
		return false
	default:
		return strings.Contains(se.Reason, fmt.Sprint(v))
	}
}

// Pointer renders a JSON pointer from its tokens ("" for the root).
func Pointer(tokens []string) string {
	if len(tokens) == 0 {
		return ""
	}
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(pointerEscaper.Replace(t))
	}
	return b.String()
}

// ValidateValue checks a decoded JSON value (as encoding/json produces it) against a schema
// with the same options as requests and responses, formats included.
func (d *Document) ValidateValue(s *openapi3.Schema, v any) error {
	opts := append([]openapi3.SchemaValidationOption{openapi3.MultiErrors()}, d.options.SchemaValidationOptions...)
	if d.T.IsOpenAPI31OrLater() {
		opts = append(opts, openapi3.EnableJSONSchema2020())
	}
	return s.VisitJSON(v, opts...)
}
