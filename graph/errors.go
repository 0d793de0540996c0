package graph

import (
	"context"
	"errors"
	"fmt"
)

// Error codes, surfaced to clients as extensions.code. They are the whole error
// vocabulary of the API: anything else is reported as INTERNAL without its text.
const (
	ENOTFOUND    = "NOT_FOUND"
	EINVALID     = "BAD_USER_INPUT"
	ECONFLICT    = "CONFLICT"
	EUNAUTH      = "UNAUTHENTICATED"
	EFORBIDDEN   = "FORBIDDEN"
	EUNAVAILABLE = "SERVICE_UNAVAILABLE"
	ETIMEOUT     = "TIMEOUT"
	EBUDGET      = "BUDGET_EXCEEDED"
	EINTERNAL    = "INTERNAL"
)

// Error is an application error: a code for machines and a message that is safe to
// show to clients. The cause, if any, is logged but never shown.
type Error struct {
	Code    string
	Message string
	Cause   error
	// Transient says the failure may go away when the work runs again (a lost
	// connection, a deadlock): the store sets it, and loaders retry on it.
	Transient bool
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Cause)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Cause }

// Temporary reports e.Transient. Loaders, which cannot see this package, look for
// this method to decide whether to retry a batch.
func (e *Error) Temporary() bool { return e.Transient }

// Errorf returns an *Error with the code and a formatted, client-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain; deadline and
// cancellation map to TIMEOUT; anything else is INTERNAL.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	case errors.Is(err, context.DeadlineExceeded):
		return ETIMEOUT
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the client-safe message of err: the message of its *Error,
// or a generic sentence for its code. It never returns a driver's or Cypher's text.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	switch ErrorCode(err) {
	case ETIMEOUT:
		return "the request took longer than its time budget"
	default:
		return "internal error"
	}
}
