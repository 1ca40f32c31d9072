package contract

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/hookkit/hookkit/openapi"
)

var alnum = regexp.MustCompile(`^[A-Za-z0-9]{8,64}$`)

// FuzzRedactBody checks that a secret field's value never survives redaction, whatever
// surrounds it: valid JSON, truncated JSON or text with stray quotes and escapes.
func FuzzRedactBody(f *testing.F) {
	seeds := []struct{ prefix, secret, suffix string }{
		{`{"url":"https://x.example/","secret":"`, "s3cr3tValue1", `"}`},
		{`{"secret":"`, "s3cr3tValue2", ``},                // truncated
		{`{"a":"\`, "s3cr3tValue3", `","b":1}`},            // escape before the pair
		{`{"nested":{"password":"`, "s3cr3tValue4", `"}}`}, // nested
		{`not json "token" : "`, "s3cr3tValue5", `" trailing`},
	}
	for _, s := range seeds {
		f.Add(s.prefix, s.secret, s.suffix)
	}
	doc, err := openapi.Default()
	if err != nil {
		f.Fatal(err)
	}
	red := doc.Redactor()
	f.Fuzz(func(t *testing.T, prefix, secret, suffix string) {
		if !alnum.MatchString(secret) || bytes.Contains([]byte(prefix+suffix), []byte(secret)) {
			t.Skip()
		}
		for _, key := range []string{"secret", "password", "token"} {
			body := []byte(prefix + `"` + key + `":"` + secret + suffix)
			for _, ct := range []string{"application/json", "text/plain", ""} {
				if out := red.BodyText(ct, body); bytes.Contains(out, []byte(secret)) {
					t.Fatalf("secret survived in %q (Content-Type %q): %q", body, ct, out)
				}
			}
		}
	})
}
