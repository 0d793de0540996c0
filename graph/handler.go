package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"tradegraph/graph/model"
)

// Options configure the GraphQL handler.
type Options struct {
	Store   Store
	Version string
	Logger  *slog.Logger
	// Introspection lets GraphiQL read the schema; on by default in internal/app/server.go.
	Introspection bool
	// MaxComplexity caps the computed cost of one operation.
	MaxComplexity int
	// Timeout bounds each operation; it becomes the Neo4j transaction's deadline.
	Timeout time.Duration
	// RequestID returns the request id of ctx, for logs and error extensions.
	RequestID func(ctx context.Context) string
	// Limits caps depth, aliases and expanded fields.
	Limits Limits
	// APIToken enables mutations, for requests bearing it, as one editor token
	// named "api-token". Empty adds none.
	APIToken string
	// Tokens are named tokens with roles (TRADEGRAPH_TOKENS_FILE); mutations need
	// an editor's. With neither Tokens nor APIToken, mutations are disabled.
	Tokens *Tokens
	// ReadAuth makes every operation, queries included, need a valid token
	// (TRADEGRAPH_READ_AUTH=required).
	ReadAuth bool
	// Explain adds each query's Cypher, parameters and time to extensions.cypher,
	// and their count to extensions.statements.
	Explain bool
	// Reviews drafts articles and writes reviewed datasets for the console's
	// review page (the root wires the loaders in); nil turns those fields off.
	Reviews Reviews
}

// NewHandler returns the /graphql handler: explicit transports (GET for queries,
// POST), a parsed-query cache, introspection as a choice, a complexity limit and one
// error presenter that maps every error onto extensions.code.
func NewHandler(o Options) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxComplexity == 0 {
		o.MaxComplexity = 5000
	}
	if o.Limits == (Limits{}) {
		o.Limits = Limits{MaxDepth: 15, MaxAliases: 30}
	}
	cfg := Config{Resolvers: &Resolver{Store: o.Store, BuildVersion: o.Version, Reviews: o.Reviews}}
	complexity(&cfg.Complexity)
	tokens := &Tokens{}
	if o.Tokens != nil {
		tokens.entries = append(tokens.entries, o.Tokens.entries...)
	}
	if o.APIToken != "" {
		tokens.Add("api-token", RoleEditor, o.APIToken)
	}
	cfg.Directives.RequiresToken = requiresToken(tokens)
	cfg.Directives.RequiresRole = requiresRole(tokens)
	srv := handler.New(NewExecutableSchema(cfg))
	// GET for queries, POST with application/json; everything else is refused with a
	// code before parsing (transport.go says why).
	srv.AddTransport(getQueries{id: o.RequestID})
	srv.AddTransport(postJSON{id: o.RequestID})
	srv.AddTransport(refuse{id: o.RequestID})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	// A 64 KiB body holds about 30,000 tokens; no real query needs a tenth of that.
	srv.SetParserTokenLimit(maxTokens)
	if o.Introspection {
		use(srv, extension.Introspection{})
	}
	use(srv, extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	// Limits first: it measures fragments once, while the complexity count walks
	// every expanded field (exponential in a fragment bomb).
	use(srv, o.Limits)
	use(srv, noDefer{})
	use(srv, newComplexityLimit(o.MaxComplexity))
	srv.SetErrorPresenter(func(ctx context.Context, err error) *gqlerror.Error {
		return presentError(ctx, o, err)
	})
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		o.Logger.ErrorContext(ctx, "graphql panic", "panic", p, "request_id", reqID(ctx, o))
		return Errorf(EINTERNAL, "internal error")
	})
	// Every operation gets its time budget, its batch loaders and a query trace.
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		ctx = authenticate(ctx, tokens)
		if o.ReadAuth {
			if err := requireRole(ctx, tokens, RoleReader, "reads"); err != nil {
				return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{presentError(ctx, o, err)}})
			}
		}
		cancel := func() {}
		if o.Timeout > 0 {
			ctx, cancel = context.WithTimeout(ctx, o.Timeout)
		}
		trace := &QueryTrace{}
		ctx = WithTrace(ctx, trace)
		loaders := newDataloaders(o.Store)
		loaders.names = namesOnly(graphql.GetOperationContext(ctx))
		ctx = context.WithValue(withScheduler(ctx, loaders.sched), loadersKey{}, loaders)
		resp := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			defer cancel()
			r := resp(ctx)
			if oc := graphql.GetOperationContext(ctx); oc != nil {
				observeOperation(oc.Operation, oc.Stats.Read.Start)
			}
			if r != nil && o.Explain {
				if r.Extensions == nil {
					r.Extensions = map[string]any{}
				}
				entries := trace.Entries()
				r.Extensions["cypher"] = entries
				r.Extensions["statements"] = len(entries)
			}
			return r
		}
	})
	return srv
}

// use adds ext to srv. A field interceptor is refused: the generated code marshals
// plain leaf fields without resolving them as fields (internal/gqlgen), so such
// middleware would not see them.
func use(srv *handler.Server, ext graphql.HandlerExtension) {
	if _, ok := ext.(graphql.FieldInterceptor); ok {
		panic(fmt.Sprintf("graph: %s intercepts fields, which plain leaf fields skip (internal/gqlgen)", ext.ExtensionName()))
	}
	srv.Use(ext)
}

// maxTokens caps the tokens of one query document, so a huge document is refused
// while parsing, before validation walks it.
const maxTokens = 5000

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
	var inputErr *model.InputError
	switch {
	case errors.As(err, &inputErr):
		// A bad argument value: gqlgen's message already names the argument.
		setCode(gqlErr, EINVALID)
	case errors.As(err, &appErr) || ErrorCode(err) == ETIMEOUT:
		gqlErr.Message = ErrorMessage(err)
		setCode(gqlErr, ErrorCode(err))
		if ErrorCode(err) == EINTERNAL || ErrorCode(err) == EUNAVAILABLE {
			var cause error = appErr
			if appErr != nil && appErr.Cause != nil {
				cause = appErr.Cause
			}
			o.Logger.ErrorContext(ctx, "graphql error", "code", ErrorCode(err), "err", err, "cause", fmt.Sprint(cause), "request_id", reqID(ctx, o))
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
	code, _ := gqlErr.Extensions["code"].(string)
	CountError(code)
	return gqlErr
}

func setCode(e *gqlerror.Error, code string) { setExt(e, "code", code) }

func setExt(e *gqlerror.Error, k string, v any) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions[k] = v
}
