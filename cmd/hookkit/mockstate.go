package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/hookkit/hookkit/mockserver"
)

// printStateBanner lists the collections the stateful mock found, so a user sees at once
// what the inference made of the document (and corrects it in state.resources).
func printStateBanner(w io.Writer, srv *mockserver.Server) {
	store := srv.StateStore()
	if store == "" {
		return
	}
	colls := srv.Collections()
	fmt.Fprintf(w, "stateful: %d collections in %s\n", len(colls), store)
	for _, c := range colls {
		line := fmt.Sprintf("  %-10s %s", c.Name, c.Path)
		if c.ItemPath != "" {
			line += "  item " + c.ItemPath
		}
		if c.IDField != "" {
			line += "  id ." + c.IDField
		}
		if len(c.Scope) > 0 {
			line += "  scoped by " + strings.Join(c.Scope, ", ")
		}
		fmt.Fprintf(w, "%s  (%s, %s)\n", line, strings.Join(c.Operations(), " "), c.Source)
	}
}
