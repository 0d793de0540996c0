package graph

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Options configure the GraphQL handler.
type Options struct {
	Store   Store
	Version string
	Logger  *slog.Logger
	// Introspection lets GraphiQL read the schema; on by default in server.go.
	Introspection bool
	// MaxComplexity caps the computed cost of one operation.
	MaxComplexity int
	// Timeout bounds each operation; it becomes the Neo4j transaction's deadline.
	Timeout time.Duration
	// RequestID returns the request id of ctx, for logs and error extensions.
	RequestID func(ctx context.Context) string
}

// NewHandler returns the /graphql handler: explicit transports (GET for queries,
// POST), a parsed-query cache, introspection as a choice, a complexity limit and one
// error presenter that maps every error onto extensions.code.
func NewHandler(o Options) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxComplexity == 0 {
		o.MaxComplexity = 1000
	}
	srv := handler.New(NewExecutableSchema(Config{Resolvers: &Resolver{Store: o.Store, BuildVersion: o.Version}}))
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	if o.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(extension.FixedComplexityLimit(o.MaxComplexity))
	srv.SetErrorPresenter(func(ctx context.Context, err error) *gqlerror.Error {
		return presentError(ctx, o, err)
	})
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		o.Logger.ErrorContext(ctx, "graphql panic", "panic", p, "request_id", reqID(ctx, o))
		return Errorf(EINTERNAL, "internal error")
	})
	if o.Timeout > 0 {
		srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
			ctx, cancel := context.WithTimeout(ctx, o.Timeout)
			resp := next(ctx)
			return func(ctx2 context.Context) *graphql.Response {
				defer cancel()
				return resp(ctx2)
			}
		})
	}
	return srv
}

func reqID(ctx context.Context, o Options) string {
	if o.RequestID == nil {
		return ""
	}
	return o.RequestID(ctx)
}

// presentError is the one place errors become GraphQL errors. Application errors keep
// their safe message and code; validation and parse errors from gqlparser keep theirs;
// everything else is logged with its cause and shown as INTERNAL.
func presentError(ctx context.Context, o Options, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	var appErr *Error
	var parserErr *gqlerror.Error
	switch {
	case errors.As(err, &appErr) || ErrorCode(err) == ETIMEOUT:
		gqlErr.Message = ErrorMessage(err)
		setCode(gqlErr, ErrorCode(err))
		if ErrorCode(err) == EINTERNAL || ErrorCode(err) == EUNAVAILABLE {
			o.Logger.ErrorContext(ctx, "graphql error", "code", ErrorCode(err), "err", err, "request_id", reqID(ctx, o))
		}
	case errors.As(err, &parserErr) && parserErr.Extensions["code"] != nil:
		// gqlparser/gqlgen validation errors: already safe, already coded.
	default:
		o.Logger.ErrorContext(ctx, "graphql error", "code", EINTERNAL, "err", err, "request_id", reqID(ctx, o))
		gqlErr.Message = "internal error"
		setCode(gqlErr, EINTERNAL)
	}
	if id := reqID(ctx, o); id != "" {
		setExt(gqlErr, "requestId", id)
	}
	return gqlErr
}

func setCode(e *gqlerror.Error, code string) { setExt(e, "code", code) }

func setExt(e *gqlerror.Error, k string, v any) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions[k] = v
}
