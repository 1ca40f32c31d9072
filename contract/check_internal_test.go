package contract

import (
	"fmt"
	"testing"

	"github.com/hookkit/hookkit/openapi"
)

// TestSuccessfulStatus: a 2xx answers a valid request; a 3xx does too when the operation
// declares no 2xx and no default and declares that 3xx, resolved as the validator resolves
// it (openapi.ResponseKey: the exact code, else the 3XX range).
func TestSuccessfulStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		responses string
		status    int
		want      bool
	}{
		{`{"307": {description: r}}`, 307, true},
		{`{"307": {description: r}}`, 308, false},
		{`{"307": {description: r}}`, 201, true},
		{`{"307": {description: r}}`, 400, false},
		{`{"3XX": {description: r}}`, 301, true},
		{`{"200": {description: ok}, "307": {description: r}}`, 307, false},
		{`{"default": {description: any}, "307": {description: r}}`, 307, false},
	} {
		doc, err := openapi.Parse([]byte(fmt.Sprintf(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /r:
    get:
      responses: %s
`, tc.responses)), "redirect.yaml")
		if err != nil {
			t.Fatal(err)
		}
		op, _ := doc.Operation("GET /r")
		if got := successful(op, tc.status); got != tc.want {
			t.Errorf("responses %s, status %d: successful = %v, want %v", tc.responses, tc.status, got, tc.want)
		}
	}
}
