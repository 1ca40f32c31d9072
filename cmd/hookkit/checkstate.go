package main

import (
	"fmt"
	"strconv"

	"github.com/hookkit/hookkit/contract"
)

// statefulFlag is --stateful: a bare flag turns sequences on, --stateful=false off, and
// --stateful=auto (the default) runs them against loopback targets only.
type statefulFlag struct{ mode contract.StatefulMode }

func (f *statefulFlag) IsBoolFlag() bool { return true }

func (f *statefulFlag) String() string {
	if f == nil {
		return "auto"
	}
	switch f.mode {
	case contract.StatefulOn:
		return "true"
	case contract.StatefulOff:
		return "false"
	}
	return "auto"
}

func (f *statefulFlag) Set(v string) error {
	if v == "auto" {
		f.mode = contract.StatefulAuto
		return nil
	}
	on, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("want true, false or auto, got %q", v)
	}
	f.mode = contract.StatefulOff
	if on {
		f.mode = contract.StatefulOn
	}
	return nil
}
