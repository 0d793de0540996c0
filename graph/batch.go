package graph

import (
	"context"
	"errors"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Batching without a timer. The resolvers of a list's elements run in goroutines of
// their own, and each asks a batch loader for its key (an entity's relationships, a
// document); the loaders must run one query for all of them, so they have to know
// when every resolver that will ask has asked. A scheduler per operation counts the
// goroutines that are working on the operation's fields and are not waiting: a
// field or a list element is counted when it is scheduled, by the goroutine that
// schedules it (so the count never drops to zero between a parent handing work out
// and a child starting it), and stops counting while it waits for a loader or for
// the fields and elements it handed out. When the count reaches zero and no batch
// is in flight, every resolver that could still ask is waiting, and the loaders'
// pending batches run, one query each. When a batch completes, all its waiters
// count again at once, before any of them runs on. A level's keys therefore always
// make one batch, whatever the scheduling; the count of statements depends only on
// the operation and the data.
//
// internal/gqlgen routes gqlgen's concurrent field resolution and field-set dispatch
// through resolveConcurrently, resolveRootConcurrently and dispatchFields, and lists
// through marshalList (lists.go), which are where work is handed out and waited for.

// scheduler is one operation's count of working goroutines and its pending batches.
type scheduler struct {
	mu       sync.Mutex
	active   int
	inflight int
	pending  []pendingBatch
	// flushes counts the times pending batches were started (tests read it).
	flushes int
	// args are the operation's field arguments parsed so far (argsOnce).
	args map[argsKey]map[string]any
}

// argsKey names a field of the document as a field of one object type: a field in
// a fragment on an interface is parsed by each implementation's own function.
type argsKey struct {
	field *ast.Field
	of    string
}

type schedKey struct{}

// counted marks a context whose goroutine is counted by s.
type counted struct{ s *scheduler }

type countedKey struct{}

func withScheduler(ctx context.Context, s *scheduler) context.Context {
	return context.WithValue(ctx, schedKey{}, s)
}

func schedulerFrom(ctx context.Context) *scheduler {
	s, _ := ctx.Value(schedKey{}).(*scheduler)
	return s
}

// isCounted reports whether the goroutine running ctx is counted by s.
func isCounted(ctx context.Context, s *scheduler) bool {
	c, _ := ctx.Value(countedKey{}).(counted)
	return c.s == s && s != nil
}

func asCounted(ctx context.Context, s *scheduler) context.Context {
	return context.WithValue(ctx, countedKey{}, counted{s})
}

// add counts n more working goroutines.
func (s *scheduler) add(n int) {
	s.mu.Lock()
	s.active += n
	s.mu.Unlock()
}

// idle uncounts one working goroutine (it finished or waits) and runs the
// pending batches if nobody works any more.
func (s *scheduler) idle() {
	s.mu.Lock()
	s.active--
	run := s.takeLocked()
	s.mu.Unlock()
	start(run)
}

// pendingBatch is a loader's batch that has keys and has not started.
type pendingBatch interface {
	// detachLocked makes the loader start a new batch for further keys.
	detachLocked()
	run()
}

// takeLocked returns the pending batches, detached from their loaders, when they
// may run: nobody works and no batch is in flight.
func (s *scheduler) takeLocked() []pendingBatch {
	if s.active > 0 || s.inflight > 0 || len(s.pending) == 0 {
		return nil
	}
	run := s.pending
	s.pending = nil
	for _, b := range run {
		b.detachLocked()
	}
	s.inflight += len(run)
	s.flushes++
	return run
}

func start(run []pendingBatch) {
	for _, b := range run {
		go b.run()
	}
}

// waitOn runs wait as a pause of the current goroutine: uncounted while it
// lasts, when the goroutine is counted.
func waitOn(ctx context.Context, wait func()) {
	s := schedulerFrom(ctx)
	if !isCounted(ctx, s) {
		wait()
		return
	}
	s.idle()
	wait()
	s.add(1)
}

// newDeferredGroup is the @defer group of an object being marshalled, as
// graphql.NewDeferredGroup makes it but empty: resolveConcurrently fills it in
// (path, field set, labels) when the object's first deferred field is scheduled,
// so that the objects that defer nothing, nearly all, allocate nothing for it.
// Generated code only reads the group's labels (none until then) and hands it to
// resolveConcurrently.
func newDeferredGroup(ctx context.Context) graphql.DeferredGroup {
	return graphql.DeferredGroup{Context: ctx}
}

// resolveConcurrently is graphql.FieldSet.ResolveConcurrently with the field
// counted from the moment it is scheduled until it is resolved, and the object's
// @defer group made when it first defers a field (newDeferredGroup).
func resolveConcurrently(ctx context.Context, out *graphql.FieldSet, field graphql.CollectedField, oc *graphql.OperationContext, deferred *graphql.DeferredGroup, i int, recoverFromPanic, nonNull bool, resolve func(ctx context.Context) graphql.Marshaler) {
	s := schedulerFrom(ctx)
	if field.IsDeferred() && deferred.Defers == nil {
		*deferred = graphql.NewDeferredGroup(deferred.Context)
	}
	if s == nil || field.IsDeferred() {
		out.ResolveConcurrently(oc, deferred, i, recoverFromPanic, nonNull, resolve)
		return
	}
	s.add(1)
	out.ResolveConcurrently(oc, deferred, i, recoverFromPanic, nonNull, func(ctx context.Context) graphql.Marshaler {
		defer s.idle()
		return resolve(asCounted(ctx, s))
	})
}

// resolveRootConcurrently is graphql.FieldSet.ResolveRootConcurrently with the
// root field counted from the moment it is scheduled until it is resolved.
func resolveRootConcurrently(out *graphql.FieldSet, ctx context.Context, oc *graphql.OperationContext, i int, recoverFromPanic, nonNull bool, resolve func(ctx context.Context) graphql.Marshaler) {
	s := schedulerFrom(ctx)
	if s == nil {
		out.ResolveRootConcurrently(ctx, oc, i, recoverFromPanic, nonNull, resolve)
		return
	}
	s.add(1)
	out.ResolveRootConcurrently(asCounted(ctx, s), oc, i, recoverFromPanic, nonNull, func(ctx context.Context) graphql.Marshaler {
		defer s.idle()
		return resolve(ctx)
	})
}

// dispatchFields is out.Dispatch, during which the goroutine that dispatches waits
// for the fields it scheduled (which are counted themselves).
func dispatchFields(ctx context.Context, out *graphql.FieldSet) {
	waitOn(ctx, func() { out.Dispatch(ctx) })
}

// errNotLoaded is what a loader returns for a key its batch function left out.
var errNotLoaded = errors.New("not found")

// loader batches the keys that an operation's resolvers ask for into calls of
// fetch, one per batch (see scheduler), and remembers each key's answer for the
// rest of the operation.
type loader[K comparable, V any] struct {
	s     *scheduler
	fetch func(ctx context.Context, keys []K) (map[K]V, error)
	// guarded by s.mu
	next *batch[K, V]
	seen map[K]*batch[K, V]
}

type batch[K comparable, V any] struct {
	l    *loader[K, V]
	ctx  context.Context
	keys []K
	done chan struct{}
	// waiters counts the counted goroutines waiting for the batch; they count
	// again, all at once, when it completes.
	waiters  int
	finished bool
	res      map[K]V
	err      error
}

func newLoader[K comparable, V any](s *scheduler, fetch func(ctx context.Context, keys []K) (map[K]V, error)) *loader[K, V] {
	return &loader[K, V]{s: s, fetch: fetch, seen: map[K]*batch[K, V]{}}
}

// Load returns the value of key, from the batch that asks for it; errNotLoaded
// when the batch function left it out.
func (l *loader[K, V]) Load(ctx context.Context, key K) (V, error) {
	s := l.s
	s.mu.Lock()
	b, ok := l.seen[key]
	if !ok {
		if l.next == nil {
			l.next = &batch[K, V]{l: l, ctx: ctx, done: make(chan struct{})}
			s.pending = append(s.pending, l.next)
		}
		b = l.next
		b.keys = append(b.keys, key)
		l.seen[key] = b
	}
	if b.finished {
		s.mu.Unlock()
		return b.value(key)
	}
	counts := isCounted(ctx, s)
	if counts {
		b.waiters++
		s.active--
	}
	run := s.takeLocked()
	s.mu.Unlock()
	start(run)
	select {
	case <-b.done:
	case <-ctx.Done():
		s.mu.Lock()
		if !b.finished && counts {
			b.waiters--
			s.active++
		}
		s.mu.Unlock()
		var zero V
		return zero, ctx.Err()
	}
	return b.value(key)
}

func (b *batch[K, V]) value(key K) (V, error) {
	if b.err != nil {
		var zero V
		return zero, b.err
	}
	v, ok := b.res[key]
	if !ok {
		return v, errNotLoaded
	}
	return v, nil
}

func (b *batch[K, V]) detachLocked() {
	if b.l.next == b {
		b.l.next = nil
	}
}

// run fetches a batch and wakes its waiters, counted again before any runs on.
func (b *batch[K, V]) run() {
	s := b.l.s
	res, err := b.l.fetch(b.ctx, b.keys)
	s.mu.Lock()
	b.res, b.err, b.finished = res, err, true
	s.active += b.waiters
	s.inflight--
	close(b.done)
	next := s.takeLocked()
	s.mu.Unlock()
	start(next)
}

// argsOnce returns the arguments of field, as parse (the generated field_<of>_args)
// makes them from the request's text and variables: parsed once per operation,
// field and object type, then shared. gqlgen parses them for every element of a list (a page of
// policies parses each one's relationships(types:, direction:) again), although
// they are the same for all: one field of the document under the same variables.
// The values are only read (resolvers copy what they change). A field whose
// arguments fail to parse is not remembered, so each element reports its error
// at its own path, as before.
func argsOnce(ctx context.Context, of string, field graphql.CollectedField, vars map[string]any, parse func(context.Context, map[string]any) (map[string]any, error)) (map[string]any, error) {
	s := schedulerFrom(ctx)
	if s == nil {
		return parse(ctx, field.ArgumentMap(vars))
	}
	key := argsKey{field.Field, of}
	s.mu.Lock()
	args, ok := s.args[key]
	s.mu.Unlock()
	if ok {
		return args, nil
	}
	args, err := parse(ctx, field.ArgumentMap(vars))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.args == nil {
		s.args = map[argsKey]map[string]any{}
	}
	s.args[key] = args
	s.mu.Unlock()
	return args, nil
}
