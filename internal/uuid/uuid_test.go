package uuid_test

import (
	"regexp"
	"testing"

	"github.com/hookkit/hookkit/internal/uuid"
)

func TestNew(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	a, b := uuid.New(), uuid.New()
	if !re.MatchString(a) || a == b {
		t.Fatalf("uuids %q %q", a, b)
	}
}
